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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer store and its extractor against good, tricky and hostile layers, without privileges. */
class LayerStoreTest {
    @TempDir
    Path dir;

    private StateStore state;
    private RecordingLayerFiles files;
    private LayerStore store;
    private Path outside;

    @BeforeEach
    void open() throws IOException {
        state = RocksStateStore.open(dir.resolve("rocksdb"), ActorDaemon.TABLES);
        files = new RecordingLayerFiles();
        store = LayerStore.open(dir.resolve("layers"), state, files, new Compression(dir.resolve("native")),
                Clock.systemUTC());
        outside = Files.createDirectories(dir.resolve("outside"));
    }

    @AfterEach
    void close() {
        state.close();
    }

    private Digest unpack(byte[] blob) throws IOException {
        return unpack(blob, ImportLimits.DEFAULT, Optional.empty(), Optional.empty());
    }

    private Digest unpack(byte[] blob, ImportLimits limits, Optional<Digest> blobDigest, Optional<Digest> diffId)
            throws IOException {
        try (LayerStore.Pin pin = store.pin()) {
            return store.unpack(new ByteArrayInputStream(blob), "layer", blobDigest, diffId, new ImportBudget(limits),
                    pin);
        }
    }

    @Test
    void shouldUnpackFilesLinksModesAndWhiteouts() throws Exception {
        byte[] tar = new TestImages.Layer().dir("bin").file("bin/tool", "#!/bin/sh\n", 04755)
                .symlink("bin/sh", "/bin/busybox").hardlink("bin/same", "bin/tool").dir("tmp")
                .raw(TarEntry.directory("tmp", 01777).withOwner(0, 0), null)
                .whiteout("etc", "hostname").opaque("var").file("var/new", "n").tar();
        Digest d = unpack(TestImages.compress(tar, TestImages.Compression.GZIP));
        assertEquals(Digest.of(tar), d, "stored under the digest of the uncompressed tar");
        Path root = store.path(d);
        assertEquals("#!/bin/sh\n", Files.readString(root.resolve("bin/tool")));
        assertEquals(04755, mode(root.resolve("bin/tool")), "setuid kept");
        assertEquals(01777, mode(root.resolve("tmp")), "sticky kept");
        assertEquals("/bin/busybox", Files.readSymbolicLink(root.resolve("bin/sh")).toString());
        assertEquals(Files.getAttribute(root.resolve("bin/tool"), "unix:ino"),
                Files.getAttribute(root.resolve("bin/same"), "unix:ino"), "a hard link shares the inode");
        assertTrue(files.calls().contains("whiteout hostname"), files.calls().toString());
        assertTrue(files.calls().contains("opaque var"), files.calls().toString());
        assertTrue(files.calls().contains("owner tmp 0:0"), files.calls().toString());
        assertFalse(Files.exists(root.resolve("etc/.wh.hostname")), "whiteout files are not unpacked as files");
        assertEquals("n", Files.readString(root.resolve("var/new")));
        assertTrue(store.find(d).isPresent());
        assertTmpEmpty();
    }

    @Test
    void shouldReadZstdAndPlainLayersAndKeepOneCopy() throws Exception {
        byte[] tar = new TestImages.Layer().file("a", "same").tar();
        Digest plain = unpack(tar);
        Digest zstd = unpack(TestImages.compress(tar, TestImages.Compression.ZSTD));
        assertEquals(plain, zstd);
        try (Stream<Path> layers = Files.list(dir.resolve("layers/sha256"))) {
            assertEquals(1, layers.count());
        }
        assertTmpEmpty();
    }

