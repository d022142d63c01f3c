package io.actord.daemon.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.DaemonBackup;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The done-when of issue 23's backup: a backup taken while 5 runs write their datasets restores into a fresh state
 * directory whose daemon lists every user, actor, build, finished run and storage (with its items) that existed when
 * the backup began. The lists are taken just before the backup call; after the restore each of their entries must be
 * there, and each dataset hold at least the items it had then, in the same order. Containers are FakeRuntime's (a
 * backup copies state, not containers); the backup itself is real: a RocksDB checkpoint, cp of the layers, keys and
 * logs, and {@code actord --restore}.
 */
class BackupRestoreIT {
    private static final int WRITERS = 5;
    private static final int FINISHED = 6;
    private static final String SECRET_ACTOR = "secret-env";

    @TempDir
    Path dir;

    @Test
    void shouldRestoreEverythingThatExistedWhenTheBackupBegan() throws Exception {
        // BackupApiTest checks that a daemon on PostgreSQL refuses the backup, pointing to pg_dump
        assumeFalse(TestDaemon.onPostgres(), "actorctl daemon backup copies a RocksDB state; the state is in PostgreSQL");
        FakeRuntime runtime = new FakeRuntime();
        Path backup = dir.resolve("backup");
        Map<String, List<String>> before;
        Map<String, List<JsonNode>> itemsBefore = new LinkedHashMap<>();
        List<String> writing = new ArrayList<>();
        try (TestDaemon first = TestDaemon.start(dir.resolve("first"), runtime, Duration.ofSeconds(1))) {
            populate(first);
            String writer = first.actor("writer", "sleep", "120");
            List<JsonNode> runs = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                runs.add(first.api().post("/v2/acts/" + writer + "/runs").expect(201).data());
            }
            runtime.awaitCreated(FINISHED + WRITERS, Duration.ofSeconds(10));
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch writingStarted = new CountDownLatch(WRITERS);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<Integer>> pushed = new ArrayList<>();
            for (JsonNode run : runs) {
                String dataset = run.get("defaultDatasetId").asText();
                writing.add(dataset);
                pushed.add(pool.submit(() -> push(first, dataset, stop, writingStarted)));
            }
            writingStarted.await();
            Thread.sleep(300);
            before = lists(first);
            for (String dataset : before.get("datasets")) {
                itemsBefore.put(dataset, items(first, dataset));
            }
            JsonNode manifest = first.admin("/v2/actord/backup", "{\"directory\":\"" + backup + "\"}").expect(201)
                    .data();
            Thread.sleep(300);
            stop.set(true);
            int total = 0;
            for (Future<Integer> f : pushed) {
                total += f.get();
            }
            pool.shutdown();
            System.out.println("BackupRestoreIT: " + WRITERS + " writers pushed " + total + " items; the backup took "
                    + manifest.get("millis").asLong() + " ms: " + manifest.get("records") + ", "
                    + manifest.get("layers").size() + " layers (linked " + manifest.get("layersLinked") + "), "
                    + manifest.get("logs") + " logs");
            assertLayersAreLinks(first, manifest);
        }
        Path state = dir.resolve("second/state");
        assertEquals(0, DaemonBackup.restoreIfAsked(new String[] {"--restore", backup.toString(), "--state-dir",
                state.toString()}, System.out, System.err).orElseThrow());
        try (TestDaemon second = TestDaemon.start(dir.resolve("second"), new FakeRuntime(), Duration.ofSeconds(1))) {
            Map<String, List<String>> after = lists(second);
            before.forEach((kind, ids) -> {
                List<String> missing = new ArrayList<>(ids);
                missing.removeAll(after.get(kind));
                assertTrue(missing.isEmpty(), kind + " missing after the restore: " + missing + " (before "
                        + ids.size() + ", after " + after.get(kind).size() + ")");
            });
            for (Map.Entry<String, List<JsonNode>> e : itemsBefore.entrySet()) {
                List<JsonNode> now = items(second, e.getKey());
                assertTrue(now.size() >= e.getValue().size(), "dataset " + e.getKey() + " had " + e.getValue().size()
                        + " items, has " + now.size());
                assertEquals(e.getValue(), now.subList(0, e.getValue().size()), "dataset " + e.getKey());
            }
            for (String dataset : writing) {
                assertTrue(!itemsBefore.get(dataset).isEmpty(), "the writers had written to " + dataset);
            }
            JsonNode finished = second.api().get("/v2/actor-runs?status=SUCCEEDED&limit=1000").expect(200).data();
            String runId = finished.get("items").get(0).get("id").asText();
            assertTrue(second.api().get("/v2/logs/" + runId).expect(200).text().contains("populated"),
                    "a finished run's log is restored");
            String secretRun = second.api().post("/v2/acts/" + SECRET_ACTOR + "/runs?waitForFinish=10").expect(201)
                    .data().get("id").asText();
            String log = second.api().get("/v2/logs/" + secretRun).expect(200).text();
            assertTrue(log.contains("TOKEN=s3cret"), "the secrets' key is restored, so the run gets its secret: " + log);
        }
    }

    /** Users, actors with builds, {@link #FINISHED} finished runs with logs, a secret variable, named storages with items. */
    private static void populate(TestDaemon d) throws Exception {
        for (int u = 0; u < 3; u++) {
            d.admin("/v2/actord/users", "{\"username\":\"user-" + u + "\"}").expect(201);
        }
        for (int a = 0; a < 3; a++) {
            String actor = d.actor("actor-" + a, "echo", "populated " + a);
            for (int r = 0; r < 2; r++) {
                d.api().post("/v2/acts/" + actor + "/runs?waitForFinish=10").expect(201);
            }
        }
        String secret = d.actor(SECRET_ACTOR, "env", "TOKEN");
        d.api().post("/v2/acts/" + secret + "/versions", "{\"versionNumber\":\"0.0\",\"sourceType\":\"SOURCE_FILES\","
                + "\"envVars\":[{\"name\":\"TOKEN\",\"value\":\"s3cret\",\"isSecret\":true}]}").expect(201);
        for (int s = 0; s < 2; s++) {
            String dataset = d.api().post("/v2/datasets?name=named-" + s).expect(201).data().get("id").asText();
            d.api().post("/v2/datasets/" + dataset + "/items", "[{\"n\":1},{\"n\":2}]").expect(201);
            String store = d.api().post("/v2/key-value-stores?name=store-" + s).expect(201).data().get("id").asText();
            d.api().put("/v2/key-value-stores/" + store + "/records/k", "{\"v\":" + s + "}").expect(201);
            String queue = d.api().post("/v2/request-queues?name=queue-" + s).expect(201).data().get("id").asText();
            d.api().post("/v2/request-queues/" + queue + "/requests", "{\"url\":\"http://127.0.0.1:9/" + s
                    + "\",\"uniqueKey\":\"" + s + "\"}").expect(201);
        }
    }

    /** Pushes numbered items into a dataset until told to stop; returns how many. */
    private static int push(TestDaemon d, String dataset, AtomicBoolean stop, CountDownLatch started) {
        int n = 0;
        while (!stop.get()) {
            d.api().post("/v2/datasets/" + dataset + "/items", "{\"n\":" + n + "}").expect(201);
            if (n++ == 0) {
                started.countDown();
            }
        }
        return n;
    }

    /** The ids of everything the done-when names, by kind; finished runs only (the running ones end FAILED). */
    private static Map<String, List<String>> lists(TestDaemon d) throws Exception {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("users", ids(TestDaemon.unixGet(d.socket(), "/v2/actord/users?limit=1000").expect(200).data()));
        lists.put("actors", ids(d.api().get("/v2/acts?limit=1000").expect(200).data()));
        List<String> builds = new ArrayList<>();
        for (String actor : lists.get("actors")) {
            builds.addAll(ids(d.api().get("/v2/acts/" + actor + "/builds?limit=1000").expect(200).data()));
        }
        lists.put("builds", builds);
        List<String> finished = new ArrayList<>();
        for (JsonNode run : d.api().get("/v2/actor-runs?limit=1000").expect(200).data().get("items")) {
            if (!Stream.of("READY", "RUNNING").anyMatch(run.get("status").asText()::equals)) {
                finished.add(run.get("id").asText());
            }
        }
        lists.put("finished runs", finished);
        lists.put("datasets", ids(d.api().get("/v2/datasets?unnamed=1&limit=1000").expect(200).data()));
        lists.put("key-value stores", ids(d.api().get("/v2/key-value-stores?unnamed=1&limit=1000").expect(200).data()));
        lists.put("request queues", ids(d.api().get("/v2/request-queues?unnamed=1&limit=1000").expect(200).data()));
        List<String> records = new ArrayList<>();
        for (String store : lists.get("key-value stores")) {
            d.api().get("/v2/key-value-stores/" + store + "/keys?limit=1000").expect(200).data().get("items")
                    .forEach(k -> records.add(store + "/" + k.get("key").asText()));
        }
        lists.put("records", records);
        List<String> requests = new ArrayList<>();
        for (String queue : lists.get("request queues")) {
            d.api().get("/v2/request-queues/" + queue + "/requests?limit=1000").expect(200).data().get("items")
                    .forEach(r -> requests.add(queue + "/" + r.get("id").asText()));
        }
        lists.put("requests", requests);
        return lists;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(i -> ids.add(i.get("id").asText()));
        assertEquals(page.get("total").asInt(), ids.size(), "one page holds the whole list");
        return ids;
    }

    private static List<JsonNode> items(TestDaemon d, String dataset) {
        List<JsonNode> items = new ArrayList<>();
        d.api().get("/v2/datasets/" + dataset + "/items?clean=0").expect(200).json().forEach(items::add);
        return items;
    }

    /** The backup sits on the state's file system, so its layers' files are the store's own inodes. */
    private static void assertLayersAreLinks(TestDaemon d, JsonNode manifest) throws Exception {
        assertTrue(manifest.get("layersLinked").asBoolean(), manifest.toString());
        String hex = manifest.get("layers").get(0).asText().substring("sha256:".length());
        Path live = d.dir().resolve("state/layers/sha256").resolve(hex).resolve("bin/marker");
        Path copy = d.dir().getParent().resolve("backup/layers/sha256").resolve(hex).resolve("bin/marker");
        assertEquals(Files.getAttribute(live, "unix:ino", LinkOption.NOFOLLOW_LINKS),
                Files.getAttribute(copy, "unix:ino", LinkOption.NOFOLLOW_LINKS));
    }
}
