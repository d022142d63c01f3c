package io.actord.daemon.inrun;

import io.actord.daemon.http.ApiHandler;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Transports;
import io.actord.daemon.run.InRunApi;
import io.actord.daemon.user.Tokens;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The in-run endpoints, put together from their three parts: the sockets ({@link RunApiServer}, one
 * listener per running container in its network namespace), what the container's environment points at
 * ({@link #api()}: URLs and the run's token) and when a run's listener opens and closes ({@link #listener()}).
 * The parts share the run's events ({@link #events()}), which go out over a WebSocket on the same listener.
 */
public final class RunEndpoints implements AutoCloseable {
    private final RunApiServer server;
    private final RunEvents events;
    private final InRunApi api;
    private final RunEndpointListener listener;

    /**
     * @param entry         how to create a socket in a container's network namespace
     * @param handler       the API handler (the daemon's router); requests reach it as {@code Listener.RUN}
     * @param authenticator what the events WebSocket's upgrade is checked with (the handler checks the rest)
     * @param tokens        where each container's run token is made
     */
    public RunEndpoints(NamespaceEntry entry, Transports transports, ApiHandler handler, int maxBodyBytes,
                        Authenticator authenticator, Tokens tokens, RunEvents events, Supplier<String> publicBaseUrl) {
        this.server = new RunApiServer(entry, transports, handler, maxBodyBytes, new RunGate(authenticator, events));
        this.events = events;
        this.api = new RunApiAccess(server, tokens, publicBaseUrl);
        this.listener = new RunEndpointListener(server, events);
    }

    /** Where a run's container reaches the API, for the container's environment. */
    public InRunApi api() {
        return api;
    }

    /** Opens and closes a run's endpoint with its container; a run listener and a status listener. */
    public RunEndpointListener listener() {
        return listener;
    }

    /** Where the run's endpoint listens (in its namespace), while it does. */
    public Optional<InetSocketAddress> address(String runId) {
        return server.address(runId);
    }

    public RunEvents events() {
        return events;
    }

    /** Stops the events, then closes every listener; containers keep running (a new daemon reopens them). */
    @Override
    public void close() {
        events.close();
        server.close();
    }
}
