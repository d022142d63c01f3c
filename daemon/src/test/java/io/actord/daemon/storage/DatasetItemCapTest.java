package io.actord.daemon.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static io.actord.daemon.storage.StorageFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dataset with a {@link DatasetItemCap} takes items up to the cap and drops the rest of a push. */
class DatasetItemCapTest {
    @TempDir
    Path dir;
    private StorageFixture f;
    private DatasetStore capped;
    private String id;

    @BeforeEach
    void open() {
        f = new StorageFixture(dir);
        id = f.datasets.getOrCreate(ALICE, Optional.empty()).meta().id();
        capped = new DatasetStore(f.registry, d -> d.id().equals(id) ? OptionalLong.of(3) : OptionalLong.empty());
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void shouldKeepTheFirstItemsUpToTheCap() {
        assertEquals(2, capped.push(ALICE, id, bytes("[{\"n\":1},{\"#hidden\":2}]")));
        assertEquals(1, capped.push(ALICE, id, bytes("[{\"n\":3},{\"n\":4},{\"n\":5}]")));
        assertEquals(0, capped.push(ALICE, id, bytes("{\"n\":6}")));

        List<String> items = capped.items(ALICE, id, ItemQuery.all()).items().stream()
                .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        assertEquals(List.of("{\"n\":1}", "{\"#hidden\":2}", "{\"n\":3}"), items);
        StorageMeta.Counts counts = capped.get(ALICE, id).counts();
        assertEquals(3, counts.itemCount());
        assertEquals(2, counts.cleanItemCount(), "the hidden item is not clean, the dropped ones are not counted");
    }

    @Test
    void shouldLeaveDatasetsWithoutACapAlone() {
        String other = f.datasets.getOrCreate(ALICE, Optional.of("other")).meta().id();
        assertEquals(5, capped.push(ALICE, other, bytes("[{},{},{},{},{}]")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
