package io.actord.daemon.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tar reader against GNU tar's own output in each of its formats, and against {@link TarWriter}. */
class TarReaderTest {
    private static final String LONG_DIR = "d".repeat(60) + "/" + "e".repeat(60);
    private static final String LONG_NAME = LONG_DIR + "/" + "f".repeat(90);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "oldgnu", "ustar", "posix"})
    void shouldReadWhatGnuTarWrites(String format) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src").resolve(LONG_DIR));
        Files.writeString(src.resolve("f".repeat(90)), "long\n");
        Path top = dir.resolve("src");
        Files.writeString(top.resolve("plain"), "p".repeat(1000));
        Files.createSymbolicLink(top.resolve("link"), Path.of("plain"));
        Files.createLink(top.resolve("hard"), top.resolve("plain"));
        Path tar = dir.resolve(format + ".tar");
        Process p = new ProcessBuilder("tar", "--format=" + format, "--numeric-owner", "--owner=1234",
                "--group=5678", "-cf", tar.toString(), "-C", top.toString(), "plain", "hard", "link", "d".repeat(60))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<TarEntry> entries = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tar)) {
            TarReader r = new TarReader(in, "test");
            for (Optional<TarEntry> e = r.next(); e.isPresent(); e = r.next()) {
                entries.add(e.get());
                contents.add(new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("plain", "hard", "link", "d".repeat(60) + "/", LONG_DIR + "/", LONG_NAME),
                entries.stream().map(TarEntry::name).toList());
        assertEquals("p".repeat(1000), contents.get(0));
        assertEquals(TarEntry.Type.HARDLINK, entries.get(1).type());
        assertEquals("plain", entries.get(1).linkName());
        assertEquals(TarEntry.Type.SYMLINK, entries.get(2).type());
        assertEquals("plain", entries.get(2).linkName());
        assertEquals(TarEntry.Type.DIRECTORY, entries.get(3).type());
        assertEquals("long\n", contents.get(5));
        assertEquals(1234, entries.get(0).uid());
        assertEquals(5678, entries.get(0).gid());
    }

    @Test
    void shouldReadGnuBase256Numbers() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("big-ids"), "x");
        Path tar = dir.resolve("b.tar");
        Process p = new ProcessBuilder("tar", "--format=gnu", "--numeric-owner", "--owner=2100000000",
                "--group=4000000", "-cf", tar.toString(), "-C", src.toString(), "big-ids").start();
        assertEquals(0, p.waitFor());
        try (InputStream in = Files.newInputStream(tar)) {
            TarEntry e = new TarReader(in, "test").next().orElseThrow();
            assertEquals(List.of(2100000000, 4000000), List.of(e.uid(), e.gid()));
        }
    }

    @Test
    void shouldRoundTripWhatTarWriterWrites() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String longLink = "/" + "t".repeat(150);
        try (TarWriter w = new TarWriter(bytes)) {
            w.add(new TarEntry(LONG_NAME, TarEntry.Type.FILE, 04755, 3_000_000, 7, 3, 1_700_000_000L, "", 0, 0,
                    Map.of("user.note", "hi".getBytes(StandardCharsets.UTF_8))), "abc".getBytes(StandardCharsets.UTF_8));
            w.add(TarEntry.symlink("s", longLink));
            w.add(new TarEntry("fifo", TarEntry.Type.FIFO, 0600, 0, 0, 0, 0, "", 0, 0, Map.of()));
            w.add(new TarEntry("dev/null", TarEntry.Type.CHAR_DEVICE, 0666, 0, 0, 0, 0, "", 1, 3, Map.of()));
        }
        TarReader r = new TarReader(new ByteArrayInputStream(bytes.toByteArray()), "test");
        TarEntry file = r.next().orElseThrow();
        assertEquals(LONG_NAME, file.name());
        assertEquals(04755, file.mode());
        assertEquals(3_000_000, file.uid());
        assertEquals(1_700_000_000L, file.mtime());
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), file.xattrs().get("user.note"));
        assertEquals("abc", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(longLink, r.next().orElseThrow().linkName());
        assertEquals(TarEntry.Type.FIFO, r.next().orElseThrow().type());
        TarEntry dev = r.next().orElseThrow();
        assertEquals(List.of(1, 3), List.of(dev.devMajor(), dev.devMinor()));
        assertEquals(Optional.empty(), r.next());
    }

    @Test
    void shouldRefuseCorruptHeadersAndSparseFiles() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(bytes)) {
            w.add(TarEntry.file("a", 0644, 1), new byte[] {'x'});
        }
        byte[] tar = bytes.toByteArray();
        byte[] corrupt = Arrays.copyOf(tar, tar.length);
        corrupt[10] ^= 1;
        ImageException e = assertThrows(ImageException.class,
                () -> new TarReader(new ByteArrayInputStream(corrupt), "t").next());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        byte[] sparse = Arrays.copyOf(tar, tar.length);
        sparse[156] = 'S';
        fixChecksum(sparse);
        e = assertThrows(ImageException.class, () -> new TarReader(new ByteArrayInputStream(sparse), "t").next());
        assertTrue(e.getMessage().contains("sparse"), e.getMessage());
    }

    /**
     * The attack: consecutive PAX headers for one member, each under the cap on one header, merged their
     * xattrs with no cap on the total (1,500 of 1 MB exhausted a 1 GB heap).
     */
    @Test
    void shouldCapTheExtendedHeadersOfOneMemberTogether() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            bytes.write(paxHeader("SCHILY.xattr.user.k" + i, 400_000));
        }
        try (TarWriter w = new TarWriter(bytes)) {
            w.add(TarEntry.file("a", 0644, 1), new byte[] {'x'});
        }
        ImageException e = assertThrows(ImageException.class,
                () -> new TarReader(new ByteArrayInputStream(bytes.toByteArray()), "t").next());
        assertTrue(e.getMessage().contains("PAX headers of one member hold more than " + TarReader.MAX_EXTENDED_HEADER),
                e.getMessage());
    }

    /** A PAX header block of one record {@code key} with a value of {@code valueBytes}, padded to blocks. */
    static byte[] paxHeader(String key, int valueBytes) {
        String body = " " + key + "=" + "v".repeat(valueBytes) + "\n";
        int length = body.length() + 1;
        while ((Integer.toString(length) + body).length() != length) {
            length++;
        }
        byte[] record = (length + body).getBytes(StandardCharsets.US_ASCII);
        byte[] h = new byte[512];
        System.arraycopy("PaxHeaders/a".getBytes(StandardCharsets.US_ASCII), 0, h, 0, 12);
        System.arraycopy(String.format("%07o\0", 0644).getBytes(StandardCharsets.US_ASCII), 0, h, 100, 8);
        System.arraycopy(String.format("%011o\0", record.length).getBytes(StandardCharsets.US_ASCII), 0, h, 124, 12);
        h[156] = 'x';
        System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        fixChecksum(h);
        byte[] out = new byte[512 + (record.length + 511) / 512 * 512];
        System.arraycopy(h, 0, out, 0, 512);
        System.arraycopy(record, 0, out, 512, record.length);
        return out;
    }

    private static void fixChecksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += h[i] & 0xff;
        }
        System.arraycopy(String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 0, h, 148, 8);
    }
}
