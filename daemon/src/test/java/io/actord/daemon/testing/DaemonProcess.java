package io.actord.daemon.testing;

import io.actord.cgroups.testing.Host;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemon as its own process (the shaded jar), for tests that must {@code kill -9} it. Ends only the
 * process it started, by its handle.
 */
public final class DaemonProcess implements AutoCloseable {
    public static final Path JAR = ItRuntime.checkout().resolve("daemon/target/actord.jar");

    private final Process process;
    private TestDaemon.Api api;
    private final Path log;

    private DaemonProcess(Process process, TestDaemon.Api api, Path log) {
        this.process = process;
        this.api = api;
        this.log = log;
    }

    /**
     * The daemon JVM's options from {@code -Dactord.test.daemon.jvm} (comma-separated): under an emulated guest,
     * where each JVM start costs a minute, bin/test makes the daemons' JVMs start cheaper.
     */
    static List<String> jvmOptions() {
        String opts = System.getProperty("actord.test.daemon.jvm", "");
        return java.util.Arrays.stream(opts.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
    }

    /** Starts the daemon on {@code dir}'s state with the given extra flags and waits until it answers. */
    public static DaemonProcess start(Path dir, int port, String... flags) throws IOException, InterruptedException {
        return start(List.of("-jar", JAR.toString()), dir, port, flags);
    }

    /**
     * As {@link #start(Path, int, String...)}, the daemon's process being {@code java <launch> <flags>}: the jar, or
     * a main class of these tests on a class path of the jar and them (the crash-window test's daemon).
     */
    public static DaemonProcess start(List<String> launch, Path dir, int port, String... flags)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions());
        cmd.addAll(launch);
        cmd.addAll(List.of("--state-dir", dir.resolve("state").toString(),
                "--socket", dir.resolve("api.sock").toString(), "--listen", "127.0.0.1:" + port));
        cmd.addAll(TestNetworks.isolatedUnlessAsked(List.of(flags)));
        cmd.addAll(List.of(flags).contains("--state") ? List.of() : TestDaemon.stateFlags(dir));
        Path log = dir.resolve("daemon-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DaemonProcess d = new DaemonProcess(p, new TestDaemon.Api(java.net.URI.create("http://127.0.0.1:" + port),
                java.util.Optional.empty()), log);
        Duration patience = Host.patience(Duration.ofSeconds(60));
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the daemon exited with " + p.exitValue() + ":\n" + d.log());
            }
            try {
                if (d.api.get("/healthz").status() == 200) {
                    d.api = TestDaemon.localApi(dir.resolve("api.sock"), d.api.base());
                    return d;
                }
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("the daemon did not answer in " + patience + ":\n" + d.log());
                }
            }
            Thread.sleep(100);
        }
    }

    /**
     * A cgroup subtree for {@code test}'s daemon processes ({@link ItRuntime#releaseSubtree} after the test), when this
     * host can run them: the real runtime works and the jar is built; otherwise {@code test} is skipped, and says why.
     */
    public static String subtreeOrSkip(String test) {
        String reason = ItRuntime.unavailableReason().orElse(Files.exists(JAR) ? null
                : JAR + " is not built (run mvn package first)");
        if (reason != null) {
            System.out.println("SKIPPED " + test + ": " + reason);
        }
        Assumptions.assumeTrue(reason == null, "SKIPPED " + test + ": " + reason);
        return ItRuntime.subtree();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The API as the daemon's local account (over TCP, with a token). */
    public TestDaemon.Api api() {
        return api;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Whether the process still runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: the clean stop. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
