package io.actord.daemon.cluster;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real one-member etcd for tests: Debian's {@code /usr/bin/etcd} (package {@code etcd-server}) with its data in a
 * temporary directory, listening on 127.0.0.1 only, on client and peer ports that were free a moment before. It can
 * be killed ({@code SIGKILL}, as a crash) and started again on the same data, which keeps the leases it granted.
 * {@link #close} kills it and removes the directory; a shutdown hook does the same if the JVM ends otherwise.
 */
public final class EtcdServer implements AutoCloseable {
    static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration START_WAIT = Duration.ofSeconds(30);

    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private final Thread hook = new Thread(this::stop, "etcd-test-server-stop");
    private Process process;
    private long startMillis;

    private EtcdServer(Path dir, int clientPort, int peerPort) {
        this.dir = dir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /** Why tests that need etcd cannot run here, or null when they can. */
    static String missing() {
        return Files.isExecutable(ETCD) ? null : "no " + ETCD + " (Debian package etcd-server)";
    }

    /** Starts a server of its own; the caller closes it. */
    public static EtcdServer start() throws IOException {
        EtcdServer server = new EtcdServer(Files.createTempDirectory("actord-etcd"), freePort(), freePort());
        Runtime.getRuntime().addShutdownHook(server.hook);
        try {
            server.restart();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code etcd://127.0.0.1:PORT}, as {@code --cluster} takes it. */
    public String url() {
        return "etcd://127.0.0.1:" + clientPort;
    }

    public List<URI> endpoints() {
        return List.of(URI.create("http://127.0.0.1:" + clientPort));
    }

    public long startMillis() {
        return startMillis;
    }

    /** Kills the server as a crash would. */
    public synchronized void kill() throws IOException {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while etcd stopped", e);
            }
            process = null;
        }
    }

    /** Starts the server (again, after {@link #kill}) on its data; returns once it answers its health check. */
    public synchronized void restart() throws IOException {
        long begin = System.nanoTime();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(ETCD.toString(), "--name", "test", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer, "--initial-cluster", "test=" + peer,
                "--initial-cluster-state", "new", "--log-outputs", "stderr")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log")
                        .toFile())).start();
        awaitHealthy(client);
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }

    private void awaitHealthy(String client) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(client + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"true\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet: ask again below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while etcd started", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while etcd started", e);
            }
        }
        throw new IOException("etcd did not become healthy in " + START_WAIT.toSeconds() + " s: " + log());
    }

    private String log() {
        try {
            String log = Files.readString(dir.resolve("etcd.log"));
            return log.substring(Math.max(0, log.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private synchronized void stop() {
        try {
            kill();
        } catch (IOException e) {
            System.out.println("etcd test server: " + e.getMessage());
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("etcd test server: could not remove " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is what is running, or about to.
        }
    }

    /**
     * A server for a test class ({@code @RegisterExtension static final EtcdServer.Fixture ETCD = ...}), started
     * before its tests and killed after them; without etcd the class is skipped with the reason printed.
     */
    public static final class Fixture implements BeforeAllCallback, AfterAllCallback {
        private EtcdServer server;

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            String missing = missing();
            if (missing != null) {
                System.out.println("SKIPPED " + context.getDisplayName() + ": " + missing);
            }
            Assumptions.assumeTrue(missing == null, missing);
            server = start();
            System.out.printf("etcd test server: 127.0.0.1:%d, started in %d ms%n", server.clientPort,
                    server.startMillis);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (server != null) {
                server.close();
            }
        }

        public EtcdServer server() {
            return server;
        }
    }
}
