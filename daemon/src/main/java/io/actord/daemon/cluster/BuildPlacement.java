package io.actord.daemon.cluster;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.run.HostMemory;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which host of the cluster makes a build from source (#26), or takes a resurrection of a run whose last host is gone:
 * this host when it claims work and has the build's memory free now (nothing queued before it); else the live member,
 * not drained, with the most free memory that has the build's memory free; when every such member is full, the one
 * with the most capacity that can hold the build at all, whose admission queues it READY as a host does today (this
 * host on a tie, so no relay is made for nothing). A build that no member could ever hold is refused; one that only
 * drained members could hold waits for an undrain (503). Pure: the caller gives what it knows of the hosts.
 */
final class BuildPlacement {
    private BuildPlacement() {
    }

    /**
     * @param what         what is placed, for the refusal ("build")
     * @param memoryMbytes the build's memory
     * @param self         this host's id (its record in {@code hosts} is stale beside {@code here})
     * @param claiming     whether this host takes work now (a member, not drained)
     * @param here         this host's memory now
     * @param hosts        the live members' records
     * @return the host to relay the build to; empty: this host makes it
     * @throws ApiException 400 invalid-value when no host of the cluster has the capacity for the build, 503 when
     *                      only drained hosts have it
     */
    static Optional<HostRecord> choose(String what, long memoryMbytes, String self, boolean claiming, HostMemory here,
                                       List<HostRecord> hosts) {
        boolean holdsHere = claiming && here.capacityMbytes() >= memoryMbytes;
        if (holdsHere && here.waitingRuns() == 0 && here.capacityMbytes() - here.heldMbytes() >= memoryMbytes) {
            return Optional.empty();
        }
        List<HostRecord> others = hosts.stream().filter(h -> !h.hostId().equals(self))
                .filter(h -> h.capacityMbytes() >= memoryMbytes).toList();
        List<HostRecord> open = others.stream().filter(h -> !h.drained()).toList();
        Optional<HostRecord> free = open.stream().filter(h -> h.freeMbytes() >= memoryMbytes)
                .max(Comparator.comparingLong(HostRecord::freeMbytes));
        if (free.isPresent()) {
            return free;
        }
        Optional<HostRecord> largest = open.stream().max(Comparator.comparingLong(HostRecord::capacityMbytes));
        if (holdsHere && largest.filter(h -> h.capacityMbytes() > here.capacityMbytes()).isEmpty()) {
            return Optional.empty();
        }
        if (largest.isEmpty() && !others.isEmpty()) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "every host that can hold a " + what + " of "
                    + memoryMbytes + " MB is drained (actorctl daemon undrain ends a drain); try again later");
        }
        return Optional.of(largest.orElseThrow(() -> ApiException.invalidValue("no host of the cluster can hold a "
                + what + " of " + memoryMbytes + " MB: the largest capacity for runs and builds of its live hosts is "
                + Math.max(claiming ? here.capacityMbytes() : 0, hosts.stream().filter(h -> !h.hostId().equals(self))
                .mapToLong(HostRecord::capacityMbytes).max().orElse(0)) + " MB")));
    }
}
