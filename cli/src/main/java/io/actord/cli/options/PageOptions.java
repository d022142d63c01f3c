package io.actord.cli.options;

import picocli.CommandLine.Option;

/** Paging for lists. */
public final class PageOptions {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "show at most N (default ${DEFAULT-VALUE})")
    public long limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "skip the first N")
    public long offset;
}
