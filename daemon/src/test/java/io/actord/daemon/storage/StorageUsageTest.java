package io.actord.daemon.storage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Json;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.actord.daemon.storage.StorageFixture.ALICE;
import static io.actord.daemon.storage.StorageFixture.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 20 defect 12: every write is charged to the storage's owner, refused whole past their limit. */
class StorageUsageTest {
    private static final int MB = 1024 * 1024;
    private static final Optional<String> BINARY = Optional.of("application/octet-stream");

    @TempDir
    Path dir;
    StorageFixture f;

    @BeforeEach
    void open() {
        f = new StorageFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private StorageUsage usage() {
        return f.registry.usage();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    @Test
    void shouldRefuseTheRecordThatWouldPassTheLimitAndStoreNothingOfIt() {
        f.limitBytes = user -> 10L * MB;
        String store = f.kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        int stored = 0;
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            try {
                f.kv.putRecord(ALICE, store, "r" + i, BINARY, bytes(MB));
                stored++;
            } catch (ApiException e) {
                assertEquals(ErrorType.STORAGE_LIMIT_EXCEEDED, e.type());
                assertEquals(402, e.type().status());
                assertEquals("storage-limit-exceeded", e.type().type());
                assertTrue(f.kv.record(ALICE, store, "r" + i).isEmpty(), "nothing of a refused record is stored");
                refused++;
            }
        }
        assertEquals(9, stored, "9 records of 1 MiB plus their keys fit in 10 MiB, the 10th does not");
        assertEquals(31, refused);
        assertEquals(9L * (MB + 2), usage().usedBytes(ALICE.userId()));
        assertEquals(9, f.kv.keys(ALICE, store, Optional.empty(), 1000, Optional.empty()).items().size());
    }

    @Test
    void shouldFreeWhatDeletesAndSmallerOverwritesGiveBack() {
        f.limitBytes = user -> 3L * MB;
        String store = f.kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        f.kv.putRecord(ALICE, store, "a", BINARY, bytes(MB));
        f.kv.putRecord(ALICE, store, "b", BINARY, bytes(MB));
        assertThrows(ApiException.class, () -> f.kv.putRecord(ALICE, store, "c", BINARY, bytes(MB + MB / 2)));
        f.kv.deleteRecord(ALICE, store, "a");
        assertEquals(MB + 1, usage().usedBytes(ALICE.userId()));
        f.kv.putRecord(ALICE, store, "c", BINARY, bytes(MB + MB / 2));
        f.kv.putRecord(ALICE, store, "b", BINARY, bytes(10));
        assertEquals(MB + MB / 2 + 1 + 11, usage().usedBytes(ALICE.userId()), "the overwrite counts its new size only");
    }

    @Test
    void shouldRefuseAPushWholeAndChargeDatasetItems() {
        f.limitBytes = user -> MB;
        String ds = f.datasets.getOrCreate(ALICE, Optional.empty()).meta().id();
        byte[] small = "[{\"a\":1},{\"b\":2}]".getBytes(StandardCharsets.UTF_8);
        assertEquals(2, f.datasets.push(ALICE, ds, small));
        assertEquals(14, usage().usedBytes(ALICE.userId()), "{\"a\":1} and {\"b\":2} as stored");
        ArrayNode big = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 20; i++) {
            big.addObject().put("text", "y".repeat(MB / 16));
        }
        ApiException e = assertThrows(ApiException.class, () -> f.datasets.push(ALICE, ds, Json.MAPPER.writeValueAsBytes(big)));
        assertEquals(ErrorType.STORAGE_LIMIT_EXCEEDED, e.type());
        assertEquals(2, f.datasets.get(ALICE, ds).counts().itemCount(), "none of the refused push is stored");
        assertEquals(14, usage().usedBytes(ALICE.userId()));
    }

