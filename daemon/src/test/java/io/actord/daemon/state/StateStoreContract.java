package io.actord.daemon.state;

import io.actord.daemon.state.Codecs.Empty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link StateStore} must do, whatever stands behind it: each implementation's test extends this
 * class and says how to open its store ({@link RocksStateStoreTest}).
 */
public abstract class StateStoreContract {
    static final TableDef<String, String> NAMES = new TableDef<>("names", Codecs.STRING, Codecs.STRING);
    static final TableDef<byte[], Empty> INDEX = new TableDef<>("index", Codecs.BYTES, Codecs.EMPTY);
    /** The same column family as {@link #INDEX}, read through a typed key: the bytes must not change. */
    static final TableDef<IndexKey, Empty> TYPED_INDEX = new TableDef<>("index", IndexKey.CODEC, Codecs.EMPTY);

    /** A composite key as the domain packages declare them: {@code owner|time(8B)|id}. */
    record IndexKey(String owner, long time, String id) {
        static final KeyCodec<IndexKey> CODEC = KeyCodec.of((k, out) -> out.str(k.owner).u64(k.time).tail(k.id),
                in -> new IndexKey(in.str(), in.u64(), in.tail()));

        static KeyPrefix<IndexKey> ofOwner(String owner) {
            return KeyPrefix.of(Keys.builder().str(owner));
        }
    }

    /**
     * Opens the implementation's store with {@code tables}; every call in one test opens the same store (after
     * the previous one was closed), so what was written before is there again.
     */
    protected abstract StateStore open(List<TableDef<?, ?>> tables);

    @Test
    void shouldReadWhatWasPut() {
        try (StateStore store = open(List.of(NAMES))) {
            Table<String, String> names = store.table(NAMES);
            names.put("a", "alpha");
            assertEquals("alpha", names.get("a").orElseThrow());
            assertTrue(names.get("b").isEmpty());
            names.delete("a");
            assertTrue(names.get("a").isEmpty());
        }
    }

    /** Several keys read at once come back in the order asked, absent ones empty, however many are asked. */
    @Test
    void shouldReadManyKeysAtOnceInTheOrderAsked() {
        try (StateStore store = open(List.of(NAMES))) {
            Table<String, String> names = store.table(NAMES);
            store.write(b -> {
                for (int i = 0; i < 1500; i += 2) {
                    names.putInBatch(b, "k" + i, "v" + i);
                }
            });
            assertEquals(List.of(Optional.of("v4"), Optional.empty(), Optional.of("v0"), Optional.of("v4")),
                    names.getAll(List.of("k4", "k1", "k0", "k4")));
            List<String> keys = new ArrayList<>();
            for (int i = 1499; i >= 0; i--) {
                keys.add("k" + i);
            }
            List<Optional<String>> values = names.getAll(keys);
            for (int i = 0; i < keys.size(); i++) {
                int n = 1499 - i;
                assertEquals(n % 2 == 0 ? Optional.of("v" + n) : Optional.empty(), values.get(i), keys.get(i));
            }
            assertEquals(List.of(), names.getAll(List.of()));
        }
    }

    @Test
    void shouldKeepDataAcrossReopen() {
        try (StateStore store = open(List.of(NAMES))) {
            store.table(NAMES).put("k", "v");
        }
        try (StateStore store = open(List.of(NAMES, INDEX))) {
            assertEquals("v", store.table(NAMES).get("k").orElseThrow());
            assertEquals(StateStore.SCHEMA_VERSION, store.schemaVersion());
        }
    }

    @Test
    void shouldScanAPrefixInKeyOrderForwardAndReverse() {
        try (StateStore store = open(List.of(INDEX))) {
            Table<byte[], Empty> index = store.table(INDEX);
            for (long t : new long[]{300, 5, 70_000_000_000L}) {
                index.put(Keys.builder().str("actorA").u64(t).tail("run" + t).build(), Empty.INSTANCE);
            }
            index.put(Keys.builder().str("actorB").u64(1).tail("other").build(), Empty.INSTANCE);
            byte[] prefix = Keys.prefix("actorA");
            assertEquals(List.of(5L, 300L, 70_000_000_000L), times(index.scan(Scan.prefix(prefix))));
            assertEquals(List.of(70_000_000_000L, 300L, 5L), times(index.scan(Scan.prefix(prefix).reversed(true))));
            assertEquals(List.of(300L, 70_000_000_000L),
                    times(index.scan(Scan.prefix(prefix).from(Keys.builder().str("actorA").u64(6).build()))));
            assertEquals(3, index.count(prefix));
            assertEquals(4, index.count());
        }
    }

