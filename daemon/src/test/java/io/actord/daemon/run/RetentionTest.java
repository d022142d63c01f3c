package io.actord.daemon.run;

import io.actord.daemon.storage.DatasetItemKey;
import io.actord.daemon.storage.StorageTables;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data retention with a 2 s period: the background sweep deletes a finished run and its default storages. */
class RetentionTest {
    private static final int ITEMS = 20_000;

    @StartDaemon(flags = {"--run-retention-secs", "2"})
    TestDaemon daemon;
    @StartDaemon.Runtime
    FakeRuntime runtime;

    @Test
    void shouldDeleteAFinishedRunWithItsDefaultStoragesLogAndFilesButKeepNamedStorages() throws Exception {
        Api api = daemon.api();
        String actor = daemon.actor("writer", "sleep", "60");
        String named = api.post("/v2/datasets?name=kept", "").expect(201).data().get("id").asText();
        api.post("/v2/datasets/" + named + "/items", "[{\"kept\":true}]").expect(201);
        String live = api.post("/v2/acts/" + daemon.actor("sleeper", "sleep", "30") + "/runs", "").expect(201)
                .data().get("id").asText();
        JsonNode run = api.post("/v2/acts/" + actor + "/runs", "{\"in\":1}").expect(201).data();
        String id = run.get("id").asText();
        String dataset = run.get("defaultDatasetId").asText();
        fill(api, dataset);
        StateStore store = stateStore(daemon);
        Table<DatasetItemKey, byte[]> items = store.table(StorageTables.DATASET_ITEMS);
        items.flush();
        long before = items.approximateBytes(Keys.prefix(dataset));
        long filesBefore = items.fileBytes();
        assertTrue(before > 1_000_000, "the items take space: " + before);
        Path log = daemon.dir().resolve("state/logs/" + id + ".log");
        Path files = Files.createDirectories(daemon.dir().resolve("state/runs/" + id + "/kv")).getParent();
        assertTrue(Files.exists(log), "the run has a log"); // and files an earlier daemon kept on the host
        runtime.awaitCreated(2, Duration.ofSeconds(5));
        runtime.containersOf(id).get(0).exit(ExitStatus.exited(0));
        assertEquals("SUCCEEDED", api.get("/v2/actor-runs/" + id + "?waitForFinish=10").data().get("status")
                .asText());

        // the sweep deletes the records, then the files, then compacts: wait for the whole of it
        for (int i = 0; i < 300 && (api.get("/v2/actor-runs/" + id).status() != 404 || Files.exists(log)
                || items.approximateBytes(Keys.prefix(dataset)) > 0); i++) {
            Thread.sleep(50);
        }
        assertEquals("record-not-found", api.get("/v2/actor-runs/" + id).expect(404).errorType());
        assertEquals(404, api.get("/v2/datasets/" + dataset).status());
        assertEquals(404, api.get("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId").asText()).status());
        assertEquals(404, api.get("/v2/request-queues/" + run.get("defaultRequestQueueId").asText()).status());
        assertEquals("[{\"kept\":true}]", api.get("/v2/datasets/" + named + "/items").expect(200).text(),
                "named storages stay");
        assertEquals("RUNNING", api.get("/v2/actor-runs/" + live).expect(200).data().get("status").asText(),
                "an active run is not touched");
        assertFalse(Files.exists(log), "the log is gone");
        assertFalse(Files.exists(files), "an earlier daemon's files of the run are gone");
        assertEquals(0, api.get("/v2/actor-runs?status=SUCCEEDED").data().get("total").asInt());

        long after = items.approximateBytes(Keys.prefix(dataset));
        long filesAfter = items.fileBytes();
        System.out.println("RetentionTest: the deleted dataset's range " + before + " -> " + after
                + " bytes; dataset_items files " + filesBefore + " -> " + filesAfter + " bytes");
        assertEquals(0, after, "compaction dropped the deleted range");
        if (!TestDaemon.onPostgres()) {
            // RocksDB's compaction rewrites the files without the range; PostgreSQL's VACUUM makes the rows' space
            // reusable and gives back only a free tail of the file, so how much its file shrinks depends on where
            // the rows lay (the range's 0 bytes above is what both promise)
            assertTrue(filesAfter < filesBefore - before / 2, "the files shrank: " + filesBefore + " -> " + filesAfter);
        }
    }

    @Test
    void shouldKeepADefaultStorageThatWasGivenAName() throws Exception {
        Api api = daemon.api();
        JsonNode run = api.post("/v2/acts/" + daemon.actor("quick", "sleep", "60") + "/runs", "").expect(201)
                .data();
        String store = run.get("defaultKeyValueStoreId").asText();
        api.put("/v2/key-value-stores/" + store + "/records/NOTE", "{\"n\":1}").expect(201);
        api.put("/v2/key-value-stores/" + store, "{\"name\":\"keep-me\"}").expect(200);
        runtime.awaitCreated(1, Duration.ofSeconds(5)).exit(ExitStatus.exited(0));
        for (int i = 0; i < 300 && api.get("/v2/actor-runs/" + run.get("id").asText()).status() != 404; i++) {
            Thread.sleep(50);
        }
        assertEquals(404, api.get("/v2/actor-runs/" + run.get("id").asText()).status());
        assertEquals("keep-me", api.get("/v2/key-value-stores/" + store).expect(200).data().get("name").asText());
        assertEquals("{\"n\":1}", api.get("/v2/key-value-stores/" + store + "/records/NOTE").expect(200).text(),
                "its records stay with it");
        assertEquals(404, api.get("/v2/datasets/" + run.get("defaultDatasetId").asText()).status());
    }

    /** Items that do not compress, so their bytes show in the files. */
    private static void fill(Api api, String dataset) {
        Random random = new Random(1);
        byte[] pad = new byte[75];
        for (int i = 0; i < ITEMS / 1000; i++) {
            StringBuilder batch = new StringBuilder("[");
            for (int j = 0; j < 1000; j++) {
                random.nextBytes(pad);
                batch.append(j == 0 ? "" : ",").append("{\"n\":").append(j).append(",\"pad\":\"")
                        .append(Base64.getEncoder().encodeToString(pad)).append("\"}");
            }
            api.post("/v2/datasets/" + dataset + "/items", batch.append("]").toString()).expect(201);
        }
    }

    private static StateStore stateStore(TestDaemon daemon) {
        return daemon.daemon().store();
    }
}
