package io.actord.daemon.build;

import io.actord.daemon.image.BuildUser;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.TarEntry;
import io.actord.daemon.image.TarReader;
import io.actord.daemon.image.TarWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The layer a {@code COPY} or {@code ADD} makes, before it is made: its members in tar order, each with the host
 * file its content comes from, and the archives an {@code ADD} extracts. {@link #inputs()} digests what decides
 * the layer's files (names, types, modes, owners, link targets and content, not times), which is the step's cache
 * input; {@link #write} makes the tar.
 */
final class CopyPlan {
    /** One part of the layer, in order. */
    sealed interface Item {
    }

    /** A member; {@code content} is the regular file whose bytes it holds. */
    record Member(TarEntry entry, Optional<Path> content) implements Item {
    }

    /**
     * A local tar (plain, gzip, bzip2, xz or zstd) whose members go below {@code directory} (relative, no leading '/'), with
     * {@code owner} when --chown gave one.
     */
    record Archive(Path file, String directory, Optional<BuildUser> owner) implements Item {
    }

    private final List<Item> items;
    private final Compression compression;

    CopyPlan(List<Item> items, Compression compression) {
        this.items = List.copyOf(items);
        this.compression = compression;
    }

    List<Item> items() {
        return items;
    }

    /** The digest of everything that decides the layer's files. */
    String inputs() throws IOException {
        MessageDigest sha = Digest.newSha256();
        for (Item item : items) {
            if (item instanceof Member m) {
                TarEntry e = m.entry();
                line(sha, "member", e.name(), e.type().name(), Integer.toOctalString(e.mode()),
                        e.uid() + ":" + e.gid(), e.linkName(), m.content().isPresent()
                                ? contentDigest(m.content().get()) : "-");
            } else if (item instanceof Archive a) {
                line(sha, "archive", a.directory(), contentDigest(a.file()),
                        a.owner().map(o -> o.uid() + ":" + o.gid()).orElse("-"));
            }
        }
        return Digest.of(sha).hex();
    }

    /** Writes the layer as an uncompressed tar to {@code sink}, then closes it. */
    void write(OutputStream sink) throws IOException {
        try (TarWriter tar = new TarWriter(sink)) {
            for (Item item : items) {
                if (item instanceof Archive a) {
                    extract(a, tar);
                } else if (item instanceof Member m && m.content().isEmpty()) {
                    tar.add(m.entry());
                } else if (item instanceof Member m) {
                    try (InputStream in = Files.newInputStream(m.content().orElseThrow(), LinkOption.NOFOLLOW_LINKS)) {
                        tar.add(m.entry(), in);
                    }
                }
            }
        }
    }

    private void extract(Archive a, TarWriter tar) throws IOException {
        String what = "ADD " + a.file().getFileName();
        try (InputStream in = compression.decompressArchive(Files.newInputStream(a.file()), what)) {
            TarReader reader = new TarReader(in, what);
            for (var e = reader.next(); e.isPresent(); e = reader.next()) {
                TarEntry m = e.get();
                String name = under(a.directory(), m.name());
                String link = m.type() == TarEntry.Type.HARDLINK ? under(a.directory(), m.linkName()) : m.linkName();
                int uid = a.owner().map(BuildUser::uid).orElse(m.uid());
                int gid = a.owner().map(BuildUser::gid).orElse(m.gid());
                TarEntry moved = new TarEntry(name, m.type(), m.mode(), uid, gid, m.size(), m.mtime(), link,
                        m.devMajor(), m.devMinor(), m.xattrs());
                if (m.type() == TarEntry.Type.FILE && m.size() > 0) {
                    tar.add(moved, reader.content());
                } else {
                    tar.add(moved);
                }
            }
        }
    }

    private static String under(String directory, String name) {
        String clean = name.startsWith("./") ? name.substring(2) : name.startsWith("/") ? name.substring(1) : name;
        return directory.isEmpty() ? clean : directory + "/" + clean;
    }

    /** Whether {@code file} is a tar archive, plain or compressed as {@link Compression} knows, as ADD extracts. */
    static boolean isArchive(Path file, Compression compression) {
        try (InputStream in = compression.decompressArchive(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                file.toString())) {
            byte[] header = in.readNBytes(TarReader.BLOCK);
            if (header.length < TarReader.BLOCK) {
                return false;
            }
            String magic = new String(header, 257, 5, StandardCharsets.US_ASCII);
            return magic.equals("ustar");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String contentDigest(Path file) throws IOException {
        MessageDigest sha = Digest.newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Digest.of(sha).hex();
    }

    private static void line(MessageDigest sha, String... parts) {
        for (String p : parts) {
            sha.update(p.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        sha.update((byte) '\n');
    }
}
