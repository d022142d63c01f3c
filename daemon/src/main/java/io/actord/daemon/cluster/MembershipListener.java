package io.actord.daemon.cluster;

/**
 * Told when this host becomes a member of the cluster and when it stops being one. Called on the membership's own
 * thread, one call at a time and in order; the membership rejoins only after {@link #left} returns, so what must be
 * done before the lease can expire elsewhere (stopping the host's runs, #26) is done inside it.
 */
public interface MembershipListener {
    /** The host's record is in etcd under a live lease. */
    void joined(String hostId);

    /**
     * The host counts itself out: its lease could not be renewed for the TTL less the safety margin, or etcd said
     * it expired. The other hosts see it gone at the latest when the lease's TTL has passed.
     */
    void left(String hostId, String reason);
}
