package io.actord.runtime;

import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.JnaLinux;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.Namespace;
import io.actord.runtime.sys.OpenMode;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Creates sockets in a container's network namespace from the daemon, with no veth or bridge (DESIGN.md,
 * "Networking"): a throw-away platform thread setns()es into the namespace, runs the action — which creates
 * the socket, e.g. a Netty server channel, whose constructor opens it — and setns()es back. A socket belongs
 * to the namespace it was created in and can be used from any thread afterwards (kernel-notes.md; a
 * {@code java.net.Socket} does not work, its fd is made lazily at connect()). The calling thread's
 * namespaces never change, and if the way back failed the thread would just end.
 */
public final class NetworkNamespaces {
    private static final Path OWN = Path.of("/proc/thread-self/ns/net");

    private final Linux linux;

    public NetworkNamespaces(Linux linux) {
        this.linux = linux;
    }

    /** Through glibc. */
    public static NetworkNamespaces system() {
        return new NetworkNamespaces(new JnaLinux());
    }

    /**
     * As {@link #call}, without waiting: the future completes on the throw-away thread once it is back in
     * its own namespace (so what runs on completion never runs inside the container's), exceptionally
     * with a {@link io.actord.runtime.sys.SyscallException} when the namespace cannot be entered. For
     * callers that must not block, such as event loops.
     */
    public <T> CompletableFuture<T> callAsync(Path netns, Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            T value;
            try (Fd own = linux.open(OWN, OpenMode.READ); Fd target = linux.open(netns, OpenMode.READ)) {
                linux.setns(target, Namespace.NET);
                try {
                    value = action.get();
                } finally {
                    linux.setns(own, Namespace.NET);
                }
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                return;
            }
            // Only now: the thread is back in its namespace and both descriptors are closed.
            result.complete(value);
        }, "netns-enter");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /**
     * Runs {@code action} in the network namespace {@code netns} (a /proc/PID/ns/net path, e.g.
     * {@link Container#networkNamespace()}) and returns its result. The action must be short and must not
     * start threads (they would stay in the namespace).
     *
     * @throws io.actord.runtime.sys.SyscallException when the namespace cannot be entered (the container is gone)
     */
    public <T> T call(Path netns, Supplier<T> action) {
        CompletableFuture<T> result = callAsync(netns, action);
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
