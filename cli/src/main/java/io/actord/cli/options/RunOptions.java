package io.actord.cli.options;

import picocli.CommandLine.Option;

/** A run's build, memory and timeout; an absent option takes the actor's default. */
public final class RunOptions {
    @Option(names = {"-b", "--build"}, paramLabel = "TAG|NUMBER", description = "the build to run (default: the actor's, usually latest)")
    public String build;

    @Option(names = {"-m", "--memory"}, paramLabel = "MB", description = "memory in MB, a power of 2 from 128 to 32768")
    public Long memory;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECS", description = "timeout in seconds (0: none)")
    public Long timeout;
}