    @Test
    void shouldEncodeATypedKeyInTheLayoutOfItsComponents() {
        IndexKey key = new IndexKey("actorA", 300, "run1");
        byte[] bytes = IndexKey.CODEC.encode(key);
        assertEquals(boxed(Keys.builder().str("actorA").u64(300).tail("run1").build()), boxed(bytes));
        assertEquals(key, IndexKey.CODEC.decode(bytes));
        assertEquals(boxed(Keys.prefix("actorA")), boxed(IndexKey.ofOwner("actorA").bytes()));
        byte[] longer = Keys.builder().str("actorA").u64(300).build();
        KeyCodec<String> ownerOnly = KeyCodec.of((k, out) -> out.str(k), Keys.Reader::str);
        StoreException e = assertThrows(StoreException.class, () -> ownerOnly.decode(longer));
        assertTrue(e.getMessage().contains("8 bytes left"), e.getMessage());
    }

    @Test
    void shouldScanTypedRangesOverWhatByteKeysWrote() {
        try (StateStore store = open(List.of(INDEX))) {
            Table<byte[], Empty> index = store.table(INDEX);
            for (long t : new long[]{300, 5, 70_000_000_000L}) {
                index.put(Keys.builder().str("actorA").u64(t).tail("run" + t).build(), Empty.INSTANCE);
            }
            index.put(Keys.builder().str("actorB").u64(1).tail("other").build(), Empty.INSTANCE);
        }
        try (StateStore store = open(List.of(TYPED_INDEX))) {
            Table<IndexKey, Empty> index = store.table(TYPED_INDEX);
            KeyPrefix<IndexKey> actorA = IndexKey.ofOwner("actorA");
            assertEquals(List.of(5L, 300L, 70_000_000_000L), typedTimes(index.scan(KeyRange.of(actorA))));
            assertEquals(List.of(70_000_000_000L, 300L, 5L), typedTimes(index.scan(KeyRange.of(actorA).reversed(true))));
            assertEquals(List.of(300L, 70_000_000_000L),
                    typedTimes(index.scan(KeyRange.of(actorA).from(new IndexKey("actorA", 6, "")))));
            assertEquals(4, typedTimes(index.scan(KeyRange.all())).size());
            assertEquals(3, index.count(actorA));
            assertTrue(index.get(new IndexKey("actorB", 1, "other")).isPresent());
            store.write(b -> index.deletePrefixInBatch(b, actorA));
            assertEquals(0, index.count(actorA));
            assertEquals(1, index.count());
        }
    }

    @Test
    void shouldStartAForwardScanFromBeforeItsPrefixAtThePrefix() {
        try (StateStore store = open(List.of(TYPED_INDEX))) {
            Table<IndexKey, Empty> index = store.table(TYPED_INDEX);
            index.put(new IndexKey("a", 1, "x"), Empty.INSTANCE);
            index.put(new IndexKey("b", 1, "y"), Empty.INSTANCE);
            index.put(new IndexKey("b", 2, "z"), Empty.INSTANCE);
            assertEquals(List.of(1L, 2L), typedTimes(index.scan(KeyRange.of(IndexKey.ofOwner("b"))
                    .from(new IndexKey("a", 0, "")))));
        }
    }

    @Test
    void shouldScanTheLastPrefixInReverse() {
        try (StateStore store = open(List.of(NAMES))) {
            Table<String, String> names = store.table(NAMES);
            names.put("z1", "1");
            names.put("z2", "2");
            names.put("a", "0");
            List<String> seen = new ArrayList<>();
            try (CloseableIterator<Entry<String, String>> it = names.scan(Scan.prefix("z".getBytes()).reversed(true))) {
                it.forEachRemaining(e -> seen.add(e.key()));
            }
            assertEquals(List.of("z2", "z1"), seen);
        }
    }

