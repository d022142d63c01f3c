package io.actord.runtime.userns;

import io.actord.runtime.sys.Fd;

import java.util.Objects;

/**
 * A container's user namespace: the host ids it maps to, and a descriptor of it (made by
 * {@link UserNamespaces}) that the layers are idmapped with and actord-init joins.
 */
public record UserNamespace(IdRange range, Fd fd) implements AutoCloseable {
    public UserNamespace {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(fd, "fd");
    }

    /** Closes this process's descriptor; the namespace lives on while actord-init is in it. */
    @Override
    public void close() {
        fd.close();
    }
}
