package io.actord.daemon.builds;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NodeBaseImage;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds from source end to end with the real runtime and the Dockerfile builder: the Apify-layout actor
 * ({@code src/test/node/actor}: .actor/actor.json, a Dockerfile FROM the tests' node base image, {@code npm ci}
 * from the image's offline npm cache, the published apify SDK) uploaded as a version's source files, built over the
 * API, run; the build cache up to the changed file's COPY; and builds that fail (out of memory, a timeout, an abort,
 * the user's memory limit, a bad Dockerfile). The daemon's user memory limit is 6144 MB so a second 4096 MB build
 * gets 402. After the class no container, mount or cgroup of a build is left.
 */
@Tag("privileged")
class SourceBuildIT {
    private static final String BASE = "FROM " + NodeBaseImage.NAME + "\n";

    @TempDir
    static Path dir;
    private static ItRuntime.Choice rt;
    private static TestDaemon daemon;
    private static Api api;
    private static final List<String> BUILDS = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(ItRuntime.unavailableReason().isEmpty(), ItRuntime.unavailableReason().orElse(""));
        NodeScripts.install();
        rt = ItRuntime.real(dir.resolve("rt"));
        daemon = TestDaemon.start(dir, rt.runtime(), Duration.ofSeconds(2), List.of("--user-memory-limit-mb", "6144"));
        api = daemon.api();
        NodeBaseImage.importInto(daemon);
    }

    @AfterAll
    static void shouldLeaveNothingOfTheBuilds() throws IOException {
        if (daemon == null) {
            return;
        }
        daemon.close();
        rt.close(); // fails when a step's cgroup was left
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        for (String id : BUILDS) {
            assertFalse(mounts.contains(id), "a mount of build " + id + " is left:\n" + mounts);
        }
        Path containers = dir.resolve("state/containers");
        if (Files.isDirectory(containers)) {
            try (Stream<Path> left = Files.list(containers)) {
                assertEquals(List.of(), left.toList(), "step directories left");
            }
        }
    }

    @Test
    void shouldBuildTheApifyLayoutActorRunItAndReuseTheStepsBeforeTheChangedFile() throws Exception {
        Path src = NodeBaseImage.actor(dir.resolve("actor"));
        String actor = api.post("/v2/acts", "{\"name\":\"source-built\"}").expect(201).data().get("id").asText();
        api.post("/v2/acts/" + actor + "/versions", NodeBaseImage.version(src, "0.1")).expect(201);

        JsonNode first = build(actor, "&useCache=1");
        assertEquals("SUCCEEDED", first.get("status").asText(), log(first));
        assertTrue(log(first).contains("Installed "), log(first));
        JsonNode run = run(actor, "{\"greeting\":\"hi\"}");
        assertEquals("[{\"greeting\":\"hi\",\"builtFrom\":\"source\"}]", api.get("/v2/datasets/"
                + run.get("defaultDatasetId").asText() + "/items").expect(200).json().toString());
        assertEquals("{\"greeting\":\"hi\",\"version\":1}", output(run));

        Files.writeString(src.resolve("main.js"), Files.readString(src.resolve("main.js"))
                .replace("version: 1", "version: 2"));
        api.put("/v2/acts/" + actor + "/versions/0.1", NodeBaseImage.version(src, "0.1")).expect(200);
        JsonNode second = build(actor, "&useCache=1");
        assertTrue(second.get("options").get("useCache").asBoolean(), second.toString());
        assertEquals("SUCCEEDED", second.get("status").asText(), log(second));
        List<String> lines = log(second).lines().toList();
        for (String step : List.of("COPY package*.json ./", "RUN npm ci --offline")) {
            assertTrue(cached(lines, step), "cached: " + step + "\n" + log(second));
        }
        assertFalse(cached(lines, "COPY . ./"), "the changed file's COPY is not cached:\n" + log(second));
        assertEquals("{\"greeting\":\"hello\",\"version\":2}", output(run(actor, "{}")), "the input's default");

        JsonNode rebuilt = build(actor, "&useCache=0");
        assertEquals("SUCCEEDED", rebuilt.get("status").asText(), log(rebuilt));
        assertFalse(log(rebuilt).contains("Using cache"), log(rebuilt));
    }

    @Test
    void shouldFailAStepPastTheBuildsMemoryAsOutOfMemory() throws Exception {
        JsonNode build = build(actor("memhog", BASE + "RUN /bin/payload memhog 512\n"), "&memory=128");
        assertEquals("FAILED", build.get("status").asText(), log(build));
        assertTrue(log(build).contains("out of memory"), log(build));
    }

    @Test
    void shouldEndTimedOutWhenAStepSleepsPastTheTimeout() throws Exception {
        JsonNode build = build(actor("sleeper", BASE + "RUN sleep 600\n"), "&timeout=3&memory=256");
        assertEquals("TIMED-OUT", build.get("status").asText(), log(build));
    }

    @Test
    void shouldAbortARunningBuildAndRefuseANewOneOverTheUsersMemoryLimit() throws Exception {
        String actor = actor("aborted", BASE + "RUN echo started && sleep 600\n");
        String id = api.post("/v2/acts/" + actor + "/builds?version=0.1", "").expect(201).data().get("id").asText();
        BUILDS.add(id);
        for (int i = 0; i < 600 && !api.get("/v2/logs/" + id).expect(200).text().contains("started"); i++) {
            Thread.sleep(100);
        }
        assertTrue(api.get("/v2/logs/" + id).expect(200).text().contains("started"), "the step runs");

        assertEquals("actor-memory-limit-exceeded", api.post("/v2/acts/" + actor + "/builds?version=0.1", "")
                .expect(402).errorType(), "4096 MB more than the 6144 MB limit allows");
        api.post("/v2/actor-builds/" + id + "/abort", "").expect(200);

        JsonNode done = finished("/v2/actor-builds/", api.get("/v2/actor-builds/" + id).expect(200).data());
        assertEquals("ABORTED", done.get("status").asText(), log(done));
    }

    @Test
    void shouldFailAnUnknownInstructionNamingItsLine() throws Exception {
        JsonNode build = build(actor("bad", BASE + "RUN true\nFOO bar\n"), "&memory=256");
        assertEquals("FAILED", build.get("status").asText(), log(build));
        assertTrue(log(build).contains("line 3"), log(build));
        assertTrue(log(build).contains("FOO"), log(build));
    }

    /** An actor whose version 0.1 is {@code dockerfile} alone (a TEXT source file). */
    private static String actor(String name, String dockerfile) throws IOException {
        String actor = api.post("/v2/acts", "{\"name\":\"" + name + "\"}").expect(201).data().get("id").asText();
        api.post("/v2/acts/" + actor + "/versions", Json.MAPPER.writeValueAsString(Map.of("versionNumber", "0.1",
                "sourceType", "SOURCE_FILES", "sourceFiles", List.of(Map.of("name", "Dockerfile", "format", "TEXT",
                        "content", dockerfile))))).expect(201);
        return actor;
    }

    /** Builds version 0.1 and waits for the end. */
    private static JsonNode build(String actor, String query) {
        JsonNode build = api.post("/v2/acts/" + actor + "/builds?version=0.1&waitForFinish=60" + query, "")
                .expect(201).data();
        BUILDS.add(build.get("id").asText());
        return finished("/v2/actor-builds/", build);
    }

    /** {@code job} (a build or a run) once it has ended, asking again while the server's wait ends first. */
    private static JsonNode finished(String path, JsonNode job) {
        for (int i = 0; i < 20 && List.of("READY", "RUNNING").contains(job.get("status").asText()); i++) {
            job = api.get(path + job.get("id").asText() + "?waitForFinish=60").expect(200).data();
        }
        return job;
    }

    private static String log(JsonNode build) {
        return api.get("/v2/logs/" + build.get("id").asText()).expect(200).text();
    }

    /** Whether the line after the step that starts with {@code instruction} says it came from the cache. */
    private static boolean cached(List<String> lines, String instruction) {
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).matches(".*Step \\d+/\\d+ : " + java.util.regex.Pattern.quote(instruction) + ".*")) {
                return lines.get(i + 1).endsWith("---> Using cache");
            }
        }
        throw new AssertionError("no step " + instruction + " in\n" + String.join("\n", lines));
    }

    private static JsonNode run(String actor, String input) {
        JsonNode run = finished("/v2/actor-runs/", api.post("/v2/acts/" + actor + "/runs?memory=1024&waitForFinish=60",
                input).expect(201).data());
        String log = api.get("/v2/logs/" + run.get("id").asText()).expect(200).text();
        assertEquals("SUCCEEDED", run.get("status").asText(), log);
        return run;
    }

    private static String output(JsonNode run) {
        return api.get("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId").asText() + "/records/OUTPUT")
                .expect(200).json().toString();
    }
}
