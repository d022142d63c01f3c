package io.actord.runtime.testing;

import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.Namespace;
import io.actord.runtime.sys.OpenMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Opens sockets inside a container's network namespace as the daemon's proxy will (DESIGN.md): a throw-away
 * platform thread setns()es in, creates the socket (it belongs to the namespace it was created in), and
 * setns()es back; the socket is then used from any thread.
 */
public final class NetnsSockets {
    private NetnsSockets() {
    }

    public static SocketChannel open(Linux linux, Path netns) {
        CompletableFuture<SocketChannel> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (Fd own = linux.open(Path.of("/proc/thread-self/ns/net"), OpenMode.READ);
                 Fd target = linux.open(netns, OpenMode.READ)) {
                linux.setns(target, Namespace.NET);
                SocketChannel channel;
                try {
                    channel = SocketChannel.open();
                } finally {
                    linux.setns(own, Namespace.NET);
                }
                result.complete(channel);
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "netns-socket");
        thread.start();
        return result.join();
    }
}
