package io.actord.runtime.sys;

import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link Linux#receive} got from a Unix socket.
 *
 * @param length the bytes read (0 at end of stream)
 * @param fd     a descriptor that came with them (SCM_RIGHTS), now this process's; the caller closes it
 */
public record Received(int length, Optional<Fd> fd) {
    public Received {
        Objects.requireNonNull(fd, "fd");
    }
}