    @Test
    void shouldApplyABatchAtomically() {
        try (StateStore store = open(List.of(NAMES, INDEX))) {
            Table<String, String> names = store.table(NAMES);
            Table<byte[], Empty> index = store.table(INDEX);
            names.put("old", "x");
            store.write(batch -> {
                names.deleteInBatch(batch, "old");
                names.putInBatch(batch, "new", "y");
                index.putInBatch(batch, Keys.prefix("new"), Empty.INSTANCE);
            });
            assertTrue(names.get("old").isEmpty());
            assertEquals("y", names.get("new").orElseThrow());
            assertEquals(1, index.count());
            assertThrows(IllegalStateException.class, () -> store.write(batch -> {
                names.putInBatch(batch, "half", "z");
                throw new IllegalStateException("abandon");
            }));
            assertTrue(names.get("half").isEmpty(), "a batch that threw must write nothing");
        }
    }

    /**
     * A batch made conditional on a stored value writes nothing, and says why, when the value is not as required; it
     * writes all when it is, and a missing row is seen as empty.
     */
    @Test
    void shouldWriteAConditionalBatchOnlyWhenTheStoredValueIsAsRequired() {
        try (StateStore store = open(List.of(NAMES, INDEX))) {
            Table<String, String> names = store.table(NAMES);
            Table<byte[], Empty> index = store.table(INDEX);
            names.put("owner", "host-1");
            WriteConflictException refused = assertThrows(WriteConflictException.class, () -> store.write(batch -> {
                names.requireInBatch(batch, "owner", ownerIs("host-2"));
                names.putInBatch(batch, "owner", "host-3");
                index.putInBatch(batch, Keys.prefix("claimed"), Empty.INSTANCE);
            }));
            assertEquals("owner is host-1", refused.getMessage());
            assertEquals("host-1", names.get("owner").orElseThrow(), "nothing of the refused batch was written");
            assertEquals(0, index.count());

            store.write(batch -> {
                names.requireInBatch(batch, "owner", ownerIs("host-1"));
                names.putInBatch(batch, "owner", "host-3");
                index.putInBatch(batch, Keys.prefix("claimed"), Empty.INSTANCE);
            });
            assertEquals("host-3", names.get("owner").orElseThrow());
            assertEquals(1, index.count());
            assertEquals("owner is nobody", assertThrows(WriteConflictException.class, () -> store.write(batch -> {
                names.requireInBatch(batch, "absent", ownerIs("host-1"));
                names.putInBatch(batch, "absent", "x");
            })).getMessage());
        }
    }

    /** A condition that the stored owner is {@code expected}, saying who it is otherwise. */
    private static Function<Optional<String>, Optional<String>> ownerIs(String expected) {
        return stored -> stored.filter(expected::equals).isPresent() ? Optional.empty()
                : Optional.of("owner is " + stored.orElse("nobody"));
    }

    /** A batch's changes to one key apply in the order given, however they interleave with other tables'. */
    @Test
    void shouldApplyABatchsChangesToOneKeyInOrder() {
        try (StateStore store = open(List.of(NAMES, INDEX))) {
            Table<String, String> names = store.table(NAMES);
            Table<byte[], Empty> index = store.table(INDEX);
            names.put("gone", "x");
            store.write(batch -> {
                for (int i = 0; i < 30; i++) {
                    names.putInBatch(batch, "k" + i % 3, "v" + i);
                    index.putInBatch(batch, Keys.prefix("i" + i % 5), Empty.INSTANCE);
                    names.deleteInBatch(batch, "gone");
                }
                names.putInBatch(batch, "back", "1");
                names.deleteInBatch(batch, "back");
                names.deleteInBatch(batch, "again");
                names.putInBatch(batch, "again", "2");
            });
            assertEquals(List.of("v27", "v28", "v29"), List.of(names.get("k0").orElseThrow(),
                    names.get("k1").orElseThrow(), names.get("k2").orElseThrow()));
            assertTrue(names.get("gone").isEmpty());
            assertTrue(names.get("back").isEmpty());
            assertEquals("2", names.get("again").orElseThrow());
            assertEquals(5, index.count());
        }
    }

