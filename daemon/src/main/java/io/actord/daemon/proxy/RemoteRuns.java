package io.actord.daemon.proxy;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The container URLs of runs that another host runs (a cluster, #26): a request for a token no run here has is
 * relayed to the API listener of the run's host, which serves its own runs' URLs. Implemented by the cluster; the
 * proxy only waits for the answer ({@link RemoteRunGate}).
 */
public interface RemoteRuns {
    /** The header a relayed container-URL request carries (the relaying host's id): it is not relayed again. */
    String RELAYED_BY = "X-Actord-Relayed-By";

    /** This host's id, for {@link #RELAYED_BY}. */
    String hostId();

    /**
     * The active run of another live host whose container URL has {@code token}, and that host's API address;
     * empty when there is none. Completes off the event loop (it reads the shared state).
     */
    CompletableFuture<Optional<RemoteRun>> find(String token);

    /** A run that another host runs, and where that host's API listens. */
    record RemoteRun(String runId, String hostId, InetSocketAddress api) {
    }
}
