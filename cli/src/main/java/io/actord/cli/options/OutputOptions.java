package io.actord.cli.options;

import io.actord.cli.CliException;
import io.actord.cli.output.JqFilter;
import io.actord.cli.output.OutputMode;
import picocli.CommandLine.Option;

import java.util.Optional;

/**
 * How a list or get command prints, for scripts: {@code -o table|wide|json|name}, {@code -q} (ids only) and
 * {@code --jq EXPR}. Every list and get command mixes this in; the command itself prints as {@code --json} asks,
 * and the output applies the mode (see {@code ApiCommand}).
 */
public final class OutputOptions {
    /** The {@code -o} forms. */
    public enum Format { table, wide, json, name }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "table (the default), wide (more columns: runs list, system df), json (the API's answer) or name")
    public Format format;

    @Option(names = {"-q", "--quiet"}, description = "print only ids, one a line")
    public boolean quiet;

    @Option(names = "--jq", paramLabel = "EXPR",
            description = "filter the API's JSON answer with a jq expression (strings print without quotes)")
    public String jq;

    /** The mode these options (and the global {@code --json}) ask for; conflicting ones are an error. */
    public OutputMode mode(boolean json) {
        if (quiet && format != null && format != Format.table) {
            throw new CliException("give either -q or -o " + format + ", not both");
        }
        if (jq != null && (quiet || (format != null && format != Format.json))) {
            throw new CliException("--jq filters JSON: it goes with -o json (or nothing), not with "
                    + (quiet ? "-q" : "-o " + format));
        }
        if (jq != null) {
            return new OutputMode(OutputMode.Kind.JSON, Optional.of(JqFilter.compile(jq)));
        }
        if (quiet) {
            return new OutputMode(OutputMode.Kind.IDS, Optional.empty());
        }
        Format f = format == null ? (json ? Format.json : Format.table) : format;
        return new OutputMode(switch (f) {
            case table -> OutputMode.Kind.TABLE;
            case wide -> OutputMode.Kind.WIDE;
            case json -> OutputMode.Kind.JSON;
            case name -> OutputMode.Kind.NAMES;
        }, Optional.empty());
    }
}
