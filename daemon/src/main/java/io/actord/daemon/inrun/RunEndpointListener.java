package io.actord.daemon.inrun;

import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunListener;
import io.actord.runtime.Container;

import java.time.Duration;

/**
 * When a run's in-run endpoint opens and closes: before its container's workload starts (so the first API
 * call finds it), on re-attaching a container after a daemon restart, and when the container stops or the
 * run ends; a graceful abort is told to the actor over its events socket.
 */
public final class RunEndpointListener implements RunListener {
    private final RunApiServer server;
    private final RunEvents events;

    RunEndpointListener(RunApiServer server, RunEvents events) {
        this.server = server;
        this.events = events;
    }

    /**
     * A container of its own has a new namespace, so a listener left from an earlier container is reopened;
     * in the shared namespace the listener opened already, when the environment reserved its port.
     */
    @Override
    public void containerStarting(Run run, Container container) {
        if (server.separateNamespaces() || !server.isOpen(run.id())) {
            server.open(run.id(), container.networkNamespace());
        }
    }

    /** A re-attached container (a daemon restart) gets its listener here; a new one has it already. */
    @Override
    public void containerStarted(Run run, Container container) {
        if (!server.isOpen(run.id())) {
            server.open(run.id(), container.networkNamespace());
        }
    }

    @Override
    public void containerStopped(String runId) {
        server.close(runId);
        events.drop(runId);
    }

    /** A run that ended no longer has an endpoint, even if its container never started (status listener). */
    public void statusChanged(Run run) {
        if (run.status().isTerminal()) {
            containerStopped(run.id());
        }
    }

    @Override
    public boolean abortRequested(Run run) {
        return events.aborting(run.id());
    }

    @Override
    public boolean migrationRequested(Run run, Duration remaining) {
        return events.migrating(run.id(), remaining);
    }
}
