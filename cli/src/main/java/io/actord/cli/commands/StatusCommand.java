package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.Connection;
import io.actord.cli.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code actorctl status}: whether the daemon answers, its version and runtime. */
@Command(name = "status", description = "Show whether the daemon is serving.")
public final class StatusCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        DaemonClient.Response r = Connection.of(spec).client().get("/healthz");
        JsonNode s = r.data();
        System.out.println(Connection.of(spec).json() ? r.body() : "actord " + s.path("version").asText() + ": "
                + s.path("status").asText() + ", runtime " + s.path("runtime").asText() + ", "
                + s.path("activeRuns").asInt() + " active runs");
    }
}
