package io.actord.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command shares: where the daemon is, and whether to print its JSON as it is. */
public final class Connection {
    @Option(names = "--socket", description = "the daemon's Unix socket (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:ACTORD_SOCKET:-/run/actord/actord.sock}")
    Path socket;

    @Option(names = "--json", description = "print the daemon's JSON answer unchanged")
    boolean json;

    public DaemonClient client() {
        return new DaemonClient(socket);
    }

    public boolean json() {
        return json;
    }
}
