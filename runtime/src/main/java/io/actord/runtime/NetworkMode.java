package io.actord.runtime;

/** Whether the container gets its own network namespace, and whether that reaches beyond itself. */
public enum NetworkMode {
    /** A new network namespace with only {@code lo}, up. */
    ISOLATED,
    /**
     * A new network namespace with {@code lo} and an interface on the runtime's network
     * ({@link io.actord.runtime.network.EgressNetwork}), its egress policy loaded before the workload starts.
     */
    EGRESS,
    /** The host's network namespace. */
    HOST;

    /** Whether the container gets a network namespace of its own. */
    public boolean ownNamespace() {
        return this != HOST;
    }
}
