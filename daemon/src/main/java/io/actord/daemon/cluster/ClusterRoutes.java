package io.actord.daemon.cluster;

import io.actord.daemon.access.Access;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.ClusterHostsDto;
import io.actord.daemon.api.dto.DrainDto;
import io.actord.daemon.api.dto.UndrainDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v2/actord/cluster/hosts}: the admin's only, as the daemon's status is (it names every host's address and
 * memory). A daemon outside a cluster answers 404, naming the flag that would make it a member. {@code POST
 * /v2/actord/daemon/drain} ({@code actorctl daemon drain}, the admin's too, as the other daemon commands): the host
 * stops claiming runs and moves its runs to the others ({@link HostFailover#drain}); outside a cluster, 400. {@code
 * DELETE} of it ({@code actorctl daemon undrain}) makes the host claim runs again.
 */
public final class ClusterRoutes {
    public static final String PATH = "/v2/actord/cluster/hosts";
    public static final String DRAIN = "/v2/actord/daemon/drain";

    private ClusterRoutes() {
    }

    /**
     * Drains this host, each run's actor given at most {@code bound} to persist its state; answers what moved once the
     * drain is done. {@code failover} is empty outside a cluster ({@code inCluster} false: 400) and until the daemon
     * has joined (503).
     */
    public static CompletableFuture<ApiResponse> drain(ApiRequest r, boolean inCluster, Optional<HostFailover> failover,
                                                       Access access, String hostId, Duration bound) {
        access.requireAdmin(r.caller(), "a host is drained");
        if (!inCluster) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "This daemon is not a member of a cluster, so there is"
                    + " no other host to move its runs to (a drain needs --cluster etcd://HOST:PORT and --state"
                    + " postgres://…); to stop it with its runs, stop the daemon (its --stop-policy applies)");
        }
        HostFailover f = failover.orElseThrow(() -> new ApiException(ErrorType.SERVICE_UNAVAILABLE, "This daemon has"
                + " not joined its cluster yet; try again shortly"));
        return f.drain(bound).thenApply(moved -> ApiResponse.data(200, new DrainDto(hostId, bound.toSeconds(),
                moved.size(), moved.stream().map(m -> new DrainDto.Run(m.runId(), m.from().wireName(),
                        m.to().wireName(), m.unplaced())).toList())));
    }

    /**
     * Ends this host's drain ({@code DELETE} of the drain, {@code actorctl daemon undrain}): it claims runs again; a
     * host that is not drained answers the same. Outside a cluster 400, before the join 503, as {@link #drain}.
     */
    public static ApiResponse undrain(ApiRequest r, boolean inCluster, Optional<HostFailover> failover, Access access,
                                      String hostId) {
        access.requireAdmin(r.caller(), "a host's drain is ended");
        if (!inCluster) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "This daemon is not a member of a cluster: it is never"
                    + " drained");
        }
        HostFailover f = failover.orElseThrow(() -> new ApiException(ErrorType.SERVICE_UNAVAILABLE, "This daemon has"
                + " not joined its cluster yet; try again shortly"));
        f.undrain();
        return ApiResponse.data(200, new UndrainDto(hostId, f.claiming()));
    }

    /**
     * The answer to {@code r}: {@code membership} is empty outside a cluster (its phase says whether it joined),
     * {@code failover} also until the daemon has joined.
     */
    public static ApiResponse answer(ApiRequest r, Optional<ClusterMembership> membership,
                                     Optional<HostFailover> failover, Access access) {
        access.requireAdmin(r.caller(), "the cluster's hosts are shown");
        ClusterMembership m = membership.orElseThrow(() -> new ApiException(ErrorType.RECORD_NOT_FOUND,
                "This daemon is not a member of a cluster (start it with --cluster etcd://HOST:PORT and"
                        + " --state postgres://…)"));
        MembershipState state = m.state();
        List<ClusterHostsDto.Host> hosts = m.hosts().stream().map(h -> new ClusterHostsDto.Host(h.hostId(),
                h.apiUrl(), h.capacityMbytes(), h.freeMbytes(), h.drained(), h.updatedAt())).toList();
        return ApiResponse.data(200, new ClusterHostsDto(m.hostId(), state.phase().name(), state.since(),
                state.reason().orElse(null), m.config().leaseTtl().toSeconds(),
                failover.map(HostFailover::claiming).orElse(false), hosts.size(), hosts));
    }
}
