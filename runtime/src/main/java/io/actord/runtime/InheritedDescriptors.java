package io.actord.runtime;

import io.actord.runtime.sys.JnaLinux;
import io.actord.runtime.sys.Linux;

/**
 * Descriptors the daemon was handed when it started, such as the listening sockets of systemd socket
 * activation. They come blocking and inheritable (sd_listen_fds(3)); an event loop needs them
 * non-blocking, or one accept() with no connection waiting stalls every channel of the loop. Here
 * because only the runtime reaches the kernel directly.
 */
public final class InheritedDescriptors {
    private final Linux linux;

    public InheritedDescriptors(Linux linux) {
        this.linux = linux;
    }

    /** Through glibc. */
    public static InheritedDescriptors system() {
        return new InheritedDescriptors(new JnaLinux());
    }

    /**
     * Makes {@code fd} non-blocking and close-on-exec.
     *
     * @throws io.actord.runtime.sys.SyscallException when it is not an open descriptor
     */
    public void prepareForEventLoop(int fd) {
        linux.adoptInherited(fd);
    }
}
