package io.actord.daemon.systemd;

import io.actord.daemon.http.InheritedListeners;
import io.actord.runtime.InheritedDescriptors;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntConsumer;

/**
 * Socket activation (sd_listen_fds(3)): systemd passes {@code LISTEN_FDS} listening sockets as descriptors
 * 3, 4, … with {@code LISTEN_PID} = the process they are meant for and optional {@code LISTEN_FDNAMES}.
 * actord serves one Unix socket and one TCP listener, so it tells them apart by their address family
 * (SO_DOMAIN), not by name: any socket unit layout works. Passed sockets are blocking; Netty's event loops
 * need them non-blocking.
 */
public final class ListenFds {
    /** sd-daemon.h: SD_LISTEN_FDS_START. */
    static final int FIRST_FD = 3;
    // <sys/socket.h>, <asm-generic/socket.h> (x86_64 and arm64 agree).
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_DOMAIN = 39;
    private static final int SOCK_STREAM = 1;
    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    /** What a descriptor is, as {@link #probe} reads it from the kernel. */
    public record Probed(int fd, int family, int type, boolean listening) {
    }

    /** Reads a descriptor's socket options. */
    @FunctionalInterface
    public interface Probe {
        Probed probe(int fd) throws IOException;
    }

    private ListenFds() {
    }

    /** As below, asking the kernel, and readying the sockets for Netty's event loops (non-blocking). */
    public static InheritedListeners fromEnvironment(Map<String, String> env, long pid) {
        InheritedDescriptors descriptors = InheritedDescriptors.system();
        return fromEnvironment(env, pid, ListenFds::probe, descriptors::prepareForEventLoop);
    }

    /**
     * The sockets passed to process {@code pid}; none when LISTEN_PID names another process (the variables
     * were inherited) or there are no LISTEN_FDS. Each socket it returns has been given to {@code prepare}.
     *
     * @throws IllegalStateException when a passed descriptor is not a listening stream socket of a family
     *                               actord serves, or there is more than one of a kind
     */
    public static InheritedListeners fromEnvironment(Map<String, String> env, long pid, Probe probe,
                                                     IntConsumer prepare) {
        String listenPid = env.getOrDefault("LISTEN_PID", "");
        String count = env.getOrDefault("LISTEN_FDS", "");
        if (count.isEmpty() || !listenPid.equals(Long.toString(pid))) {
            return InheritedListeners.NONE;
        }
        int n;
        try {
            n = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("LISTEN_FDS=" + count + " is not a number");
        }
        List<String> names = List.of(env.getOrDefault("LISTEN_FDNAMES", "").split(":", -1));
        List<Integer> unix = new ArrayList<>();
        List<Integer> tcp = new ArrayList<>();
        for (int fd = FIRST_FD; fd < FIRST_FD + n; fd++) {
            String what = "passed socket fd " + fd + (names.size() == n ? " (" + names.get(fd - FIRST_FD) + ")" : "");
            Probed s;
            try {
                s = probe.probe(fd);
            } catch (IOException e) {
                throw new IllegalStateException(what + ": " + e.getMessage(), e);
            }
            if (s.type() != SOCK_STREAM || !s.listening()) {
                throw new IllegalStateException(what + " is not a listening stream socket (ListenStream=)");
            }
            switch (s.family()) {
                case AF_UNIX -> unix.add(fd);
                case AF_INET, AF_INET6 -> tcp.add(fd);
                default -> throw new IllegalStateException(what + " has address family " + s.family()
                        + "; actord serves AF_UNIX and TCP");
            }
        }
        if (unix.size() > 1 || tcp.size() > 1) {
            throw new IllegalStateException("systemd passed Unix sockets " + unix + " and TCP sockets " + tcp
                    + "; actord serves at most one of each");
        }
        unix.forEach(prepare::accept);
        tcp.forEach(prepare::accept);
        return new InheritedListeners(first(unix), first(tcp));
    }

    private static OptionalInt first(List<Integer> fds) {
        return fds.isEmpty() ? OptionalInt.empty() : OptionalInt.of(fds.get(0));
    }

    /** getsockopt(2) through Netty's native Unix socket (the descriptor stays open). */
    public static Probed probe(int fd) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("socket activation needs Netty's native epoll transport: "
                    + Epoll.unavailabilityCause());
        }
        Socket socket = new Socket(fd);
        return new Probed(fd, socket.getIntOpt(SOL_SOCKET, SO_DOMAIN), socket.getIntOpt(SOL_SOCKET, SO_TYPE),
                socket.getIntOpt(SOL_SOCKET, SO_ACCEPTCONN) == 1);
    }
}
