package io.actord.runtime;

/** Whether the container gets its own network namespace. */
public enum NetworkMode {
    /** A new network namespace with only {@code lo}, up. */
    ISOLATED,
    /** The host's network namespace. */
    HOST
}