    @Test
    void shouldImportAnUnchangedDirectoryAsTheSameOneLayerWithItsHardLinks() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.writeString(rootfs.resolve("tool"), "t");
        Files.createLink(rootfs.resolve("alias"), rootfs.resolve("tool"));
        Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("tool"));
        ImageImporter importer = new ImageImporter(store, ImportLimits.DEFAULT);
        Digest first;
        try (ImportedImage a = importer.importRootfs(dir.resolve("rootfs"))) {
            first = a.layers().get(0);
        }
        try (ImportedImage b = importer.importRootfs(dir.resolve("rootfs"))) {
            assertEquals(List.of(first), b.layers());
        }
        Path layer = store.path(first);
        assertEquals(Files.getAttribute(layer.resolve("bin/tool"), "unix:ino"),
                Files.getAttribute(layer.resolve("bin/alias"), "unix:ino"));
        assertEquals("tool", Files.readSymbolicLink(layer.resolve("bin/sh")).toString());
        assertTmpEmpty();
    }

    @Test
    void shouldRefusePathTraversal() throws Exception {
        refused(new TestImages.Layer().file("../outside/evil", "x"), "leaves the layer through '..'");
        refused(new TestImages.Layer().file("a/../../outside/evil", "x"), "leaves the layer through '..'");
    }

    @Test
    void shouldRefuseNamesTheKernelWouldNotTake() throws Exception {
        refused(new TestImages.Layer().file("x".repeat(256), "x"), "path component longer than 255 bytes");
        refused(new TestImages.Layer().file("d/".repeat(2100) + "f", "x"), "name longer than 4095 bytes");
        refused(new TestImages.Layer().symlink("s", "t".repeat(4096)), "longer than 4095 bytes");
    }

    @Test
    void shouldRefuseAbsolutePaths() throws Exception {
        refused(new TestImages.Layer().file(outside.resolve("evil").toString(), "x"), "is an absolute path");
    }

    @Test
    void shouldRefuseWritingThroughASymlink() throws Exception {
        refused(new TestImages.Layer().symlink("escape", outside.toString()).file("escape/evil", "x"),
                "would be written through the symbolic link 'escape'");
        refused(new TestImages.Layer().symlink("up", "../../../..").file("up/outside/evil", "x"),
                "would be written through the symbolic link 'up'");
        refused(new TestImages.Layer().dir("d").symlink("d/e", "/").dir("d/e/etc"),
                "would be written through the symbolic link 'd/e'");
    }

    @Test
    void shouldRefuseHardLinksLeavingTheLayer() throws Exception {
        Files.writeString(outside.resolve("secret"), "s");
        refused(new TestImages.Layer().hardlink("leak", "../outside/secret"), "leaves the layer through '..'");
        refused(new TestImages.Layer().hardlink("leak", outside.resolve("secret").toString()), "is an absolute path");
        refused(new TestImages.Layer().symlink("s", outside.toString()).hardlink("leak", "s/secret"),
                "through the symbolic link 's'");
        refused(new TestImages.Layer().hardlink("leak", "missing"), "not a file earlier in this layer");
    }

    @Test
    void shouldRefuseDeviceNodesButDropThemBelowDev() throws Exception {
        TarEntry nullDevice = new TarEntry("evil-null", TarEntry.Type.CHAR_DEVICE, 0666, 0, 0, 0, 0, "", 1, 3, Map.of());
        refused(new TestImages.Layer().raw(nullDevice, null), "is a device node");
        TarEntry disk = new TarEntry("dev/sda", TarEntry.Type.BLOCK_DEVICE, 0660, 0, 0, 0, 0, "", 8, 0, Map.of());
        Digest d = unpack(new TestImages.Layer().dir("dev").raw(disk, null).tar());
        assertFalse(Files.exists(store.path(d).resolve("dev/sda"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldRefuseWrongDigestsAndKeepNothing() throws Exception {
        byte[] tar = new TestImages.Layer().file("a", "content").tar();
        Digest wrong = Digest.of("something else".getBytes());
        ImageException e = assertThrows(ImageException.class,
                () -> unpack(tar, ImportLimits.DEFAULT, Optional.empty(), Optional.of(wrong)));
        assertTrue(e.getMessage().contains("does not match its digest " + wrong), e.getMessage());
        byte[] gz = TestImages.compress(tar, TestImages.Compression.GZIP);
        e = assertThrows(ImageException.class,
                () -> unpack(gz, ImportLimits.DEFAULT, Optional.of(wrong), Optional.of(Digest.of(tar))));
        assertTrue(e.getMessage().contains("content does not match its digest"), e.getMessage());
        assertStoreEmpty();
    }

    @Test
    void shouldRefuseTruncatedAndCorruptArchives() throws Exception {
        byte[] gz = TestImages.compress(new TestImages.Layer().file("a", "x".repeat(100_000)).tar(), TestImages.Compression.GZIP);
        ImageException e = assertThrows(ImageException.class, () -> unpack(Arrays.copyOf(gz, gz.length / 2)));
        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
        byte[] tar = new TestImages.Layer().file("a", "x".repeat(10_000)).tar();
        e = assertThrows(ImageException.class, () -> unpack(Arrays.copyOf(tar, 3000)));
        assertTrue(e.getMessage().contains("truncated tar archive"), e.getMessage());
        e = assertThrows(ImageException.class, () -> unpack("not a tar at all".repeat(40).getBytes()));
        assertTrue(e.getMessage().contains("not a tar archive"), e.getMessage());
        assertStoreEmpty();
    }

    @Test
    void shouldStopADecompressionBombAtTheLimit() throws Exception {
        byte[] zeros = new byte[64 << 20];
        byte[] bomb = TestImages.compress(new TestImages.Layer().raw(TarEntry.file("zeros", 0644, zeros.length)
                .withOwner(TestImages.ownIds()[0], TestImages.ownIds()[1]), zeros).tar(), TestImages.Compression.GZIP);
        assertTrue(bomb.length < 1 << 20, "a small blob: " + bomb.length);
        ImageException e = assertThrows(ImageException.class, () -> unpack(bomb, new ImportLimits(8 << 20, 1000),
                Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("more than 8388608 bytes"), e.getMessage());
        TestImages.Layer many = new TestImages.Layer();
        for (int i = 0; i < 20; i++) {
            many.file("f" + i, "");
        }
        byte[] manyFiles = many.tar();
        e = assertThrows(ImageException.class, () -> unpack(manyFiles, new ImportLimits(1 << 20, 10),
                Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("more than 10 files"), e.getMessage());
        assertStoreEmpty();
    }

    @Test
    void shouldCapTheExtendedHeaderBytesOfAnImport() throws Exception {
        TestImages.Layer many = new TestImages.Layer();
        for (int i = 0; i < 20; i++) {
            many.raw(new TarEntry("f" + i, TarEntry.Type.FILE, 0644, TestImages.ownIds()[0], TestImages.ownIds()[1], 0,
                    0, "", 0, 0, Map.of("user.note", "n".repeat(500).getBytes(StandardCharsets.UTF_8))), new byte[0]);
        }
        byte[] tar = many.tar();
        ImageException e = assertThrows(ImageException.class, () -> unpack(tar, new ImportLimits(1 << 20, 1000, 4096),
                Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("more than 4096 bytes of long names and PAX records"), e.getMessage());
        assertStoreEmpty();
    }

    /** The attack: setting a FIFO's time opened it, which waits for a writer for ever (8 such took every API worker). */
    @Test
    void shouldUnpackAFifoWithoutOpeningIt() throws Exception {
        byte[] tar = new TestImages.Layer().raw(new TarEntry("pipe", TarEntry.Type.FIFO, 0640, TestImages.ownIds()[0],
                TestImages.ownIds()[1], 0, 1_000_000, "", 0, 0, Map.of()), new byte[0]).file("after", "a").tar();
        Digest d = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> unpack(tar), "the import hung on the FIFO");
        Path pipe = store.path(d).resolve("pipe");
        assertTrue(Files.readAttributes(pipe, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(pipe)));
        assertTrue(Files.exists(store.path(d).resolve("after")));
    }

    @Test
    void shouldKeepOnlyCapabilitiesTheKernelTakes() throws Exception {
        byte[] v2 = new byte[20];
        v2[3] = 2;
        v2[0] = 1;
        unpack(new TestImages.Layer().raw(withCapability("ping", v2), new byte[] {'x'}).tar());
        assertTrue(files.calls().stream().anyMatch(c -> c.startsWith("xattr ping security.capability=")), files.calls()
                .toString());
        for (byte[] bad : List.of("junk".getBytes(StandardCharsets.US_ASCII), new byte[12], Arrays.copyOf(v2, 24))) {
            ImageException e = assertThrows(ImageException.class, () -> unpack(new TestImages.Layer().raw(
                    withCapability("bad", bad), new byte[] {'x'}).tar()));
            assertTrue(e.getMessage().contains("security.capability attribute that is not a v2 or v3"), e.getMessage());
        }
    }

    private static TarEntry withCapability(String name, byte[] value) {
        return new TarEntry(name, TarEntry.Type.FILE, 0755, TestImages.ownIds()[0], TestImages.ownIds()[1], 1, 0, "", 0,
                0, Map.of("security.capability", value));
    }

    @Test
    void shouldCollectOnlyLayersWithoutReferencesOrPins() throws Exception {
        Digest a = unpack(new TestImages.Layer().file("a", "a").tar());
        Digest b = unpack(new TestImages.Layer().file("b", "b").tar());
        state.table(ImageTables.LAYER_REFS).put(new LayerRefKey(a.toString(), "build1"),
                io.actord.daemon.state.Codecs.Empty.INSTANCE);
        try (LayerStore.Pin pin = store.pin()) {
            assertTrue(store.has(b, pin));
            store.collect(List.of(a, b));
            assertTrue(store.find(b).isPresent(), "pinned by an import in progress");
        }
        store.collect(List.of(a, b));
        assertTrue(store.find(a).isPresent(), "referenced by a build");
        assertFalse(store.find(b).isPresent());
        assertFalse(Files.exists(store.path(b)));
        assertTmpEmpty();
    }

    private void refused(TestImages.Layer layer, String why) throws IOException {
        byte[] tar = layer.tar();
        ImageException e = assertThrows(ImageException.class, () -> unpack(tar));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        try (Stream<Path> left = Files.list(outside)) {
            assertEquals(List.of(), left.filter(p -> !p.getFileName().toString().equals("secret")).toList(),
                    "nothing written outside the layer");
        }
        assertStoreEmpty();
    }

    private void assertStoreEmpty() throws IOException {
        try (Stream<Path> layers = Files.list(dir.resolve("layers/sha256"))) {
            assertEquals(List.of(), layers.toList());
        }
        assertTmpEmpty();
    }

    private void assertTmpEmpty() throws IOException {
        try (Stream<Path> tmp = Files.list(store.tmp())) {
            assertEquals(List.of(), tmp.toList(), "the temporary area is left empty");
        }
    }

    /**
     * A layer another host's store sent (on the state they share, as a cluster's hosts do) arrives with its files,
     * modes and links; a tar cut off midway leaves nothing; a layer that is not here is not sent.
     */
    @Test
    void shouldReceiveALayerAnotherHostsStoreSent() throws Exception {
        byte[] tar = new TestImages.Layer().dir("bin").file("bin/tool", "#!/bin/sh\n", 04755)
                .symlink("bin/sh", "/bin/busybox").hardlink("bin/same", "bin/tool")
                .file("data", "x".repeat(100_000), 0640).tar();
        Digest d = unpack(tar);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        assertTrue(store.send(d, sent));
        assertFalse(store.send(Digest.of(new byte[] {1}), new ByteArrayOutputStream()), "a layer not here");
        LayerStore other = LayerStore.open(dir.resolve("other"), state, files, new Compression(dir.resolve("native")),
                Clock.systemUTC());
        assertTrue(other.find(d).isEmpty(), "the files are not on the other host");

        byte[] cut = Arrays.copyOf(sent.toByteArray(), sent.size() / 2);
        assertThrows(ImageException.class, () -> other.receive(d, new ByteArrayInputStream(cut), "cut",
                ImportLimits.DEFAULT));
        assertTrue(other.find(d).isEmpty(), "nothing of a cut tar is kept");
        try (Stream<Path> tmp = Files.list(other.tmp())) {
            assertEquals(0, tmp.count(), "nothing left in the temporary area");
        }

        other.receive(d, new ByteArrayInputStream(sent.toByteArray()), "whole", ImportLimits.DEFAULT);
        Path root = other.path(d);
        assertTrue(other.find(d).isPresent());
        assertEquals("#!/bin/sh\n", Files.readString(root.resolve("bin/tool")));
        assertEquals(04755, mode(root.resolve("bin/tool")), "setuid kept");
        assertEquals(0640, mode(root.resolve("data")));
        assertEquals(100_000, Files.size(root.resolve("data")));
        assertEquals("/bin/busybox", Files.readSymbolicLink(root.resolve("bin/sh")).toString());
        assertEquals(Files.getAttribute(root.resolve("bin/tool"), "unix:ino"),
                Files.getAttribute(root.resolve("bin/same"), "unix:ino"), "a hard link shares the inode");
    }

    private static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
