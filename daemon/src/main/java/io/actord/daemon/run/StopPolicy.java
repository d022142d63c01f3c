package io.actord.daemon.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a full stop of the daemon does to the runs that are still active (a plain restart leaves them to
 * the next daemon, which re-attaches them). New runs are refused from the start of either.
 */
public enum StopPolicy {
    /** Abort each run gracefully: the {@code aborting} and {@code persistState} events, then a kill after the grace. */
    ABORT,
    /** Wait for the runs to finish on their own, up to the drain timeout; abort those left then. */
    DRAIN;

    /** The configuration word: "abort", "drain". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<StopPolicy> fromWord(String word) {
        return Arrays.stream(values()).filter(p -> p.word().equals(word)).findFirst();
    }
}
