package io.actord.daemon.cluster;

import java.time.Instant;
import java.util.Optional;

/**
 * Where this host stands in the cluster.
 *
 * @param phase  JOINING until the first lease and record are in etcd; MEMBER while the lease is renewed; OUT after
 *               it could not be (the host is rejoining with a new lease); CLOSED once the daemon stops
 * @param since  when the phase began
 * @param reason why the host is OUT (or why the last join failed while JOINING)
 */
public record MembershipState(Phase phase, Instant since, Optional<String> reason) {
    /** The phases, in the order a host goes through them. */
    public enum Phase { JOINING, MEMBER, OUT, CLOSED }

    public boolean member() {
        return phase == Phase.MEMBER;
    }
}
