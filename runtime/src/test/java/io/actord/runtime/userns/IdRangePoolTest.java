package io.actord.runtime.userns;

import io.actord.runtime.ContainerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdRangePoolTest {
    @TempDir
    Path dir;

    @Test
    void shouldHandOutDisjointRangesUntilThePoolIsFull() {
        IdRangePool pool = new IdRangePool(1_000_000, 3);
        Set<Long> starts = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            IdRange range = pool.allocate();
            assertEquals(65536, range.size());
            assertEquals(0, (range.hostStart() - 1_000_000) % 65536);
            assertTrue(starts.add(range.hostStart()), "handed out twice: " + range);
        }
        assertThrows(ContainerException.class, pool::allocate);
    }

    @Test
    void shouldHandOutAGivenBackRangeAgain() {
        IdRangePool pool = new IdRangePool(1_000_000, 2);
        IdRange first = pool.allocate();
        IdRange second = pool.allocate();

        pool.release(first);

        assertFalse(pool.isTaken(first));
        assertEquals(first, pool.allocate());
        assertTrue(pool.isTaken(second));
    }

    @Test
    void shouldClaimTheRangesOfLiveProcessesFromTheirUidMaps() throws IOException {
        IdRangePool pool = new IdRangePool(1_000_000, 4);
        IdRange live = new IdRange(1_000_000 + 2 * 65536, 65536);
        write("1/uid_map", "         0          0 4294967295\n");
        write("20/uid_map", "         0    " + live.hostStart() + "      65536\n");
        write("21/uid_map", "         0     100000      65536\n");
        Files.createDirectories(dir.resolve("self"));

        assertEquals(1, pool.claimLive(dir), "the host's map and a range outside the pool are not ours");

        assertTrue(pool.isTaken(live));
        for (int i = 0; i < 3; i++) {
            assertFalse(pool.allocate().equals(live));
        }
    }

    @Test
    void shouldTakeTheSubordinateIdsOfActordWhenUidsAndGidsAgree() throws IOException {
        Path subuid = write("subuid", "alice:100000:65536\nactord:2000000:655360\n");
        Path subgid = write("subgid", "actord:2000000:655360\n");
        Path otherGids = write("subgid-other", "actord:3000000:655360\n");

        assertEquals("host ids 2000000..2655359", IdRangePool.configured(subuid, subgid).toString());
        assertEquals("host ids 1073741824..1879048191", IdRangePool.configured(subuid, otherGids).toString(),
                "mismatched files: the default pool");
        assertEquals("host ids 1073741824..1879048191",
                IdRangePool.configured(dir.resolve("none"), dir.resolve("none")).toString());
    }

    @Test
    void shouldTellTheContainerIdAFileOwnerStandsFor() {
        IdRangePool pool = new IdRangePool(1_000_000, 4);

        assertEquals(OptionalLong.of(0), pool.containerId(0));
        assertEquals(OptionalLong.of(1000), pool.containerId(1000));
        assertEquals(OptionalLong.of(1000), pool.containerId(1_000_000 + 65536 + 1000), "another range's 1000");
        assertEquals(OptionalLong.empty(), pool.containerId(1_000_000 + 4 * 65536), "past the pool");
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
