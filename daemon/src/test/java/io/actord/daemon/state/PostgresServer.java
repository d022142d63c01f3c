package io.actord.daemon.state;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, one per test JVM: Debian's {@code initdb} and {@code pg_ctl} in a temporary
 * directory, listening on a Unix socket in that directory only (no TCP), with trust authentication for the socket
 * (the directory is the server's own, mode 0700). PostgreSQL refuses to run as root, so under root the server
 * runs as the {@code postgres} system user ({@code runuser}) with the directory handed to it; otherwise as the
 * test's own user. fsync is off (unless {@link #DURABLE}): tests check what the store does, not what the disk keeps.
 *
 * <p>The server stops when the JVM's test plan is done ({@link PostgresServerStop}; also when JUnit's root store
 * closes, where {@link #shared} put it): {@code pg_ctl stop -m immediate} (the data is thrown away), {@code -m fast}
 * if that did not stop it, then {@code rm -rf} of the directory. A shutdown hook does the same if the JVM ends
 * otherwise. Each test (or class) takes a fresh database of its own with {@link #createDatabase}; a test daemon takes
 * the one of its directory ({@link #database}).
 */
public final class PostgresServer implements AutoCloseable {
    /** The user {@code initdb} makes the superuser; connections over the socket authenticate as it (trust). */
    public static final String USER = "actord_test";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresServer.class);
    private static final int PORT = 5432;
    /** {@code -Dactord.test.postgres.durable=true}: fsync as in production (the storage benchmark sets it). */
    private static final boolean DURABLE = Boolean.getBoolean("actord.test.postgres.durable");
    private static Outcome jvmOutcome;

    private final Path dir;
    private final Path bin;
    private final boolean asPostgresUser;
    private final AtomicInteger databases = new AtomicInteger();
    private final Thread hook = new Thread(this::stop, "postgres-test-server-stop");
    private long startMillis;
    private boolean stopped;

    private PostgresServer(Path dir, Path bin, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.asPostgresUser = asPostgresUser;
    }

    /** What a skipped test prints when there is no server: the reason it could not start, or empty when it runs. */
    public record Outcome(Optional<PostgresServer> server, String reason) {
    }

    /**
     * What a test class registers ({@code @RegisterExtension static final PostgresServer.Fixture PG = ...}): before
     * its tests, the JVM's server, or a skip that prints why there is none. {@link #database} makes a fresh one.
     */
    public static final class Fixture implements BeforeAllCallback {
        private PostgresServer server;

        @Override
        public void beforeAll(ExtensionContext context) {
            Outcome outcome = shared(context);
            if (outcome.server().isEmpty()) {
                System.out.println("SKIPPED " + context.getDisplayName() + ": " + outcome.reason());
            }
            Assumptions.assumeTrue(outcome.server().isPresent(), outcome.reason());
            server = outcome.server().get();
        }

        public PostgresServer server() {
            return server;
        }

        /** A new empty database's {@code postgres://} URI. */
        public String database(String hint) {
            return server.createDatabase(hint);
        }
    }

    /**
     * The JVM's server, started on first use, registered in JUnit's root store so that it stops when the JVM's tests
     * are done; a failed start is remembered, so later classes skip at once.
     */
    public static Outcome shared(ExtensionContext context) {
        Outcome outcome = jvm();
        outcome.server().ifPresent(server -> context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PostgresServer.class, k -> server, PostgresServer.class));
        return outcome;
    }

    /** Stops the JVM's server if it was started ({@link PostgresServerStop}, when the test plan is done). */
    static synchronized void stopJvmServer() {
        if (jvmOutcome != null) {
            jvmOutcome.server().ifPresent(PostgresServer::close);
        }
    }

    /**
     * The JVM's server for code without a JUnit context ({@code TestDaemon}); it stops when the test plan is done
     * ({@link PostgresServerStop}) or, failing that, with the JVM (a shutdown hook).
     */
    public static synchronized Outcome jvm() {
        if (jvmOutcome == null) {
            jvmOutcome = startOrExplain();
        }
        return jvmOutcome;
    }

    private static Outcome startOrExplain() {
        Optional<Path> bin = binDir();
        if (bin.isEmpty()) {
            return new Outcome(Optional.empty(), "no /usr/lib/postgresql/*/bin/initdb (Debian package postgresql)");
        }
        try {
            return new Outcome(Optional.of(start(bin.get())), "");
        } catch (IOException | RuntimeException e) {
            return new Outcome(Optional.empty(), "PostgreSQL did not start: " + e.getMessage());
        }
    }

    /** The newest installed server's binaries (Debian keeps them per major version). */
    static Optional<Path> binDir() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static PostgresServer start(Path bin) throws IOException {
        long begin = System.nanoTime();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("actord-pg", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        PostgresServer server = new PostgresServer(dir, bin, root);
        Runtime.getRuntime().addShutdownHook(server.hook);
        try {
            if (root) {
                server.exec(List.of("chown", "postgres:postgres", dir.toString()), false);
            }
            server.exec(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"), true);
            server.pgCtlStart();
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        server.startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        System.out.printf("PostgreSQL test server: %s in %s%s, started in %d ms%n", bin.getParent().getFileName(), dir,
                DURABLE ? " (fsync on)" : " (fsync off)", server.startMillis);
        return server;
    }

    /**
     * A server of the caller's own, apart from the JVM's shared one, for a test that stops and starts it
     * ({@link #kill}, {@link #restart}) without disturbing other tests; the caller closes it.
     *
     * @throws IOException when there is no PostgreSQL or it did not start
     */
    public static PostgresServer startOwn() throws IOException {
        return start(binDir().orElseThrow(() -> new IOException("no /usr/lib/postgresql/*/bin/initdb (Debian package"
                + " postgresql)")));
    }

    /** Kills the server as a crash would: {@code pg_ctl stop -m immediate}, no checkpoint; a restart replays WAL. */
    public synchronized void kill() throws IOException {
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                "-t", "30", "stop"), true);
    }

    /** Starts the server again on its directory and socket (after {@link #kill}); returns once it takes connections. */
    public synchronized void restart() throws IOException {
        if (stopped) {
            throw new IllegalStateException("the server in " + dir + " was closed");
        }
        pgCtlStart();
    }

    private void pgCtlStart() throws IOException {
        String options = "-k " + dir + " -c listen_addresses='' -p " + PORT
                + (DURABLE ? "" : " -c fsync=off -c full_page_writes=off")
                + " -c max_connections=200 -c shared_buffers=32MB";
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-o", options, "-w", "-t", "60", "start"), true);
    }

    /** The directory the server's socket ({@code .s.PGSQL.5432}) is in. */
    public Path socketDir() {
        return dir;
    }

    public long startMillis() {
        return startMillis;
    }

    /** The {@code postgres://} URI of database {@code name} on this server, over its socket. */
    public String uri(String name) {
        return "postgres://" + USER + "@/" + name + "?host=" + dir + "&port=" + PORT;
    }

    /** Creates an empty database named after {@code hint} (and a counter) and gives its {@code postgres://} URI. */
    public String createDatabase(String hint) {
        return database("t" + databases.incrementAndGet() + "_" + hint);
    }

    /**
     * The {@code postgres://} URI of the database named after {@code key}, created empty the first time: a daemon
     * restarted on the same directory finds its state again.
     */
    public synchronized String database(String key) {
        String name = name(key);
        PostgresLocation admin = PostgresLocation.parse(uri("postgres"));
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.properties());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE \"" + name + "\" TEMPLATE template0 STRATEGY FILE_COPY");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("create database " + name + ": " + e.getMessage(), e);
        }
        return uri(name);
    }

    /** Drops the database named after {@code key}, if there is one, ending any session still on it. */
    public synchronized void dropDatabase(String key) {
        PostgresLocation admin = PostgresLocation.parse(uri("postgres"));
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.properties());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name(key) + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("drop database " + name(key) + ": " + e.getMessage(), e);
        }
    }

    /** The directories that hold database {@code key}'s tables, and the server's WAL (which every database writes). */
    public List<Path> files(String key) {
        PostgresLocation admin = PostgresLocation.parse(uri("postgres"));
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.properties());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT oid FROM pg_database WHERE datname = '" + name(key) + "'")) {
            if (!rs.next()) {
                throw new IllegalStateException("no database " + name(key));
            }
            Path data = dir.resolve("data");
            return List.of(data.resolve("base").resolve(Long.toString(rs.getLong(1))), data.resolve("pg_wal"));
        } catch (SQLException e) {
            throw new IllegalStateException("find database " + name(key) + ": " + e.getMessage(), e);
        }
    }

    private static String name(String key) {
        String name = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        return name.substring(0, Math.min(name.length(), 60));
    }

    /** Runs a command (as the {@code postgres} user when {@code asServerUser} and the tests run as root). */
    private void exec(List<String> command, boolean asServerUser) throws IOException {
        List<String> full = new ArrayList<>();
        if (asServerUser && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).directory(Path.of("/").toFile()).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " exited " + p.exitValue() + ": " + output.strip()
                        + serverLog());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", full), e);
        }
    }

    private String serverLog() {
        try {
            Path log = dir.resolve("server.log");
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the server (immediate, then fast) and removes its directory; idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is what is running, or about to.
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            for (String mode : List.of("immediate", "fast")) {
                try {
                    exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t",
                            "30", "stop"), true);
                    break;
                } catch (IOException e) {
                    System.out.println("PostgreSQL test server: pg_ctl stop -m " + mode + " failed: " + e.getMessage());
                }
            }
        }
        // rm rather than a walk in Java: a server that held many databases leaves tens of thousands of files, and
        // a child process finishes the removal even when the JVM is halted meanwhile (a test fork's exit timeout).
        try {
            exec(List.of("rm", "-rf", "--one-file-system", dir.toString()), false);
        } catch (IOException e) {
            System.out.println("PostgreSQL test server: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
