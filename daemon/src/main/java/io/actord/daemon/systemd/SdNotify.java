package io.actord.daemon.systemd;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sd_notify(3) protocol: newline-separated {@code KEY=VALUE} assignments in one datagram to the
 * AF_UNIX socket named by {@code $NOTIFY_SOCKET} (a path, or "@name" in the abstract namespace). The JDK
 * has no Unix datagram sockets, so the datagram goes through Netty's native Unix socket, which epoll
 * loads. Without {@code $NOTIFY_SOCKET} every method does nothing. Errors are logged once and otherwise
 * ignored, as sd_notify's are: the daemon's work does not depend on being heard.
 */
public final class SdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);
    /** Not a systemd service (or one whose manager does not listen). */
    public static final SdNotify NONE = new SdNotify(Optional.empty(), Optional.empty());

    private final Optional<byte[]> address;
    private final Optional<Duration> watchdog;
    private final AtomicBoolean warned = new AtomicBoolean();

    private SdNotify(Optional<byte[]> address, Optional<Duration> watchdog) {
        this.address = address;
        this.watchdog = watchdog;
    }

    /**
     * From {@code NOTIFY_SOCKET}, and {@code WATCHDOG_USEC} when {@code WATCHDOG_PID} is unset or is
     * {@code pid} (a child that inherited the variables must not feed its parent's watchdog).
     */
    public static SdNotify fromEnvironment(Map<String, String> env, long pid) {
        String socket = env.getOrDefault("NOTIFY_SOCKET", "");
        if (socket.isEmpty()) {
            return NONE;
        }
        byte[] address = (socket.startsWith("@") ? "\0" + socket.substring(1) : socket)
                .getBytes(StandardCharsets.UTF_8);
        Optional<Duration> watchdog = Optional.empty();
        String usec = env.getOrDefault("WATCHDOG_USEC", "");
        String watchdogPid = env.getOrDefault("WATCHDOG_PID", "");
        if (!usec.isEmpty() && (watchdogPid.isEmpty() || watchdogPid.equals(Long.toString(pid)))) {
            try {
                long micros = Long.parseLong(usec);
                watchdog = micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
            } catch (NumberFormatException e) {
                LOG.warn("systemd WATCHDOG_USEC={} is not a number; no watchdog pings", usec);
            }
        }
        return new SdNotify(Optional.of(address), watchdog);
    }

    /** Whether a service manager listens. */
    public boolean enabled() {
        return address.isPresent();
    }

    /** How often the manager wants {@link #watchdog()}: its WatchdogSec=; ping at least twice per period. */
    public Optional<Duration> watchdogPeriod() {
        return watchdog;
    }

    /** Start-up is complete: Type=notify units become active now. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** Free text for {@code systemctl status}. */
    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /** Shutdown has begun. */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    /** Asks for {@code more} time before the current start or stop times out (systemd 236). */
    public void extendTimeout(Duration more) {
        send("EXTEND_TIMEOUT_USEC=" + more.toNanos() / 1000);
    }

    /** The daemon is alive. */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ');
    }

    private void send(String message) {
        if (address.isEmpty()) {
            return;
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try {
            if (!Epoll.isAvailable()) {
                throw new IOException("Netty's native transport is unavailable: " + Epoll.unavailabilityCause());
            }
            Socket socket = Socket.newSocketDomainDgram();
            try {
                ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
                socket.sendToDomainSocket(buffer, 0, bytes.length, address.get());
            } finally {
                socket.close();
            }
        } catch (IOException | RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("cannot notify systemd at NOTIFY_SOCKET: {}; the unit may time out", e.getMessage());
            }
        }
    }
}
