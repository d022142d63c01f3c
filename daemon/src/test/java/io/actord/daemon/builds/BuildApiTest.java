package io.actord.daemon.builds;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.BuildStatus;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.TarEntry;
import io.actord.daemon.image.TarWriter;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeImageBuilder;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds from source over the API, as apify-client's {@code actor.build()}, {@code build(id)} and
 * {@code actor.defaultBuild()} call them, with a scripted builder ({@link FakeImageBuilder}) in place of the
 * Dockerfile one: statuses, waitForFinish, abort, timeout, the memory limit and the host's queue, the log, tags,
 * the default build, restart recovery and the errors of bad requests.
 */
class BuildApiTest {
    private static final String VERSION = """
            {"versionNumber":"0.1","sourceType":"SOURCE_FILES","buildTag":"beta","applyEnvVarsToBuild":true,
             "envVars":[{"name":"NPM_TOKEN","value":"s3cret","isSecret":true}],
             "sourceFiles":[
               {"name":".actor","folder":true},
               {"name":".actor/actor.json","format":"TEXT",
                "content":"{\\"actorSpecification\\":1,\\"name\\":\\"hello\\",\\"version\\":\\"0.1\\",\\"input\\":\\"./input_schema.json\\",\\"dockerfile\\":\\"../Dockerfile\\"}"},
               {"name":".actor/input_schema.json","format":"TEXT","content":"{\\"title\\":\\"In\\",\\"type\\":\\"object\\"}"},
               {"name":"Dockerfile","format":"TEXT","content":"FROM base\\nCMD [\\"exit\\",\\"0\\"]\\n"},
               {"name":"src/main.js","format":"BASE64","content":"Y29uc29sZS5sb2coMSk="}]}""";

    @TempDir
    Path dir;
    private final FakeImageBuilder builder = new FakeImageBuilder();
    private FakeRuntime runtime;
    private TestDaemon daemon;
    private Api api;

