package io.actord.daemon.systemd;

import io.actord.cgroups.testing.Host;
import io.actord.daemon.testing.DaemonProcess;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NotifySocket;
import io.actord.daemon.testing.TestDaemon;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The daemon jar started the way systemd starts a socket-activated, Type=notify service, with
 * systemd-socket-activate(1) in place of PID 1: it listens on a Unix socket and a TCP port, starts the
 * daemon on the first connection with LISTEN_FDS, and the test plays the service manager on
 * NOTIFY_SOCKET. It needs no root (without root the daemon serves with no container runtime); as root
 * the runtime's cgroups go to a subtree of the test's own, released afterwards. The real systemd test
 * is tests/systemd/run.
 */
@Timeout(180)
class SocketActivationIT {
    private static final Path ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");

    @TempDir
    Path dir;

    private NotifySocket manager;
    private Process daemon;
    private final String subtree = ItRuntime.subtree();

    @BeforeEach
    void check() {
        String reason = !Files.isExecutable(ACTIVATE) ? ACTIVATE + " is missing (Debian package systemd)"
                : !Files.exists(DaemonProcess.JAR) ? DaemonProcess.JAR + " is not built (run mvn package first)"
                : !Epoll.isAvailable() ? "Netty's native epoll transport is unavailable" : null;
        if (reason != null) {
            System.out.println("SKIPPED SocketActivationIT: " + reason);
        }
        assumeTrue(reason == null, "SKIPPED SocketActivationIT: " + reason);
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        if (manager != null) {
            manager.close();
        }
        if (daemon != null && Host.isRoot()) {
            ItRuntime.releaseSubtree(subtree);
        }
    }

    /** Starts systemd-socket-activate with the daemon behind it; it listens at once, the daemon starts later. */
    private Path activate(int port, String... env) throws IOException {
        Path notify = dir.resolve("notify");
        manager = NotifySocket.bind(notify.toString());
        Path socket = dir.resolve("passed.sock");
        List<String> cmd = new ArrayList<>(List.of(ACTIVATE.toString(), "-l", socket.toString(),
                "-l", "127.0.0.1:" + port, "-E", "NOTIFY_SOCKET=" + notify));
        for (String e : env) {
            cmd.addAll(List.of("-E", e));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                DaemonProcess.JAR.toAbsolutePath().toString(), "--state-dir", dir.resolve("state").toString(),
                "--socket", dir.resolve("configured.sock").toString(), "--listen", "127.0.0.1:0",
                "--cgroup-subtree", subtree));
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(socket)) {
            assertTrue(daemon.isAlive() && System.nanoTime() < deadline, "systemd-socket-activate did not listen: "
                    + log());
            sleep(20);
        }
        return socket;
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("daemon.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next notification the daemon sends, waiting up to 60 s. */
    private String notification() throws IOException, InterruptedException {
        try {
            return manager.receive(Duration.ofSeconds(60));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; daemon log:\n" + log(), e);
        }
    }

    /** One HTTP/1.0 GET over a Unix socket (the JDK's HTTP client speaks only TCP). */
    private static String getOverUnixSocket(Path socket, String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: actord\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocate(65536);
            while (ch.read(in) >= 0) {
                if (!in.hasRemaining()) {
                    break;
                }
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldServeThePassedSocketsAndTellTheManager() throws Exception {
        int port = DaemonProcess.freePort();
        Path socket = activate(port, "WATCHDOG_USEC=2000000");

        String first = getOverUnixSocket(socket, "/healthz");
        assertTrue(first.startsWith("HTTP/1.1 200"), "the connection that started the daemon is served: " + first);
        List<String> messages = new ArrayList<>();
        String message;
        do {
            message = notification();
            messages.add(message);
        } while (!message.startsWith("READY=1"));
        assertTrue(messages.get(0).startsWith("STATUS=starting"), messages.toString());
        assertEquals("READY=1\nSTATUS=serving; 0 active runs", message);
        assertEquals("WATCHDOG=1", notification(), "pings at half of WATCHDOG_USEC");
        assertEquals("WATCHDOG=1", notification());

        assertEquals(200, new TestDaemon.Api(URI.create("http://127.0.0.1:" + port), Optional.empty()).get("/healthz").status(),
                "the passed TCP socket");
        assertFalse(Files.exists(dir.resolve("configured.sock")), "the configured socket is not bound");
        assertTrue(log().contains("passed-in=unix,tcp"), log());

        daemon.destroy();
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
        String stopping;
        do {
            stopping = notification();
        } while (stopping.equals("WATCHDOG=1"));
        assertEquals("STOPPING=1\nSTATUS=stopping", stopping);
        assertTrue(Files.exists(socket), "a passed socket's file belongs to whoever made it");
    }

    @Test
    void shouldStopWithItsPolicyOnSigusr1() throws Exception {
        Path socket = activate(DaemonProcess.freePort());
        assertTrue(getOverUnixSocket(socket, "/healthz").startsWith("HTTP/1.1 200"));
        String message;
        do {
            message = notification();
        } while (!message.startsWith("READY=1"));

        new ProcessBuilder("kill", "-USR1", Long.toString(daemon.pid())).inheritIO().start().waitFor();

        assertEquals("STOPPING=1\nSTATUS=stopping: abort runs", notification());
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "exits after the full stop");
        assertEquals(0, daemon.exitValue());
        assertTrue(log().contains("actord full stop policy=abort active=0"), log());
    }
}
