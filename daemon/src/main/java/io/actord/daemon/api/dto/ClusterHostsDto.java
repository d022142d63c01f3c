package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * GET /v2/actord/cluster/hosts (actord's own namespace): this host's standing in the cluster and the hosts with a
 * live lease in etcd.
 *
 * @param hostId       this host's id
 * @param phase        JOINING, MEMBER, OUT (its lease could not be renewed: rejoining) or CLOSED
 * @param since        when this host entered the phase
 * @param reason       why it is OUT, or why its last join failed; null otherwise
 * @param leaseTtlSecs the hosts' lease TTL here: a host that stops renewing is gone after at most this long
 * @param claiming     whether this host takes runs now: a member that has not been drained
 * @param total        how many hosts are in {@code items}
 */
public record ClusterHostsDto(String hostId, String phase, Instant since, String reason, long leaseTtlSecs,
                              boolean claiming, int total, List<Host> items) {
    /**
     * One host as its record in etcd says.
     *
     * @param apiUrl         where its API answers
     * @param capacityMbytes the memory its runs may have together
     * @param freeMbytes     what of that no run holds
     * @param drained        whether it was drained: it takes no new runs or builds
     * @param updatedAt      when it last wrote its record
     */
    public record Host(String hostId, String apiUrl, long capacityMbytes, long freeMbytes, boolean drained,
                       Instant updatedAt) {
    }
}
