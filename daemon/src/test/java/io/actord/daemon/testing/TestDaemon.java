package io.actord.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.ActorDaemon;
import io.actord.daemon.DaemonConfig;
import io.actord.daemon.ImageBuilders;
import io.actord.daemon.common.Json;
import io.actord.daemon.run.RunService;
import io.actord.daemon.state.PostgresLocation;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.state.PostgresStateStore;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.runtime.ContainerRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A whole daemon for a test: state and Unix socket in a temp directory, TCP on 127.0.0.1 with a free
 * port, the given runtime, and a short grace period. {@link #api()} talks to it over TCP with a token of
 * the daemon's local account (the account the admin socket acts as, so both see the same actors and runs);
 * {@link #user} adds another user and talks as them.
 */
public final class TestDaemon implements AutoCloseable {
    private final Path dir;
    private final ActorDaemon daemon;
    private final String token;
    private final Api api;
    private boolean keepRuns;

    private TestDaemon(Path dir, ActorDaemon daemon) {
        this.dir = dir;
        this.daemon = daemon;
        this.token = daemon.users().tokens().issue(daemon.users().local().id(), "test").secret();
        this.api = new Api(base(), Optional.of(token));
    }

    public static TestDaemon start(Path dir, ContainerRuntime runtime, Duration grace) {
        return start(dir, runtime, grace, List.of());
    }

    /** As {@link #start(Path, ContainerRuntime, Duration)}, with more daemon flags ({@code "--containers-domain", "x"}). */
    public static TestDaemon start(Path dir, ContainerRuntime runtime, Duration grace, List<String> flags) {
        return start(dir, runtime, grace, flags, RunService.Settings.DEFAULTS.syncWait());
    }

    /** As above, waiting {@code syncWait} for a synchronous run rather than Apify's 300 s. */
    public static TestDaemon start(Path dir, ContainerRuntime runtime, Duration grace, List<String> flags,
                                   Duration syncWait) {
        return start(dir, runtime, grace, flags, syncWait, ImageBuilders.DEFAULT);
    }

    /** As above, building from source with the builder {@code builders} makes ({@code parts -> fakeBuilder}). */
    public static TestDaemon start(Path dir, ContainerRuntime runtime, Duration grace, List<String> flags,
                                   Duration syncWait, ImageBuilders builders) {
        return start(dir, runtime, grace, flags, syncWait, builders, Clock.tickMillis(ZoneOffset.UTC));
    }

    /** As {@link #start(Path, ContainerRuntime, Duration)}, on {@code clock} (a {@link MutableClock} the test moves). */
    public static TestDaemon start(Path dir, ContainerRuntime runtime, Duration grace, Clock clock) {
        return start(dir, runtime, grace, List.of(), RunService.Settings.DEFAULTS.syncWait(), ImageBuilders.DEFAULT,
                clock);
    }

    /** As above, with more daemon flags (two daemons on one {@code --state} database and one clock). */
    public static TestDaemon start(Path dir, ContainerRuntime runtime, Duration grace, List<String> flags,
                                   Clock clock) {
        return start(dir, runtime, grace, flags, RunService.Settings.DEFAULTS.syncWait(), ImageBuilders.DEFAULT, clock);
    }

    private static TestDaemon start(Path dir, ContainerRuntime runtime, Duration grace, List<String> flags,
                                    Duration syncWait, ImageBuilders builders, Clock clock) {
        List<String> args = new ArrayList<>(List.of("--state-dir", dir.resolve("state").toString(),
                "--socket", dir.resolve("api.sock").toString(), "--listen", "127.0.0.1:0",
                "--abort-grace-secs", Long.toString(grace.toSeconds())));
        args.addAll(TestNetworks.isolatedUnlessAsked(flags));
        args.addAll(flags.contains("--state") ? List.of() : stateFlags(dir));
        DaemonConfig config = DaemonConfig.parse(args.toArray(String[]::new));
        RunService.Settings settings = new RunService.Settings(grace, Duration.ofSeconds(2), Duration.ofMillis(200),
                syncWait);
        return new TestDaemon(dir, ActorDaemon.start(config, runtime, clock, settings, builders));
    }

    /**
     * {@code -Dactord.test.state=postgres}: the daemon keeps its state in a database of the test JVM's PostgreSQL
     * server instead of RocksDB, one per daemon directory (the API tests on the second backend, #25): new for a new
     * directory, the same for a daemon restarted on one, dropped once the directory is gone ({@link DaemonDatabases}).
     * A test that passes {@code --state} itself keeps its own.
     */
    static List<String> stateFlags(Path dir) {
        if (!onPostgres()) {
            return List.of();
        }
        PostgresServer.Outcome pg = PostgresServer.jvm();
        if (pg.server().isEmpty()) {
            throw new IllegalStateException("actord.test.state=postgres, but " + pg.reason());
        }
        return List.of("--state", DaemonDatabases.open(pg.server().get(), databaseName(dir), dir));
    }

    /** The state of the stopped daemon in {@code dir}, opened as the daemon opens it: RocksDB there, or its database. */
    public static StateStore openState(Path dir) {
        if (!onPostgres()) {
            return RocksStateStore.open(dir.resolve("state/rocksdb"), ActorDaemon.TABLES);
        }
        PostgresServer server = PostgresServer.jvm().server().orElseThrow();
        return PostgresStateStore.open(PostgresLocation.parse(DaemonDatabases.open(server, databaseName(dir), dir)),
                ActorDaemon.TABLES);
    }

    /** The test server's database of the daemon in {@code dir}: one per directory, however a link names it. */
    private static String databaseName(Path dir) {
        String path;
        try {
            path = (Files.exists(dir) ? dir.toRealPath() : dir.toAbsolutePath()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("resolve " + dir, e);
        }
        return "d" + UUID.nameUUIDFromBytes(path.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    /** Whether the daemons the tests start keep their state in PostgreSQL ({@code -Dactord.test.state=postgres}). */
    public static boolean onPostgres() {
        return "postgres".equals(System.getProperty("actord.test.state", "rocksdb"));
    }

    /** The API as the local account, over TCP. */
    public Api api() {
        return api;
    }

    /** The local account's token that {@link #api()} sends. */
    public String token() {
        return token;
    }

    /** The API over TCP with no token. */
    public Api anonymous() {
        return new Api(base(), Optional.empty());
    }

    /** A new user (the daemon's default memory limit) and the API as them, over TCP. */
    public Api user(String username) {
        String id = daemon.users().create(username, null).id();
        return new Api(base(), Optional.of(daemon.users().tokens().issue(id, "test").secret()));
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + daemon.tcpAddress().orElseThrow().getPort());
    }

    public ActorDaemon daemon() {
        return daemon;
    }

    /** The directory the daemon keeps its state ({@code state/}) and socket in. */
    public Path dir() {
        return dir;
    }

    /**
     * Where the daemon's state is on this host: its directory, and on PostgreSQL ({@link #onPostgres}) the files of
     * its database on the test server and the server's WAL.
     */
    public List<Path> stateLocations() {
        if (!onPostgres()) {
            return List.of(dir());
        }
        List<Path> all = new ArrayList<>(List.of(dir()));
        all.addAll(PostgresServer.jvm().server().orElseThrow().files(databaseName(dir)));
        return all;
    }

    public Path socket() {
        return dir.resolve("api.sock");
    }

    /** A rootfs directory with one file, enough for a build. */
    public Path rootfs() throws IOException {
        Path rootfs = dir.resolve("rootfs-src");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.writeString(rootfs.resolve("bin/marker"), "rootfs\n");
        return rootfs;
    }

    /** Creates an actor named {@code name} with one build whose entrypoint is {@code cmd}; returns the actor id. */
    public String actor(String name, String... cmd) throws IOException {
        return actor(name, rootfs(), List.of(cmd));
    }

    /** Creates an actor of {@code owner}'s (the admin builds it) with one build running {@code cmd}; returns its id. */
    public String actor(Api owner, String name, String... cmd) throws IOException {
        return actor(owner, name, rootfs(), List.of(cmd), Map.of());
    }

    /** Creates an actor with one build from {@code rootfs} running {@code cmd}; returns the actor id. */
    public String actor(String name, Path rootfs, List<String> cmd) throws IOException {
        return actor(api, name, rootfs, cmd, Map.of());
    }

    /** As {@link #actor(String, Path, List)}, with environment variables for the build's runs. */
    public String actor(String name, Path rootfs, List<String> cmd, Map<String, String> env) throws IOException {
        return actor(api, name, rootfs, cmd, env);
    }

    private String actor(Api owner, String name, Path rootfs, List<String> cmd, Map<String, String> env)
            throws IOException {
        JsonNode actor = owner.post("/v2/acts", "{\"name\":\"" + name + "\"}").expect(201).data();
        String id = actor.get("id").asText();
        admin("/v2/acts/" + id + "/builds", Json.MAPPER.writeValueAsString(Map.of(
                "rootfs", rootfs.toString(), "cmd", cmd, "env", env))).expect(201);
        return id;
    }

    /** POSTs JSON over the admin Unix socket (builds may be created only there). */
    public Response admin(String path, String json) throws IOException {
        return unixPost(socket(), path, json);
    }

    /** Any request over the admin Unix socket; {@code json} may be null for none. */
    public Response admin(String method, String path, String json) throws IOException {
        return unix(socket(), method, path, json);
    }

    /**
     * A daemon (in another process) answering on {@code socket} and on TCP at {@code base}: the API as its
     * local account, with a token made over the admin socket.
     */
    public static Api localApi(Path socket, URI base) throws IOException {
        String token = unixPost(socket, "/v2/actord/users/local/tokens", "{\"name\":\"test\"}").expect(201).data()
                .get("token").asText();
        return new Api(base, Optional.of(token));
    }

    /** POSTs JSON to a daemon's Unix socket. */
    public static Response unixPost(Path socket, String path, String json) throws IOException {
        return unix(socket, "POST", path, json);
    }

    /** GETs from a daemon's Unix socket (as its admin). */
    public static Response unixGet(Path socket, String path) throws IOException {
        return unix(socket, "GET", path, null);
    }

    private static Response unix(Path socket, String method, String path, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String raw = RawHttp.unix(socket, method + " " + path + " HTTP/1.1\r\nHost: actord\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n", body);
        int end = raw.indexOf("\r\n\r\n");
        String head = raw.substring(0, end);
        String type = head.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                .map(l -> l.substring(13).trim()).findFirst().orElse("");
        return new Response(Integer.parseInt(raw.substring(9, 12)), type,
                raw.substring(end + 4).getBytes(StandardCharsets.UTF_8));
    }

    /** Makes {@link #close()} leave active runs running, as a daemon restart does (recovery tests). */
    public TestDaemon keepRunsOnClose() {
        keepRuns = true;
        return this;
    }

    /**
     * Aborts every run still active (a failed test must not leave containers behind), waits for their
     * containers to be released, and stops the daemon.
     */
    @Override
    public void close() {
        try {
            if (!keepRuns) {
                abortActiveRuns();
            }
        } finally {
            daemon.close();
        }
    }

    private void abortActiveRuns() {
        daemon.runs().activeRuns().forEach(run -> daemon.runs().abort(run.id(), false));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (daemon.runs().activeCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A small JSON-over-HTTP client; with a token, it sends it as {@code Authorization: Bearer}. */
    public static final class Api {
        private final URI base;
        private final Optional<String> token;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        public Api(URI base, Optional<String> token) {
            this.base = base;
            this.token = token;
        }

        public URI base() {
            return base;
        }

        public Optional<String> token() {
            return token;
        }

        public Response get(String path) {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        public Response post(String path, String json) {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        public Response post(String path) {
            return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
        }

        public Response put(String path, String json) {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        public Response delete(String path) {
            return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
        }

        public Response send(HttpRequest.Builder request) {
            token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
            try {
                HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(90)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
            } catch (IOException e) {
                throw new IllegalStateException("request failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A response: status, content type, body; JSON helpers for Apify's envelopes. */
    public record Response(int status, String contentType, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + text(), e);
            }
        }

        public JsonNode data() {
            return json().get("data");
        }

        /** The Apify error type of an error response. */
        public String errorType() {
            return json().path("error").path("type").asText();
        }

        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + ", got " + status + ": " + text());
            }
            return this;
        }
    }
}
