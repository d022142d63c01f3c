package io.actord.cli.output;

import java.util.Optional;

/**
 * What a command prints for the daemon's JSON answer: its table (or a wider one), the JSON as sent, only the
 * ids or names of what it lists, or what a jq expression makes of the JSON.
 *
 * @param jq applied to the JSON when {@code kind} is {@link Kind#JSON}
 */
public record OutputMode(Kind kind, Optional<JqFilter> jq) {
    /** The forms. */
    public enum Kind {
        /** The command's table or details, for people. */
        TABLE,
        /** The table with more columns. */
        WIDE,
        /** The daemon's JSON unchanged, or filtered by jq. */
        JSON,
        /** One id a line (an image's name, a record's key where there is no id). */
        IDS,
        /** One name a line (the id where there is no name). */
        NAMES
    }

    public static OutputMode of(boolean json) {
        return new OutputMode(json ? Kind.JSON : Kind.TABLE, Optional.empty());
    }

    /** Whether the answer is printed as data (JSON, ids, names) rather than as the command's table. */
    public boolean data() {
        return kind != Kind.TABLE && kind != Kind.WIDE;
    }
}
