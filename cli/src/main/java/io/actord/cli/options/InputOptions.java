package io.actord.cli.options;

import picocli.CommandLine.Option;

/** A run's INPUT: inline, from a file or from stdin, with its content type. */
public final class InputOptions {
    @Option(names = {"-i", "--input"}, paramLabel = "JSON|@FILE|-",
            description = "the run's INPUT: the text itself, @FILE to read a file, or - to read stdin")
    public String input;

    @Option(names = "--content-type", paramLabel = "TYPE", defaultValue = "application/json",
            description = "the INPUT's content type (default ${DEFAULT-VALUE}; JSON is checked before sending)")
    public String contentType;
}
