package io.actord.daemon.cluster;

import io.actord.daemon.access.Access;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.ClusterHostsDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;

import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/actord/cluster/hosts}: the admin's only, as the daemon's status is (it names every host's address and
 * memory). A daemon outside a cluster answers 404, naming the flag that would make it a member.
 */
public final class ClusterRoutes {
    public static final String PATH = "/v2/actord/cluster/hosts";

    private ClusterRoutes() {
    }

    /** The answer to {@code r}: {@code membership} is empty outside a cluster (its phase says whether it joined). */
    public static ApiResponse answer(ApiRequest r, Optional<ClusterMembership> membership, Access access) {
        access.requireAdmin(r.caller(), "the cluster's hosts are shown");
        ClusterMembership m = membership.orElseThrow(() -> new ApiException(ErrorType.RECORD_NOT_FOUND,
                "This daemon is not a member of a cluster (start it with --cluster etcd://HOST:PORT and"
                        + " --state postgres://…)"));
        MembershipState state = m.state();
        List<ClusterHostsDto.Host> hosts = m.hosts().stream().map(h -> new ClusterHostsDto.Host(h.hostId(),
                h.apiUrl(), h.capacityMbytes(), h.freeMbytes(), h.updatedAt())).toList();
        return ApiResponse.data(200, new ClusterHostsDto(m.hostId(), state.phase().name(), state.since(),
                state.reason().orElse(null), m.config().leaseTtl().toSeconds(), hosts.size(), hosts));
    }
}
