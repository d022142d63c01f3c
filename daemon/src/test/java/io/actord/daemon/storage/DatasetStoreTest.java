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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.actord.daemon.storage.StorageFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetStoreTest {
    @TempDir
    Path dir;
    StorageFixture f;
    DatasetStore ds;
    String id;

    @BeforeEach
    void open() {
        f = new StorageFixture(dir);
        ds = f.datasets;
        id = ds.getOrCreate(ALICE, Optional.empty()).meta().id();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void shouldAppendAnObjectOrEachObjectOfAnArray() {
        assertEquals(1, ds.push(ALICE, id, bytes("{\"n\":0}")));
        assertEquals(2, ds.push(ALICE, id, bytes("[{\"n\":1},{\"n\":2}]")));
        assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}"), texts(ds.items(ALICE, id, ItemQuery.all())));
        assertEquals(3, ds.get(ALICE, id).counts().itemCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "[{\"a\":1},", "not json", "{\"a\":1} trailing", "[{\"a\":1}, 2]", "[[]]", "42",
            "\"str\"", "null", ""})
    void shouldRejectAnInvalidPushWhole(String body) {
        ds.push(ALICE, id, bytes("{\"before\":true}"));
        ApiException e = assertThrows(ApiException.class, () -> ds.push(ALICE, id, bytes(body)));
        assertEquals(400, e.type().status());
        assertEquals(1, ds.get(ALICE, id).counts().itemCount());
        assertEquals(List.of("{\"before\":true}"), texts(ds.items(ALICE, id, ItemQuery.all())));
    }

    @Test
    void shouldCallMalformedJsonAnInvalidRequestAndANonObjectInvalidInput() {
        assertEquals(ErrorType.INVALID_REQUEST, assertThrows(ApiException.class,
                () -> ds.push(ALICE, id, bytes("{"))).type());
        assertEquals(ErrorType.INVALID_INPUT, assertThrows(ApiException.class,
                () -> ds.push(ALICE, id, bytes("[1]"))).type());
    }

    @Test
    void shouldRefuseAPushOverNineMebibytes() {
        byte[] big = new byte[DatasetStore.MAX_PUSH_BYTES + 1];
        ApiException e = assertThrows(ApiException.class, () -> ds.push(ALICE, id, big));
        assertEquals(ErrorType.REQUEST_TOO_LARGE, e.type());
    }

    @Test
    void shouldPageByOffsetAndLimitInBothDirections() {
        pushNumbered(10);
        assertEquals(List.of(3L, 4L, 5L), numbers(ds.items(ALICE, id, query(3, 3, false))));
        assertEquals(List.of(6L, 5L, 4L), numbers(ds.items(ALICE, id, query(3, 3, true))));
        assertEquals(List.of(1L, 0L), numbers(ds.items(ALICE, id, query(8, 5, true))));
        assertEquals(List.of(), numbers(ds.items(ALICE, id, query(10, 5, false))));
        DatasetStore.ItemsPage all = ds.items(ALICE, id, ItemQuery.all());
        assertEquals(10, all.items().size());
        assertEquals(DatasetStore.NO_LIMIT, all.limit());
        assertEquals(10, all.total());
    }

    @Test
    void shouldShapeItemsAfterSelectingThem() {
        ds.push(ALICE, id, bytes("[{\"a\":1,\"#h\":2,\"b\":3},{\"#only\":1},{},{\"b\":4,\"a\":5}]"));
        assertEquals(2, ds.get(ALICE, id).counts().cleanItemCount());
        ItemQuery clean = new ItemQuery(0, Optional.of(3L), false, true, true, List.of(), List.of(), List.of(), List.of());
        assertEquals(List.of("{\"a\":1,\"b\":3}"), texts(ds.items(ALICE, id, clean)));
        ItemQuery fields = new ItemQuery(0, Optional.empty(), false, false, true, List.of("b", "a"), List.of(), List.of(), List.of());
        assertEquals(List.of("{\"b\":3,\"a\":1}", "{\"b\":4,\"a\":5}"), texts(ds.items(ALICE, id, fields)));
        ItemQuery omit = new ItemQuery(3, Optional.empty(), false, false, false, List.of(), List.of("a"), List.of(), List.of());
        assertEquals(List.of("{\"b\":4}"), texts(ds.items(ALICE, id, omit)));
    }

    @Test
    void shouldKeepTheArrayOrderOfUnwoundItemsWhenReadingNewestFirst() {
        ds.push(ALICE, id, bytes("[{\"n\":0,\"v\":[{\"i\":0},{\"i\":1}]},{\"n\":1,\"v\":[{\"i\":0},{\"i\":1}]}]"));
        ItemQuery unwind = new ItemQuery(0, Optional.empty(), true, false, false, List.of(), List.of(), List.of("v"),
                List.of());
        assertEquals(List.of("{\"n\":1,\"i\":0}", "{\"n\":1,\"i\":1}", "{\"n\":0,\"i\":0}", "{\"n\":0,\"i\":1}"),
                texts(ds.items(ALICE, id, unwind)));
    }

    @Test
    void shouldRefuseShapedItemsOverTheByteBudgetAsTheyAreMade() {
        List<byte[]> raw = List.of(bytes("{\"a\":[1,2,3,4,5,6,7,8,9,10],\"b\":[1,2,3,4,5,6,7,8,9,10]}"));
        ItemQuery product = new ItemQuery(0, Optional.empty(), false, false, false, List.of(), List.of(),
                List.of("a", "b"), List.of());
        assertEquals(100, DatasetStore.shape(raw, product, 10_000).size());
        ApiException e = assertThrows(ApiException.class, () -> DatasetStore.shape(raw, product, 500));
        assertEquals(ErrorType.INVALID_VALUE, e.type());
    }

    @Test
    void shouldRenderJsonLinesAndCsv() {
        ds.push(ALICE, id, bytes("[{\"name\":\"a, b\",\"tags\":[\"x\",\"y\"],\"geo\":{\"lat\":1}},{\"name\":\"say \\\"hi\\\"\",\"n\":null}]"));
        List<byte[]> items = ds.items(ALICE, id, ItemQuery.all()).items();
        assertEquals("{\"name\":\"a, b\",\"tags\":[\"x\",\"y\"],\"geo\":{\"lat\":1}}\n{\"name\":\"say \\\"hi\\\"\",\"n\":null}\n",
                text(DatasetFormat.JSONL.render(items, DatasetFormat.CsvOptions.defaults())));
        assertEquals("name,tags/0,tags/1,geo/lat,n\r\n\"a, b\",x,y,1,\r\n\"say \"\"hi\"\"\",,,,\r\n",
                text(DatasetFormat.CSV.render(items, DatasetFormat.CsvOptions.defaults())));
        assertEquals("n;name\r\n;\"say \"\"hi\"\"\"\r\n", text(DatasetFormat.CSV.render(items.subList(1, 2),
                new DatasetFormat.CsvOptions(List.of("n", "name"), ";", false, false))));
        assertEquals("[]", text(DatasetFormat.JSON.render(List.of(), DatasetFormat.CsvOptions.defaults())));
        assertThrows(ApiException.class, () -> DatasetFormat.of("xlsx"));
    }

    @Test
    void shouldNumberConcurrentPushesWithoutGapsOrOverlaps() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        ds.push(ALICE, id, bytes("[{\"x\":1},{\"x\":2}]"));
                    }
                }));
            }
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(800, ds.get(ALICE, id).counts().itemCount());
        assertEquals(800, ds.items(ALICE, id, ItemQuery.all()).items().size());
    }

    @Test
    void shouldDeleteADatasetWithItsItems() {
        pushNumbered(3);
        ds.delete(ALICE, id);
        assertThrows(ApiException.class, () -> ds.items(ALICE, id, ItemQuery.all()));
        String fresh = ds.getOrCreate(ALICE, Optional.empty()).meta().id();
        assertEquals(0, ds.items(ALICE, fresh, ItemQuery.all()).items().size());
    }

    private void pushNumbered(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
        }
        ds.push(ALICE, id, bytes(sb.append(']').toString()));
    }

    private static ItemQuery query(long offset, long limit, boolean desc) {
        return new ItemQuery(offset, Optional.of(limit), desc, false, false, List.of(), List.of(), List.of(), List.of());
    }

    private static List<Long> numbers(DatasetStore.ItemsPage page) {
        return page.items().stream().map(b -> DatasetStore.readTree(b).get("n").asLong()).toList();
    }

    private static List<String> texts(DatasetStore.ItemsPage page) {
        return page.items().stream().map(DatasetStoreTest::text).toList();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
