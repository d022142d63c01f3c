package io.actord.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.builds.BuildService;
import io.actord.daemon.common.Json;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.run.HostMemory;
import io.actord.daemon.runoptions.RunSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Builds from source in a cluster (#26): a build's POST goes to the host that should make it ({@link BuildPlacement}),
 * relayed there as the caller who sent it, and what only a build's own host can answer (its log, its abort: the
 * builder and the log file are there) is relayed to that host, the build's {@code ownerHost}, while it is a live
 * member; else 503. The rest of a build (its status, waitForFinish) is in the shared state and answered anywhere. As
 * for runs, a relayed request is never relayed again: the host it reaches makes the build, or answers its own error.
 * An import (a POST whose body names an image or a rootfs, the admin's) is made where it is posted, as the image is on
 * that host.
 */
public final class BuildRelay {
    private static final Logger LOG = LoggerFactory.getLogger(BuildRelay.class);
    private static final Set<String> STARTS = Set.of("POST /v2/acts/{actorId}/builds",
            "POST /v2/actors/{actorId}/builds");
    private static final String LOG_ROUTE = "GET /v2/actor-builds/{buildId}/log";
    private static final Set<String> OWNERS = Set.of("POST /v2/actor-builds/{buildId}/abort",
            "POST /v2/acts/{actorId}/builds/{buildId}/abort", "POST /v2/actors/{actorId}/builds/{buildId}/abort",
            LOG_ROUTE);

    /** What the relay needs of this host's builds and memory. */
    public interface Builds {
        /** The stored build of that id, if any. */
        Optional<Build> find(String buildId);

        /** Whether this host takes work now (a member, not drained). */
        boolean claiming();

        /** This host's memory now: its capacity, what runs and builds hold, and how many wait for it. */
        HostMemory memory();
    }

    private final String hostId;
    private final HostRelay sender;
    private volatile Builds builds;

    BuildRelay(String hostId, HostRelay sender) {
        this.hostId = hostId;
        this.sender = sender;
    }

    /** From now on the builds' routes are relayed, for the builds {@code b} finds. */
    void serve(Builds b) {
        builds = b;
    }

    /** Whether the route {@code key} ("METHOD template") is one of the builds' that hosts relay to each other. */
    static boolean takes(String key) {
        return STARTS.contains(key) || OWNERS.contains(key);
    }

    /** The answer in the place of route {@code key}'s handler, if it is to be made on another host. */
    Optional<CompletableFuture<ApiResponse>> intercept(String key, ApiRequest r, ClusterMembership m) {
        if (builds == null || RelayHeaders.relayed(r)) {
            return Optional.empty(); // hop limit one: a relayed build is made here, or refused here
        }
        if (STARTS.contains(key)) {
            return place(r, m);
        }
        if (OWNERS.contains(key)) {
            boolean log = key.equals(LOG_ROUTE);
            return builds.find(r.pathParam("buildId")).filter(b -> log || !b.isTerminal())
                    .flatMap(b -> toOwner(b, r, m, log));
        }
        return Optional.empty();
    }

    /** {@code GET /v2/logs/{id}} of an id that is no run's: a build's log is on the build's host. */
    Optional<CompletableFuture<ApiResponse>> logOf(String id, ApiRequest r, ClusterMembership m) {
        if (builds == null || RelayHeaders.relayed(r)) {
            return Optional.empty();
        }
        return builds.find(id).flatMap(b -> toOwner(b, r, m, true));
    }

    private Optional<CompletableFuture<ApiResponse>> place(ApiRequest r, ClusterMembership m) {
        if (r.query("version").isEmpty() || importing(r)) {
            return Optional.empty(); // answered here: the 400 of a missing version, or an import of this host's image
        }
        long memory = RunSize.of(r.queryLong("memory").orElse((long) BuildService.DEFAULT_MEMORY_MBYTES))
                .memoryMbytes();
        Optional<HostRecord> target = hostFor("build", memory, m);
        target.ifPresent(t -> LOG.debug("request id={} build of memory={} MB placed on host={}", r.requestId(),
                memory, t.hostId()));
        return target.map(t -> sender.send(t, r, HostRelay.token(m), false));
    }

    /**
     * The host to send work of {@code memoryMbytes} to ({@link BuildPlacement}); empty: this host takes it (and so
     * before the host serves).
     */
    Optional<HostRecord> hostFor(String what, long memoryMbytes, ClusterMembership m) {
        Builds b = builds;
        return b == null ? Optional.empty() : BuildPlacement.choose(what, memoryMbytes, hostId, b.claiming(),
                b.memory(), m.hosts());
    }

    /** Whether the POST's body names an image or a rootfs to import ({@code CreateBuildDto}'s fields). */
    private static boolean importing(ApiRequest r) {
        if (r.body().length == 0) {
            return false;
        }
        try {
            JsonNode body = Json.MAPPER.readTree(r.body());
            return body != null && (body.hasNonNull("image") || body.hasNonNull("rootfs"));
        } catch (IOException e) {
            return true; // not JSON: the route answers its 400 here
        }
    }

    /** Relays {@code r} to {@code build}'s host if that is another host; 503 when it is not a live member. */
    private Optional<CompletableFuture<ApiResponse>> toOwner(Build build, ApiRequest r, ClusterMembership m,
                                                             boolean log) {
        String owner = build.ownerHost();
        if (owner == null || owner.equals(hostId)) {
            return Optional.empty();
        }
        HostRecord host = HostRecord.find(m.hosts(), owner)
                .orElseThrow(() -> new ApiException(ErrorType.SERVICE_UNAVAILABLE, "Build " + build.id()
                        + " is made on host " + owner + ", which is not a live member of the cluster (it left, or"
                        + " lost etcd); its " + (log ? "log is" : "builder is") + " there: try again once the host"
                        + " is back"));
        return Optional.of(sender.send(host, r, HostRelay.token(m), log && r.queryBool("stream")));
    }
}
