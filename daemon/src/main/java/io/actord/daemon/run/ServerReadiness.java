package io.actord.daemon.run;

import java.util.concurrent.CompletableFuture;

/**
 * Whether a run's web server accepts connections: its web-server port ({@code ACTOR_WEB_SERVER_PORT}, the one
 * the container-URL proxy connects to) accepts a TCP connection made inside the run's network namespace. This
 * is the platform's {@code isContainerServerReady} of the Run object, and what Actor Standby waits for before it
 * sends a run requests. It holds for the run's current container: a new container (reboot, metamorph,
 * resurrection, a daemon restart re-attaching it) is probed afresh and is not ready until it listens.
 */
public interface ServerReadiness {
    /** Never ready: for runtimes without containers of their own (and tests). */
    ServerReadiness NONE = new ServerReadiness() {
        @Override
        public CompletableFuture<Void> ready(String runId) {
            return CompletableFuture.failedFuture(new NotServed(runId));
        }

        @Override
        public boolean isReady(String runId) {
            return false;
        }
    };

    /**
     * Completes when the run's current container accepts a connection on its web-server port (at once when it
     * does already); waits while the run is READY (no container yet) or between containers. Completes
     * exceptionally with {@link NotServed} when the run finishes first, or is not an active run. Callers put
     * their own bound on the wait ({@code orTimeout}); the future is shared, so they must not complete it.
     */
    CompletableFuture<Void> ready(String runId);

    /** Whether the run's current container has accepted a connection on its web-server port (the API's field). */
    boolean isReady(String runId);

    /** The run finished (or was never active) before its server was ready. */
    final class NotServed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotServed(String runId) {
            super("run " + runId + " is not running", null, false, false);
        }
    }
}