    /** Starts a daemon (again, on the same state) with the scripted builder. */
    private void start(String... flags) throws IOException {
        runtime = new FakeRuntime();
        daemon = TestDaemon.start(dir, runtime, Duration.ofSeconds(1), List.of(flags), Duration.ofSeconds(300),
                parts -> builder);
        api = daemon.api();
        if (daemon.daemon().actors().find(daemon.daemon().users().local().id(), "base-layers").isEmpty()) {
            builder.defaultLayers(importedLayers(daemon.actor("base-layers", "exit", "0")));
        }
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** An actor (with one imported build, whose layers the scripted builds reuse) and version 0.1 of it. */
    private String actorWithVersion(String name) throws Exception {
        String actor = daemon.actor(name, "exit", "0");
        api.post("/v2/acts/" + actor + "/versions", VERSION).expect(201);
        return actor;
    }

    private List<Digest> importedLayers(String actor) {
        return daemon.daemon().actors().resolveBuild(daemon.daemon().actors().byId(actor).orElseThrow(), "latest")
                .layers().stream().map(Digest::parse).toList();
    }

    /** Starts a build of version 0.1 that runs until it is aborted, and waits until it is under way. */
    private String startWaitingBuild(String actor, String line) throws InterruptedException {
        builder.next(builder.untilCancelled(line));
        String id = api.post("/v2/acts/" + actor + "/builds?version=0.1", "").expect(201).data().get("id").asText();
        builder.awaitStarted();
        return id;
    }

    @Test
    void shouldBuildTheVersionsSourceAndStartRunsFromTheBuiltImage() throws Exception {
        start();
        String actor = actorWithVersion("from-source");
        builder.next(FakeImageBuilder.succeed(importedLayers(actor), List.of("sleep", "30"), "added 3 packages"));

        JsonNode build = api.post("/v2/acts/" + actor + "/builds?version=0.1&useCache=1&waitForFinish=60", "")
                .expect(201).data();

        assertEquals("SUCCEEDED", build.get("status").asText(), build.toString());
        assertEquals("0.1.1", build.get("buildNumber").asText());
        assertEquals(List.of("beta"), List.of(build.get("tags").get(0).asText()), "the version's buildTag");
        assertEquals("In", build.get("actorDefinition").get("input").get("title").asText(), build.toString());
        assertTrue(build.get("options").get("useCache").asBoolean());
        assertEquals(4096, build.get("options").get("memoryMbytes").asInt(), "Apify's build memory");
        assertEquals("API", build.get("meta").get("origin").asText());
        assertTrue(build.get("stats").get("durationMillis").asLong() >= 0);
        FakeImageBuilder.Seen seen = builder.seen().get(0);
        assertEquals("Dockerfile", seen.request().dockerfile(), "actor.json's dockerfile, relative to .actor/");
        assertEquals("console.log(1)", seen.files().get("src/main.js"));
        assertEquals("s3cret", seen.request().buildArgs().get("NPM_TOKEN"), "applyEnvVarsToBuild: build args");
        assertEquals(4096, seen.request().size().memoryMbytes());
        String log = api.get("/v2/logs/" + build.get("id").asText()).expect(200).text();
        assertTrue(log.contains("added 3 packages") && log.contains("Build succeeded"), log);

        String run = api.post("/v2/acts/" + actor + "/runs?build=beta", "").expect(201).data().get("id").asText();
        awaitStatus(api, run, "RUNNING");
        assertEquals(List.of("sleep", "30"), runtime.last().spec().command());
        assertEquals("1", runtime.last().spec().env().get("FROM_IMAGE"), "the image's environment");
        api.post("/v2/actor-runs/" + run + "/abort", "").expect(200);
    }

    @Test
    void shouldFailWithTheBuildersMessageLastInTheLogAndMoveNoTag() throws Exception {
        start();
        String actor = actorWithVersion("failing");
        String latest = daemon.daemon().actors().byId(actor).orElseThrow().taggedBuilds().get("latest");
        builder.next(FakeImageBuilder.fail(3, "line 3: RUN npm ci: exit code 1"));

        JsonNode build = api.post("/v2/acts/" + actor + "/builds?version=0.1&tag=latest&waitForFinish=60", "")
                .expect(201).data();

        assertEquals("FAILED", build.get("status").asText());
        assertTrue(build.get("finishedAt").isTextual());
        List<String> lines = api.get("/v2/actor-builds/" + build.get("id").asText() + "/log").expect(200).text()
                .lines().toList();
        assertTrue(lines.get(lines.size() - 1).endsWith("line 3: RUN npm ci: exit code 1"), lines.toString());
        assertEquals(latest, daemon.daemon().actors().byId(actor).orElseThrow().taggedBuilds().get("latest"),
                "a tag moves only on success");
        assertEquals("invalid-value", api.post("/v2/acts/" + actor + "/runs?build=0.1.1", "").expect(400)
                .errorType(), "a failed build does not run");
    }

    @Test
    void shouldFailAnImageItsRunsCouldNotStart() throws Exception {
        start();
        String actor = actorWithVersion("unrunnable");
        builder.next(FakeImageBuilder.succeed(List.of(), List.of("exit", "0")));
        builder.next(FakeImageBuilder.succeed(importedLayers(actor), List.of()));
        String builds = "/v2/acts/" + actor + "/builds?version=0.1&waitForFinish=60";

        JsonNode noLayers = api.post(builds, "").expect(201).data();
        JsonNode noCommand = api.post(builds, "").expect(201).data();

        assertEquals("FAILED", noLayers.get("status").asText());
        assertTrue(api.get("/v2/logs/" + noLayers.get("id").asText()).expect(200).text().contains("no layers"));
        assertEquals("FAILED", noCommand.get("status").asText());
        assertTrue(api.get("/v2/logs/" + noCommand.get("id").asText()).expect(200).text()
                .contains("no ENTRYPOINT or CMD"));
    }

    @Test
    void shouldAbortARunningBuildAndEndItsLogStream() throws Exception {
        start();
        String actor = actorWithVersion("aborted");
        String id = startWaitingBuild(actor, "npm install ...");
        assertEquals("RUNNING", api.get("/v2/actor-builds/" + id).expect(200).data().get("status").asText());
        CompletableFuture<HttpResponse<String>> stream = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                URI.create(api.base() + "/v2/logs/" + id + "?stream=1")).header("Authorization", "Bearer "
                + daemon.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("deleting-unfinished-build", api.delete("/v2/actor-builds/" + id).expect(400).errorType());

        JsonNode aborted = api.post("/v2/actor-builds/" + id + "/abort", "").expect(200).data();

        assertEquals("ABORTED", aborted.get("status").asText());
        String streamed = stream.get(10, TimeUnit.SECONDS).body();
        assertTrue(streamed.contains("npm install ...") && streamed.contains("the build was aborted"), streamed);
        assertEquals("ABORTED", api.post("/v2/actor-builds/" + id + "/abort", "").expect(200).data().get("status")
                .asText(), "aborting an ended build does nothing");
        assertTrue(Files.exists(dir.resolve("state/logs/" + id + ".log")));
        api.delete("/v2/actor-builds/" + id).expect(204);
        assertFalse(Files.exists(dir.resolve("state/logs/" + id + ".log")), "a deleted build's log goes too");
    }

    @Test
    void shouldTimeOut() throws Exception {
        start();
        String actor = actorWithVersion("slow");
        builder.next(builder.untilCancelled("sleeping"));

        JsonNode build = api.post("/v2/acts/" + actor + "/builds?version=0.1&timeout=1&waitForFinish=30", "")
                .expect(201).data();

        assertEquals("TIMED-OUT", build.get("status").asText(), build.toString());
    }

    @Test
    void shouldCountBuildsInTheUsersMemoryLimitWithRuns() throws Exception {
        start("--user-memory-limit-mb", "6144");
        String actor = actorWithVersion("limited");
        String first = startWaitingBuild(actor, "building");

        assertEquals("actor-memory-limit-exceeded", api.post("/v2/acts/" + actor + "/builds?version=0.1", "")
                .expect(402).errorType());
        assertEquals("actor-memory-limit-exceeded", api.post("/v2/acts/" + actor + "/runs?memory=4096", "")
                .expect(402).errorType(), "a run counts the build's 4096 MB");
        api.post("/v2/acts/" + actor + "/runs?memory=2048", "").expect(201);
        api.post("/v2/actor-builds/" + first + "/abort", "").expect(200);
    }

    @Test
    void shouldWaitReadyForTheHostsMemoryBehindRunsAndBuilds() throws Exception {
        start("--host-memory-mb", "4096");
        String actor = actorWithVersion("queued");
        String first = startWaitingBuild(actor, "first");
        JsonNode second = api.post("/v2/acts/" + actor + "/builds?version=0.1&memory=2048", "").expect(201).data();
        assertEquals("0.1.2", second.get("buildNumber").asText());
        Thread.sleep(200);
        assertEquals("READY", api.get("/v2/actor-builds/" + second.get("id").asText()).expect(200).data()
                .get("status").asText(), "no room on the host while the first builds");
        assertTrue(api.get("/v2/logs/" + second.get("id").asText()).expect(200).text().contains("Waiting for the"
                + " host's memory"));

        api.post("/v2/actor-builds/" + first + "/abort", "").expect(200);

        JsonNode done = api.get("/v2/actor-builds/" + second.get("id").asText() + "?waitForFinish=30").expect(200)
                .data();
        assertEquals("SUCCEEDED", done.get("status").asText(), done.toString());
    }

    @Test
    void shouldAbortABuildThatWaitsForTheHostAtOnce() throws Exception {
        start("--host-memory-mb", "4096");
        String actor = actorWithVersion("never-started");
        String first = startWaitingBuild(actor, "first");
        String second = api.post("/v2/acts/" + actor + "/builds?version=0.1", "").expect(201).data().get("id")
                .asText();

        assertEquals("ABORTED", api.post("/v2/actor-builds/" + second + "/abort", "").expect(200).data()
                .get("status").asText());
        api.post("/v2/actor-builds/" + first + "/abort", "").expect(200);
        assertEquals(1, builder.seen().size(), "the aborted build never reached the builder");
    }

    @Test
    void shouldServeTheDefaultBuildTheActorsDefaultTagNames() throws Exception {
        start();
        String actor = actorWithVersion("defaulted");
        builder.next(FakeImageBuilder.succeed(importedLayers(actor), List.of("exit", "0")));
        String id = api.post("/v2/acts/" + actor + "/builds?version=0.1&tag=latest&waitForFinish=60", "")
                .expect(201).data().get("id").asText();

        JsonNode def = api.get("/v2/acts/" + actor + "/builds/default?waitForFinish=5").expect(200).data();

        assertEquals(id, def.get("id").asText());
    }

    @Test
    void shouldFailBuildsAnEarlierDaemonLeftUnfinished() throws Exception {
        start();
        String actor = actorWithVersion("interrupted");
        String id = api.post("/v2/acts/" + actor + "/builds?version=0.1&waitForFinish=60", "").expect(201).data()
                .get("id").asText();
        Build stored = daemon.daemon().actors().buildStore().find(id).orElseThrow();
        daemon.daemon().actors().buildStore().update(stored.withStatus(BuildStatus.RUNNING, null));
        daemon.close();

        start();

        assertEquals("FAILED", api.get("/v2/actor-builds/" + id).expect(200).data().get("status").asText());
        String log = api.get("/v2/actor-builds/" + id + "/log").expect(200).text();
        assertTrue(log.contains("The daemon stopped while this build was RUNNING"), log);
    }

    @Test
    void shouldLeaveTheBuildsOfAnotherDaemonOnTheSameDatabaseToIt() throws Exception {
        PostgresServer.Outcome pg = PostgresServer.jvm();
        if (pg.server().isEmpty()) {
            System.out.println("SKIPPED shouldLeaveTheBuildsOfAnotherDaemonOnTheSameDatabaseToIt: " + pg.reason());
        }
        assumeTrue(pg.server().isPresent(), pg.reason());
        String url = pg.server().get().createDatabase("build_owners");
        start("--state", url);
        String actor = actorWithVersion("elsewhere");
        String id = startWaitingBuild(actor, "long step");

        try (TestDaemon other = TestDaemon.start(dir.resolve("other"), new FakeRuntime(), Duration.ofSeconds(1),
                List.of("--state", url))) {
            assertEquals("RUNNING", other.api().get("/v2/actor-builds/" + id).expect(200).data().get("status")
                    .asText(), "the other daemon's start left the build to the daemon that runs it");
        }
        assertEquals("RUNNING", api.get("/v2/actor-builds/" + id).expect(200).data().get("status").asText());
    }

    @Test
    void shouldFailTheBuildsUnderWayWhenTheDaemonStops() throws Exception {
        start();
        String actor = actorWithVersion("stopping");
        String id = startWaitingBuild(actor, "long step");

        daemon.close();
        start();

        assertEquals("FAILED", api.get("/v2/actor-builds/" + id).expect(200).data().get("status").asText());
        assertTrue(api.get("/v2/logs/" + id).expect(200).text().contains("the daemon stopped while the build was"
                + " running"));
    }

    @Test
    void shouldRefuseBadRequestsWithApifysErrorTypes() throws Exception {
        start();
        String actor = actorWithVersion("refused");
        String builds = "/v2/acts/" + actor + "/builds";
        assertEquals("record-not-found", api.post(builds + "?version=9.9", "").expect(404).errorType());
        assertEquals("invalid-input", api.post(builds, "").expect(400).errorType());
        assertEquals("invalid-value", api.post(builds + "?version=0.1&memory=1000", "").expect(400).errorType());
        assertEquals("invalid-value", api.post(builds + "?version=0.1&tag=1.2.3", "").expect(400).errorType());
        api.post("/v2/acts/" + actor + "/versions", "{\"versionNumber\":\"0.2\",\"sourceType\":\"GIT_REPO\","
                + "\"gitRepoUrl\":\"https://example.com/x.git\"}").expect(201);
        assertEquals("invalid-value", api.post(builds + "?version=0.2", "").expect(400).errorType());
        api.post("/v2/acts/" + actor + "/versions", "{\"versionNumber\":\"0.3\",\"sourceType\":\"SOURCE_FILES\","
                + "\"sourceFiles\":[{\"name\":\"main.js\",\"format\":\"TEXT\",\"content\":\"1\"}]}").expect(201);
        JsonNode noDockerfile = api.post(builds + "?version=0.3&waitForFinish=60", "").expect(201).data();
        assertEquals("FAILED", noDockerfile.get("status").asText());
        assertTrue(api.get("/v2/logs/" + noDockerfile.get("id").asText()).expect(200).text()
                .contains("the source has no Dockerfile"));
        assertFalse(builder.seen().stream().anyMatch(s -> s.request().buildId().equals(noDockerfile.get("id")
                .asText())));
        api.post("/v2/acts/" + actor + "/versions", "{\"versionNumber\":\"0.5\",\"sourceType\":\"TARBALL\","
                + "\"tarballUrl\":\"http://127.0.0.1:9/source.tar\"}").expect(201);
        JsonNode refused = api.post(builds + "?version=0.5&waitForFinish=60", "").expect(201).data();
        assertEquals("FAILED", refused.get("status").asText());
        assertTrue(api.get("/v2/logs/" + refused.get("id").asText()).expect(200).text()
                .contains("127.0.0.1 is not an allowed destination"), "the daemon fetches no loopback URL");
    }

    @Test
    void shouldBuildATarballUploadedToTheDaemonsKeyValueStore() throws Exception {
        start();
        String actor = daemon.actor("tarball", "exit", "0");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(new GZIPOutputStream(tar))) {
            w.add(TarEntry.directory("./", 0755));
            w.add(TarEntry.directory(".actor/", 0755));
            byte[] dockerfile = "FROM base\n".getBytes(StandardCharsets.UTF_8);
            w.add(TarEntry.file(".actor/Dockerfile", 0644, dockerfile.length), dockerfile);
            byte[] main = "console.log(2)".getBytes(StandardCharsets.UTF_8);
            w.add(TarEntry.file("main.js", 0644, main.length), main);
        }
        String store = api.post("/v2/key-value-stores?name=sources", "").expect(201).data().get("id").asText();
        String url = api.base() + "/v2/key-value-stores/" + store + "/records/actor.tar.gz";
        api.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/gzip")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(tar.toByteArray()))).expect(201);
        api.post("/v2/acts/" + actor + "/versions", "{\"versionNumber\":\"0.4\",\"sourceType\":\"TARBALL\","
                + "\"tarballUrl\":\"" + url + "\"}").expect(201);

        JsonNode build = api.post("/v2/acts/" + actor + "/builds?version=0.4&waitForFinish=60", "").expect(201).data();

        assertEquals("SUCCEEDED", build.get("status").asText(), build.toString());
        FakeImageBuilder.Seen seen = builder.seen().get(0);
        assertEquals(".actor/Dockerfile", seen.request().dockerfile());
        assertEquals("console.log(2)", seen.files().get("main.js"));
        assertEquals("latest", build.get("tags").get(0).asText(), "a version's default buildTag");
    }

    @Test
    void shouldLetAUserBuildTheirOwnActor() throws Exception {
        start();
        Api alice = daemon.user("alice");
        String actor = alice.post("/v2/acts", "{\"name\":\"alices\"}").expect(201).data().get("id").asText();
        alice.post("/v2/acts/" + actor + "/versions", VERSION).expect(201);

        JsonNode build = alice.post("/v2/acts/" + actor + "/builds?version=0.1&waitForFinish=60", "").expect(201)
                .data();

        assertEquals("SUCCEEDED", build.get("status").asText(), build.toString());
        assertEquals("record-not-found", daemon.user("bob").post("/v2/acts/" + actor + "/builds?version=0.1", "")
                .expect(404).errorType(), "not someone else's");
    }
}
