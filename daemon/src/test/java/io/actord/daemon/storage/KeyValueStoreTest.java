package io.actord.daemon.storage;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.actord.daemon.storage.StorageFixture.ALICE;
import static io.actord.daemon.storage.StorageFixture.BOB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyValueStoreTest {
    @TempDir
    Path dir;
    StorageFixture f;
    KeyValueStore kv;

    @BeforeEach
    void open() {
        f = new StorageFixture(dir);
        kv = f.kv;
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void shouldReturnTheSameNamedStoreOnEveryGetOrCreate() {
        StorageRegistry.Opened first = kv.getOrCreate(ALICE, Optional.of("my-store"));
        StorageRegistry.Opened again = kv.getOrCreate(ALICE, Optional.of("my-store"));
        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.meta().id(), again.meta().id());
        assertEquals(first.meta().id(), kv.get(ALICE, "~my-store").id());
        assertEquals(first.meta().id(), kv.get(ALICE, "alice~my-store").id());
        assertEquals(first.meta().id(), kv.get(ALICE, "my-store").id());
        assertThrows(ApiException.class, () -> kv.get(BOB, "~my-store"));
        assertTrue(kv.getOrCreate(BOB, Optional.of("my-store")).created(), "names are per owner");
    }

    @Test
    void shouldCreateADistinctUnnamedStoreEachTime() {
        String a = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        String b = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        assertFalse(a.equals(b));
        assertNull(kv.get(ALICE, a).name());
    }

    @Test
    void shouldEchoTheStoredContentType() {
        String id = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        kv.putRecord(ALICE, id, "OUTPUT", Optional.of("application/json; charset=utf-8"), bytes("{\n  \"a\": 1\n}"));
        kv.putRecord(ALICE, id, "photo.png", Optional.empty(), new byte[]{1, 2, 3});
        KvRecord json = kv.record(ALICE, id, "OUTPUT").orElseThrow();
        assertEquals("application/json; charset=utf-8", json.contentType());
        assertEquals("{\n  \"a\": 1\n}", new String(json.value(), StandardCharsets.UTF_8));
        KvRecord bin = kv.record(ALICE, id, "photo.png").orElseThrow();
        assertEquals(KeyValueStore.DEFAULT_CONTENT_TYPE, bin.contentType());
        assertArrayEquals(new byte[]{1, 2, 3}, bin.value());
    }

    @Test
    void shouldDeleteARecordAndToleratesDeletingAMissingOne() {
        String id = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        kv.putRecord(ALICE, id, "k", Optional.of("text/plain"), bytes("v"));
        kv.deleteRecord(ALICE, id, "k");
        kv.deleteRecord(ALICE, id, "k");
        assertTrue(kv.record(ALICE, id, "k").isEmpty());
    }

    @Test
    void shouldUpdateModifiedAtOnWrite() {
        String id = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        f.clock.advance(Duration.ofMinutes(1));
        kv.putRecord(ALICE, id, "k", Optional.of("text/plain"), bytes("v"));
        assertEquals(f.clock.instant(), kv.get(ALICE, id).modifiedAt());
    }

    @Test
    void shouldListKeysInBinaryOrderPageByPage() {
        String id = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        for (String k : List.of("b", "a", "B", "a1", "c", "Z")) {
            kv.putRecord(ALICE, id, k, Optional.of("text/plain"), bytes(k + k));
        }
        KeyValueStore.KeyPage first = kv.keys(ALICE, id, Optional.empty(), 4, Optional.empty());
        assertEquals(List.of("B", "Z", "a", "a1"), first.items().stream().map(KeyValueStore.KeyInfo::key).toList());
        assertEquals(4, first.items().get(3).size());
        assertTrue(first.isTruncated());
        assertEquals("a1", first.nextExclusiveStartKey());
        KeyValueStore.KeyPage second = kv.keys(ALICE, id, Optional.of("a1"), 4, Optional.empty());
        assertEquals(List.of("b", "c"), second.items().stream().map(KeyValueStore.KeyInfo::key).toList());
        assertFalse(second.isTruncated());
        assertNull(second.nextExclusiveStartKey());
        KeyValueStore.KeyPage prefixed = kv.keys(ALICE, id, Optional.empty(), 10, Optional.of("a"));
        assertEquals(List.of("a", "a1"), prefixed.items().stream().map(KeyValueStore.KeyInfo::key).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", ".", "../INPUT", "new\nline", "tab\tkey", "nul\u0000", "sp ace", "ключ", ""})
    void shouldRefuseAnInvalidKeyAndStoreNothing(String key) {
        String id = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        ApiException e = assertThrows(ApiException.class, () -> kv.putRecord(ALICE, id, key, Optional.empty(),
                bytes("x")));
        assertEquals(ErrorType.INVALID_RECORD_KEY, e.type());
        assertTrue(kv.keys(ALICE, id, Optional.empty(), 10, Optional.empty()).items().isEmpty());
    }

    @Test
    void shouldAcceptEveryCharacterApifyAllowsInAKey() {
        String id = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        String key = "aZ09!-_.'()" + "x".repeat(245);
        kv.putRecord(ALICE, id, key, Optional.empty(), bytes("x"));
        assertTrue(kv.record(ALICE, id, key).isPresent());
        assertThrows(ApiException.class, () -> kv.putRecord(ALICE, id, key + "y", Optional.empty(), bytes("x")));
    }

    @Test
    void shouldRefuseARecordOverNineMebibytes() {
        String id = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        kv.putRecord(ALICE, id, "max", Optional.empty(), new byte[KeyValueStore.MAX_RECORD_BYTES]);
        ApiException e = assertThrows(ApiException.class, () -> kv.putRecord(ALICE, id, "over", Optional.empty(),
                new byte[KeyValueStore.MAX_RECORD_BYTES + 1]));
        assertEquals(ErrorType.RECORD_TOO_LARGE, e.type());
        assertEquals(413, e.type().status());
        assertTrue(kv.record(ALICE, id, "over").isEmpty());
    }

    @Test
    void shouldRefuseAJsonRecordThatIsNotJson() {
        String id = kv.getOrCreate(ALICE, Optional.empty()).meta().id();
        for (String body : List.of("{\"a\":", "{} {}", "")) {
            ApiException e = assertThrows(ApiException.class, () -> kv.putRecord(ALICE, id, "k",
                    Optional.of("application/json"), bytes(body)));
            assertEquals(ErrorType.INVALID_INPUT, e.type());
        }
        assertTrue(kv.record(ALICE, id, "k").isEmpty());
        kv.putRecord(ALICE, id, "k", Optional.of("application/json"), bytes("\"just a string\""));
    }

    @Test
    void shouldAnswerNotFoundForAMissingStore() {
        ApiException e = assertThrows(ApiException.class, () -> kv.record(ALICE, "nOsUcHsToRe000000", "INPUT"));
        assertEquals(ErrorType.RECORD_NOT_FOUND, e.type());
    }

    @Test
    void shouldDeleteAStoreWithItsRecordsAndFreeItsName() {
        String id = kv.getOrCreate(ALICE, Optional.of("gone")).meta().id();
        kv.putRecord(ALICE, id, "k", Optional.empty(), bytes("v"));
        kv.delete(ALICE, id);
        assertThrows(ApiException.class, () -> kv.get(ALICE, id));
        String again = kv.getOrCreate(ALICE, Optional.of("gone")).meta().id();
        assertFalse(again.equals(id));
        assertTrue(kv.keys(ALICE, again, Optional.empty(), 10, Optional.empty()).items().isEmpty());
    }

    @Test
    void shouldRenameAndRefuseATakenName() {
        String a = kv.getOrCreate(ALICE, Optional.of("first")).meta().id();
        kv.getOrCreate(ALICE, Optional.of("second"));
        assertEquals("renamed", kv.rename(ALICE, a, Optional.of("renamed")).name());
        assertEquals(a, kv.get(ALICE, "~renamed").id());
        assertTrue(kv.getOrCreate(ALICE, Optional.of("first")).created(), "the old name is free");
        ApiException e = assertThrows(ApiException.class, () -> kv.rename(ALICE, a, Optional.of("second")));
        assertEquals(ErrorType.NAME_NOT_UNIQUE, e.type());
        assertThrows(ApiException.class, () -> kv.getOrCreate(ALICE, Optional.of("bad_name")));
    }

    @Test
    void shouldListOnlyTheCallersNamedStoresUnlessUnnamedIsAsked() {
        kv.getOrCreate(ALICE, Optional.of("one"));
        f.clock.advance(Duration.ofSeconds(1));
        kv.getOrCreate(ALICE, Optional.empty());
        f.clock.advance(Duration.ofSeconds(1));
        kv.getOrCreate(ALICE, Optional.of("two"));
        kv.getOrCreate(BOB, Optional.of("bobs"));
        Listing<StorageMeta> named = kv.list(ALICE, 0, 10, false, false);
        assertEquals(2, named.total());
        assertEquals(List.of("one", "two"), named.items().stream().map(StorageMeta::name).toList());
        assertEquals(3, kv.list(ALICE, 0, 10, true, true).total());
        assertEquals("two", kv.list(ALICE, 0, 1, true, false).items().get(0).name());
    }

    @Test
    void shouldKeepRecordsAcrossReopen() {
        String id = kv.getOrCreate(ALICE, Optional.of("durable")).meta().id();
        kv.putRecord(ALICE, id, "k", Optional.of("text/plain"), bytes("v"));
        f.close();
        f = new StorageFixture(dir);
        assertEquals("v", new String(f.kv.record(ALICE, "~durable", "k").orElseThrow().value(), StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