    @Test
    void shouldRefuseNewRequestsPastTheLimitButStillLockAndDeleteThem() {
        String q = f.queues.getOrCreate(ALICE, Optional.empty()).meta().id();
        RequestQueueStore.Added first = f.queues.add(ALICE, q, request("http://example.com/1"), false, null);
        long one = usage().usedBytes(ALICE.userId());
        assertTrue(one > 0);
        f.limitBytes = user -> one;
        ApiException e = assertThrows(ApiException.class,
                () -> f.queues.add(ALICE, q, request("http://example.com/2"), false, null));
        assertEquals(ErrorType.STORAGE_LIMIT_EXCEEDED, e.type());
        assertEquals(1, f.queues.get(ALICE, q).counts().itemCount());
        assertEquals(1, f.queues.lockHead(ALICE, q, 1, Duration.ofSeconds(60), "clientAAAAAAAAAAA").items().size(),
                "locking is never refused");
        f.queues.deleteRequest(ALICE, q, first.requestId(), "clientAAAAAAAAAAA");
        assertEquals(0, usage().usedBytes(ALICE.userId()), "deleting a request frees exactly what it was charged");
        f.queues.add(ALICE, q, request("http://example.com/2"), false, null);
    }

    @Test
    void shouldGiveBackAStoragesBytesWhenItIsDeletedOrPurgedWithItsRun() {
        String kept = f.kv.getOrCreate(ALICE, Optional.of("kept")).meta().id();
        String deleted = f.kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        String purged = f.datasets.getOrCreate(ALICE, Optional.empty()).meta().id();
        f.kv.putRecord(ALICE, kept, "k", BINARY, bytes(100));
        f.kv.putRecord(ALICE, deleted, "k", BINARY, bytes(1000));
        f.datasets.push(ALICE, purged, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(101 + 1001 + 7, usage().usedBytes(ALICE.userId()));
        f.kv.delete(ALICE, deleted);
        assertEquals(101 + 7, usage().usedBytes(ALICE.userId()));
        f.registry.purgeUnnamed(Map.of(StorageKind.DATASET, purged), b -> { });
        assertEquals(101, usage().usedBytes(ALICE.userId()));
        assertEquals(1, rows().size(), "only the kept store has a row left");
    }

    @Test
    void shouldApplyEachUsersOwnLimit() {
        f.limitBytes = user -> user.equals(ALICE.userId()) ? 100 : Long.MAX_VALUE;
        String alices = f.kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        String bobs = f.kv.getOrCreate(BOB, Optional.empty()).meta().id();
        assertThrows(ApiException.class, () -> f.kv.putRecord(ALICE, alices, "k", BINARY, bytes(100)));
        f.kv.putRecord(BOB, bobs, "k", BINARY, bytes(MB));
        assertEquals(0, usage().usedBytes(ALICE.userId()));
        assertEquals(MB + 1, usage().usedBytes(BOB.userId()));
    }

    @Test
    void shouldKeepTheUsageAcrossARestartAndCountExistingDataOnce() {
        String store = f.kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        String ds = f.datasets.getOrCreate(BOB, Optional.empty()).meta().id();
        String q = f.queues.getOrCreate(BOB, Optional.empty()).meta().id();
        f.kv.putRecord(ALICE, store, "key", BINARY, bytes(5000));
        f.datasets.push(BOB, ds, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        f.queues.add(BOB, q, request("http://example.com/1"), false, null);
        long alice = usage().usedBytes(ALICE.userId());
        long bob = usage().usedBytes(BOB.userId());
        List<Entry<StorageUsageKey, Long>> before = rows();

        f.close();
        f = new StorageFixture(dir);
        assertEquals(alice, usage().usedBytes(ALICE.userId()));
        assertEquals(bob, usage().usedBytes(BOB.userId()));

        Table<StorageUsageKey, Long> table = f.store.table(StorageTables.USER_STORAGE_BYTES);
        before.forEach(e -> table.delete(e.key()));
        f.close();
        f = new StorageFixture(dir);
        assertEquals(5003, usage().usedBytes(ALICE.userId()), "a state directory from before: counted by a scan");
        assertEquals(bob, usage().usedBytes(BOB.userId()));
        assertEquals(before.toString(), rows().toString());
    }

    private List<Entry<StorageUsageKey, Long>> rows() {
        List<Entry<StorageUsageKey, Long>> out = new ArrayList<>();
        try (CloseableIterator<Entry<StorageUsageKey, Long>> it =
                     f.store.table(StorageTables.USER_STORAGE_BYTES).scan(Scan.all())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static ObjectNode request(String url) {
        return Json.MAPPER.createObjectNode().put("url", url).put("uniqueKey", url);
    }

    @Test
    void shouldNotCountWhatIsNotThere() {
        String store = f.kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        f.kv.deleteRecord(ALICE, store, "missing");
        assertEquals(0, usage().usedBytes(ALICE.userId()));
        assertFalse(rows().iterator().hasNext());
    }
}
