package io.actord.cli.testing;

import io.actord.daemon.testing.DaemonProcess;
import io.actord.daemon.testing.TestDaemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged daemon ({@code daemon/target/actord.jar}) in its own process, on a temp state directory,
 * a temp Unix socket and a free loopback port. {@link #close} ends that process (by its handle) and waits.
 */
public final class ActordProcess implements AutoCloseable {
    public static final Path JAR = Path.of(System.getProperty("actord.jar", DaemonProcess.JAR.toString()))
            .toAbsolutePath().normalize();

    private final Process process;
    private final Path dir;
    private final int port;
    private TestDaemon.Api api;

    private ActordProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static ActordProcess start(Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isRegularFile(JAR), "the daemon jar is not built: " + JAR);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--state-dir", dir.resolve("state").toString(), "--socket",
                dir.resolve("actord.sock").toString(), "--listen", "127.0.0.1:" + port,
                // A subtree of its own, removed at its clean stop: never a real daemon's "actord".
                "--cgroup-subtree", "actord-it-" + ProcessHandle.current().pid() + "-" + port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("actord.log").toFile()).start();
        ActordProcess d = new ActordProcess(p, dir, port);
        TestDaemon.Api anonymous = new TestDaemon.Api(URI.create(d.url()), Optional.empty());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the daemon exited with " + p.exitValue() + ":\n" + d.log());
            }
            try {
                if (anonymous.get("/healthz").status() == 200) {
                    d.api = TestDaemon.localApi(d.socket(), URI.create(d.url()));
                    return d;
                }
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    d.close();
                    throw new IllegalStateException("the daemon did not answer in 60 s:\n" + d.log());
                }
            }
            Thread.sleep(100);
        }
    }

    public Path socket() {
        return dir.resolve("actord.sock");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The API over TCP as the daemon's local account (a token made over the admin socket at start). */
    public TestDaemon.Api api() {
        return api;
    }

    /** The token {@link #api()} sends. */
    public String token() {
        return api.token().orElseThrow();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("actord.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped in 30 s. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
