package io.actord.daemon.image;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the layer fuzz test ({@link LayerFuzzTest}) found, one archive each, handled as it should be now. */
class LayerFuzzFindingsTest {
    @TempDir
    Path dir;

    private StateStore state;
    private LayerStore store;

    @BeforeEach
    void open() {
        state = RocksStateStore.open(dir.resolve("rocksdb"), ActorDaemon.TABLES);
        store = LayerStore.open(dir.resolve("layers"), state, new RecordingLayerFiles(),
                new Compression(dir.resolve("native")), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        state.close();
    }

    private Digest unpack(byte[] tar) throws IOException {
        try (LayerStore.Pin pin = store.pin()) {
            return store.unpack(new ByteArrayInputStream(tar), "layer", Optional.empty(), Optional.empty(),
                    new ImportBudget(ImportLimits.DEFAULT), pin);
        }
    }

    /** The directory's attributes were set at the end on whatever was at its path: opening the FIFO hung. */
    @Test
    void shouldNotOpenAFifoThatReplacedADirectory() throws Exception {
        byte[] tar = new TestImages.Layer().dir("d")
                .raw(own(new TarEntry("d", TarEntry.Type.FIFO, 0644, 0, 0, 0, 0, "", 0, 0, Map.of())), null).tar();
        Digest d = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> unpack(tar));
        assertTrue(Files.readAttributes(store.path(d).resolve("d"), BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther(), "d is the FIFO");
    }

    /**
     * A directory replaced by a symbolic link out of the layer: its subdirectory's mode and time were set
     * through the link, on the host's directory of that name.
     */
    @Test
    void shouldNotSetTheAttributesOfADirectoryThroughALinkThatReplacedItsParent() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside/sub"));
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwx------"));
        FileTime time = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(outside, time);
        byte[] tar = new TestImages.Layer().dir("d")
                .raw(own(TarEntry.directory("d/sub", 0777)), null)
                .raw(own(TarEntry.symlink("d", dir.resolve("outside").toString())), null).tar();
        Digest d = unpack(tar);
        assertTrue(Files.isSymbolicLink(store.path(d).resolve("d")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(outside,
                LinkOption.NOFOLLOW_LINKS)), "the host's directory keeps its mode");
        assertEquals(time, Files.getLastModifiedTime(outside, LinkOption.NOFOLLOW_LINKS));
    }

    private static TarEntry own(TarEntry e) {
        int[] ids = TestImages.ownIds();
        return e.withOwner(ids[0], ids[1]).withMtime(1_700_000_000L);
    }
}
