package io.actord.daemon.proxy;

import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunListener;
import io.actord.runtime.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The only place that maps container URLs to runs: a request's Host header or path gives a token
 * ({@link ContainerUrls} knows the format), the token an active run, the run its current container's
 * {@link ContainerEndpoint}. A run's URL works from the moment it is stored (READY: requests wait for the
 * container) until it finishes, and again after a resurrection (same token); unknown and finished runs'
 * tokens look the same (404). The map is rebuilt from the run layer's callbacks after a daemon restart (the
 * token is stored with the run), so nothing else is persisted. In a cluster, a token no run here has may be
 * another host's run ({@link #serveRemote}).
 */
public final class ContainerAddressResolver implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerAddressResolver.class);

    private final ContainerUrls urls;
    private final ToIntFunction<Run> ports;
    private final Map<String, Slot> byToken = new ConcurrentHashMap<>();
    private final Map<String, Slot> byRun = new ConcurrentHashMap<>();
    private volatile StandbyRoutes standby = StandbyRoutes.NONE;
    private volatile Optional<RemoteRuns> remote = Optional.empty();

    /**
     * @param ports the port a run's web server listens on inside its container (read when a container
     *              starts, on the run's own thread)
     */
    public ContainerAddressResolver(ContainerUrls urls, ToIntFunction<Run> ports) {
        this.urls = urls;
        this.ports = ports;
    }

    /** What a request is for. */
    public sealed interface Route {
        /** Not a container URL: the API's. */
        record Api() implements Route {
        }

        /** A container URL that no active run has. */
        record NotFound() implements Route {
        }

        /**
         * A path-form URL the client is sent on from (308, which keeps the method and body): to the run's host
         * form when a containers domain is configured, else to the same URL with the slash after the token.
         */
        record Redirect(String location) implements Route {
        }

        /**
         * An active run's URL.
         *
         * @param endpoint its container's endpoint; pending while the run has no container (READY)
         * @param uri      the request target for the run's server
         * @param prefix   the path prefix the proxy took off (path form), for X-Forwarded-Prefix and
         *                 {@link PathFormHeaders}
         */
        record Found(String runId, CompletableFuture<ContainerEndpoint> endpoint, String uri,
                     Optional<String> prefix) implements Route {
        }

        /** An actor's standby URL: {@code target} picks the run per request ({@link StandbyRoutes}). */
        record Standby(StandbyGate target) implements Route {
        }
    }

    private static final Route API = new Route.Api();
    private static final Route NOT_FOUND = new Route.NotFound();

    /**
     * Where a request with this Host header and request target goes. With a containers domain, runs are
     * served only on their own host names: a path-form URL on the API's origin is redirected to the run's
     * host-form URL (same path and query) and serves nothing there, so a run's page never shares the
     * console's origin. A redirect rather than a 404, so links and clients that kept a path-form URL still
     * work: it is safe because it is given only for a live run's token (the location is that run's own URL,
     * made by {@link ContainerUrls}, never taken from the request), and the path and query it carries stay on
     * that host (the location is absolute, so a path beginning with {@code //} cannot name another host).
     */
    public Route route(String host, String uri) {
        Optional<String> label = urls.hostLabel(host);
        if (label.isPresent()) {
            Slot slot = byToken.get(label.get());
            return slot == null ? standbyOr(elsewhere(label.get(), uri), host, uri)
                    : new Route.Found(slot.runId, slot.endpoint, uri, Optional.empty());
        }
        Optional<ContainerUrls.PathTarget> path = urls.pathTarget(uri);
        if (path.isEmpty()) {
            return standbyOr(API, host, uri);
        }
        Slot slot = byToken.get(path.get().token());
        if (slot == null) {
            return standbyOr(elsewhere(path.get().token(), uri), host, uri);
        }
        Optional<String> hostUrl = urls.hostUrl(slot.token);
        if (hostUrl.isPresent()) {
            String rest = path.get().rest();
            return new Route.Redirect(hostUrl.get() + (rest.startsWith("/") ? rest.substring(1) : rest));
        }
        if (path.get().needsSlash()) {
            return new Route.Redirect(path.get().prefix() + "/" + path.get().rest());
        }
        return new Route.Found(slot.runId, slot.endpoint, path.get().rest(), Optional.of(path.get().prefix()));
    }

    /**
     * From now on a token no run here has may be another host's run ({@code runs}, a cluster): the request waits for
     * the answer, and goes to that host unchanged.
     */
    public void serveRemote(RemoteRuns runs) {
        remote = Optional.of(runs);
    }

    /** A token no run here has: another host's run, when in a cluster (whose answer the request awaits), else 404. */
    private Route elsewhere(String token, String uri) {
        return remote.<Route>map(r -> new Route.Standby(new RemoteRunGate(r, token, uri))).orElse(NOT_FOUND);
    }

    /** From now on the URLs that name no run are offered to {@code routes} (Actor Standby) first. */
    public void serveStandby(StandbyRoutes routes) {
        standby = routes;
    }

    /** The run's endpoint while it is active: pending until its container has started. */
    public Optional<CompletableFuture<ContainerEndpoint>> endpoint(String runId) {
        return Optional.ofNullable(byRun.get(runId)).map(slot -> slot.endpoint);
    }

    private Route standbyOr(Route otherwise, String host, String uri) {
        return standby.route(host, uri).orElse(otherwise);
    }

    /**
     * A stored status change: a run that is not finished is served (READY: pending), a finished one no more. In a
     * cluster only its own host serves it: a run another host owns, or none yet (it waits for placement, #26), is
     * dropped here, so its requests go to its host ({@link #serveRemote}) instead of waiting for a container here.
     */
    public void statusChanged(Run run) {
        if (run.status().isTerminal() || remote.filter(r -> !r.hostId().equals(run.ownerHost())).isPresent()) {
            remove(run.id());
        } else {
            slot(run);
        }
    }

    @Override
    public void containerStarted(Run run, Container container) {
        ContainerEndpoint endpoint = new ContainerEndpoint(run.id(), container.networkNamespace(),
                new InetSocketAddress("127.0.0.1", ports.applyAsInt(run)), System.nanoTime());
        Slot slot = slot(run);
        if (slot == null) {
            return;
        }
        slot.serve(endpoint);
        LOG.debug("run={} container URL serves netns={} address={}", run.id(), endpoint.netns(), endpoint.address());
    }

    @Override
    public void containerStopped(String runId) {
        Slot slot = byRun.get(runId);
        if (slot != null) {
            slot.stopped();
        }
    }

    /** How many runs' URLs are served now. */
    public int size() {
        return byRun.size();
    }

    private synchronized Slot slot(Run run) {
        Slot slot = byRun.get(run.id());
        if (slot == null && run.containerUrlToken() != null) {
            slot = new Slot(run.id(), run.containerUrlToken());
            byRun.put(run.id(), slot);
            byToken.put(slot.token, slot);
        }
        return slot;
    }

    private void remove(String runId) {
        Slot slot;
        synchronized (this) {
            slot = byRun.remove(runId);
            if (slot != null) {
                byToken.remove(slot.token, slot);
            }
        }
        if (slot != null) {
            slot.ended();
            LOG.debug("run={} container URL no longer served", runId);
        }
    }

    /** Thrown to requests that waited for a container when the run finished instead. */
    static final class RunEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunEnded(String runId) {
            super("run " + runId + " finished", null, false, false);
        }
    }

    /**
     * One active run's token and its current container's endpoint: a future that is pending while the run
     * has no container, so requests can wait for it. Replaced, never completed twice.
     */
    private static final class Slot {
        final String runId;
        final String token;
        volatile CompletableFuture<ContainerEndpoint> endpoint = new CompletableFuture<>();

        Slot(String runId, String token) {
            this.runId = runId;
            this.token = token;
        }

        synchronized void serve(ContainerEndpoint next) {
            if (!endpoint.complete(next)) {
                current().ifPresent(ContainerEndpoint::close);
                endpoint = CompletableFuture.completedFuture(next);
            }
        }

        synchronized void stopped() {
            current().ifPresent(ContainerEndpoint::close);
            if (endpoint.isDone()) {
                endpoint = new CompletableFuture<>();
            }
        }

        synchronized void ended() {
            current().ifPresent(ContainerEndpoint::close);
            endpoint.completeExceptionally(new RunEnded(runId));
        }

        private Optional<ContainerEndpoint> current() {
            return endpoint.isDone() && !endpoint.isCompletedExceptionally()
                    ? Optional.of(endpoint.join()) : Optional.empty();
        }
    }
}