    /**
     * A batch of a dataset push's size (half a million rows, over 16 MiB of changes: more than a PostgreSQL batch
     * keeps on the heap, and more rows than one of its statements takes) applies whole and in order: a key put,
     * deleted and put again far apart ends with the last value, and a prefix deleted midway loses only what came
     * before.
     */
    @Test
    void shouldApplyABatchLargerThanItsMemoryInOrder() {
        int rows = 500_000;
        String value = "v".repeat(24);
        try (StateStore store = open(List.of(NAMES, INDEX))) {
            Table<String, String> names = store.table(NAMES);
            Table<byte[], Empty> index = store.table(INDEX);
            store.write(batch -> {
                names.putInBatch(batch, "moved", "first");
                for (int i = 0; i < rows; i++) {
                    names.putInBatch(batch, String.format("row-%07d", i), value + i);
                    if (i % 1000 == 0) {
                        index.putInBatch(batch, Keys.prefix("i" + i), Empty.INSTANCE);
                    }
                    if (i == rows / 2) {
                        names.deleteInBatch(batch, "moved");
                        names.deletePrefixInBatch(batch, "row-00".getBytes(StandardCharsets.UTF_8));
                    }
                }
                names.putInBatch(batch, "moved", "last");
            });
            assertEquals(rows - 100_000 + 1, names.count());
            assertTrue(names.get("row-0099999").isEmpty());
            assertEquals(value + 100_000, names.get("row-0100000").orElseThrow());
            assertEquals(value + (rows - 1), names.get(String.format("row-%07d", rows - 1)).orElseThrow());
            assertEquals("last", names.get("moved").orElseThrow());
            assertEquals(rows / 1000, index.count());
        }
    }

    @Test
    void shouldRefuseUseAfterCloseAndCloseOpenIterators() {
        StateStore store = open(List.of(NAMES));
        Table<String, String> names = store.table(NAMES);
        names.put("a", "1");
        CloseableIterator<Entry<String, String>> it = names.scan(Scan.all());
        store.close();
        store.close();
        StoreException e = assertThrows(StoreException.class, () -> names.get("a"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(StoreException.class, it::hasNext);
        it.close();
        // Filling a batch uses the column family handles close() freed: it must be refused, not reach RocksDB
        // (where it crashed the JVM).
        assertThrows(StoreException.class, () -> names.put("b", "2"));
        assertThrows(StoreException.class, () -> store.write(batch -> names.putInBatch(batch, "c", "3")));
    }

    @Test
    void shouldRefuseATableThatWasNotDeclared() {
        try (StateStore store = open(List.of(NAMES))) {
            assertThrows(StoreException.class, () -> store.table(INDEX));
        }
    }

    @Test
    void shouldRefuseAStoreWrittenByANewerSchema() {
        TableDef<String, Integer> meta = new TableDef<>("meta", Codecs.STRING, Codecs.INT);
        try (StateStore store = open(List.of(meta))) {
            store.table(meta).put("schema", StateStore.SCHEMA_VERSION + 1);
        }
        StoreException e = assertThrows(StoreException.class, () -> open(List.of(NAMES)));
        assertTrue(e.getMessage().contains("schema"), e.getMessage());
    }

    @Test
    void shouldReportWhichTableAndKeyFailed() {
        StateStore store = open(List.of(NAMES));
        Table<String, String> names = store.table(NAMES);
        names.put("k", "v");
        store.close();
        StoreException e = assertThrows(StoreException.class, () -> names.get("k"));
        assertTrue(e.getMessage().startsWith("get names/k"), e.getMessage());
    }

    /** Keys order as unsigned bytes, a prefix before its extensions: empty, 0x00, 0x7F, 0x80 and 0xFF keys. */
    @Test
    void shouldOrderKeysAsUnsignedBytes() {
        List<byte[]> sorted = List.of(new byte[0], new byte[]{0}, new byte[]{0, 0}, new byte[]{'a', 'b'},
                new byte[]{'a', 'b', 0}, new byte[]{'a', 'b', 'c'}, new byte[]{0x7F}, new byte[]{(byte) 0x80},
                new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xFF, 0}, new byte[]{(byte) 0xFF, (byte) 0xFF});
        try (StateStore store = open(List.of(INDEX))) {
            Table<byte[], Empty> index = store.table(INDEX);
            for (int i = sorted.size() - 1; i >= 0; i--) {
                index.put(sorted.get(i), Empty.INSTANCE);
            }
            assertEquals(sorted.stream().map(StateStoreContract::boxed).toList(), keys(index.scan(Scan.all())));
            assertEquals(reversed(sorted).stream().map(StateStoreContract::boxed).toList(),
                    keys(index.scan(Scan.all().reversed(true))));
            assertEquals(List.of(boxed(new byte[]{'a', 'b'}), boxed(new byte[]{'a', 'b', 0}),
                    boxed(new byte[]{'a', 'b', 'c'})), keys(index.scan(Scan.prefix(new byte[]{'a', 'b'}))));
            assertEquals(List.of(boxed(new byte[]{(byte) 0xFF, (byte) 0xFF}), boxed(new byte[]{(byte) 0xFF, 0}),
                    boxed(new byte[]{(byte) 0xFF})), keys(index.scan(Scan.prefix(new byte[]{(byte) 0xFF}).reversed(true))));
            assertEquals(List.of(boxed(new byte[]{(byte) 0x80}), boxed(new byte[]{(byte) 0xFF})),
                    keys(index.scan(Scan.all().from(new byte[]{0x7F, 0}))).subList(0, 2));
            assertEquals(3, index.count(new byte[]{(byte) 0xFF}));
            assertTrue(index.get(new byte[0]).isPresent());
        }
    }

    /** Scans that span many of whatever units a store reads in (pages, blocks) see every key once, in order. */
    @Test
    void shouldScanLongRangesWhole() {
        try (StateStore store = open(List.of(INDEX))) {
            Table<byte[], Empty> index = store.table(INDEX);
            store.writeUnsynced(b -> {
                for (long i = 0; i < 1_500; i++) {
                    index.putInBatch(b, Keys.builder().str("p").u64(i * 7).build(), Empty.INSTANCE);
                }
            });
            List<Long> forward = times(index.scan(Scan.prefix(Keys.prefix("p"))));
            assertEquals(1_500, forward.size());
            for (int i = 0; i < forward.size(); i++) {
                assertEquals(i * 7L, forward.get(i));
            }
            List<Long> reverse = times(index.scan(Scan.prefix(Keys.prefix("p")).reversed(true)));
            assertEquals(reversed(forward), reverse);
            assertEquals(1_500 - 143, times(index.scan(Scan.prefix(Keys.prefix("p"))
                    .from(Keys.builder().str("p").u64(1_000).build()))).size());
        }
    }

    /**
     * Two threads writing one table at once, their batches touching the same keys in opposite orders (a deadlock
     * for a database that locks rows): every batch lands, none fails.
     */
    @Test
    void shouldTakeConcurrentWritersOnOneTable() throws Exception {
        try (StateStore store = open(List.of(NAMES))) {
            Table<String, String> names = store.table(NAMES);
            List<String> shared = List.of("s1", "s2", "s3", "s4", "s5");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (String writer : List.of("w1", "w2")) {
                    List<String> order = writer.equals("w1") ? shared : reversed(shared);
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 150; i++) {
                            int n = i;
                            store.write(b -> {
                                order.forEach(k -> names.putInBatch(b, k, writer + n));
                                names.putInBatch(b, writer + "-" + n, "x");
                            });
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(300 + shared.size(), names.count());
            String last = names.get("s1").orElseThrow();
            shared.forEach(k -> assertEquals(last, names.get(k).orElseThrow(), "one batch wrote all shared keys last"));
        }
    }

    /** A value of about 10 MB goes in and comes back whole, in a batch and alone. */
    @Test
    void shouldKeepLargeValues() {
        byte[] big = new byte[10 * 1024 * 1024 + 17];
        new Random(11).nextBytes(big);
        TableDef<String, byte[]> blobs = new TableDef<>("blobs", Codecs.STRING, Codecs.BYTES);
        try (StateStore store = open(List.of(blobs, NAMES))) {
            Table<String, byte[]> table = store.table(blobs);
            store.write(b -> {
                table.putInBatch(b, "big", big);
                store.table(NAMES).putInBatch(b, "beside", "it");
            });
            table.put("big2", big);
            assertArrayEquals(big, table.get("big").orElseThrow());
            assertArrayEquals(big, table.get("big2").orElseThrow());
            assertEquals("it", store.table(NAMES).get("beside").orElseThrow());
        }
    }

    /**
     * Keys up to {@link Keys#MAX_KEY_BYTES} go in, sort and scan as any other (PostgreSQL's btree would refuse an
     * entry a little longer); one byte more is refused by every store alike, and its batch changes nothing.
     */
    @Test
    void shouldTakeKeysUpToTheLimitAndRefuseLongerOnesAlike() {
        byte[] longest = new byte[Keys.MAX_KEY_BYTES];
        Arrays.fill(longest, (byte) 'k');
        byte[] before = Arrays.copyOf(longest, longest.length);
        before[before.length - 1] = 'a';
        try (StateStore store = open(List.of(INDEX, NAMES))) {
            Table<byte[], Empty> index = store.table(INDEX);
            index.put(longest, Empty.INSTANCE);
            index.put(before, Empty.INSTANCE);
            index.put(new byte[]{'k'}, Empty.INSTANCE);
            List<byte[]> keys = new ArrayList<>();
            try (CloseableIterator<Entry<byte[], Empty>> it = index.scan(Scan.prefix(new byte[]{'k'}))) {
                it.forEachRemaining(e -> keys.add(e.key()));
            }
            assertEquals(3, keys.size());
            assertArrayEquals(new byte[]{'k'}, keys.get(0));
            assertArrayEquals(before, keys.get(1));
            assertArrayEquals(longest, keys.get(2));

            byte[] over = Arrays.copyOf(longest, longest.length + 1);
            StoreException e = assertThrows(StoreException.class, () -> store.write(b -> {
                store.table(NAMES).putInBatch(b, "beside", "it");
                index.putInBatch(b, over, Empty.INSTANCE);
            }));
            assertTrue(e.getMessage().contains("index") && e.getMessage().contains((Keys.MAX_KEY_BYTES + 1) + " bytes"),
                    e.getMessage());
            assertTrue(index.get(over).isEmpty());
            assertTrue(store.table(NAMES).get("beside").isEmpty(), "nothing of the refused batch is written");
            index.delete(longest);
            assertTrue(index.get(longest).isEmpty());
        }
    }

    @Test
    void shouldFindTheEndOfAPrefix() {
        assertEquals(List.of((byte) 'a', (byte) 'c'), boxed(Keys.prefixEnd(new byte[]{'a', 'b'}).orElseThrow()));
        assertEquals(List.of((byte) 'b'), boxed(Keys.prefixEnd(new byte[]{'a', (byte) 0xFF}).orElseThrow()));
        assertFalse(Keys.prefixEnd(new byte[]{(byte) 0xFF}).isPresent());
    }

    private static List<Long> times(CloseableIterator<Entry<byte[], Empty>> it) {
        List<Long> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(e -> {
                Keys.Reader r = Keys.reader(e.key());
                r.str();
                out.add(r.u64());
            });
        }
        return out;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> out = new ArrayList<>(list);
        Collections.reverse(out);
        return out;
    }

    private static List<List<Byte>> keys(CloseableIterator<Entry<byte[], Empty>> it) {
        List<List<Byte>> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(e -> out.add(boxed(e.key())));
        }
        return out;
    }

    private static List<Long> typedTimes(CloseableIterator<Entry<IndexKey, Empty>> it) {
        List<Long> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(e -> out.add(e.key().time()));
        }
        return out;
    }

    private static List<Byte> boxed(byte[] b) {
        List<Byte> out = new ArrayList<>();
        for (byte x : b) {
            out.add(x);
        }
        return out;
    }
}
