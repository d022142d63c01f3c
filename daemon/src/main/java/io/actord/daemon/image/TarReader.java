package io.actord.daemon.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Reads tar archives for untrusted input: POSIX ustar, GNU (long names {@code L}/{@code K}, base-256
 * numbers) and PAX ({@code x} records: path, linkpath, size, uid, gid, mtime, {@code SCHILY.xattr.*}).
 * Every header's checksum is checked; the extended headers of one member (long names and PAX headers
 * together, however many) are capped at {@link #MAX_EXTENDED_HEADER} bytes, and each is reported to a
 * hook that may cap them over an archive; GNU sparse and multi-volume members are refused rather than
 * misread. This class walks the stream (headers, data, padding, end blocks); {@link TarHeader} reads one
 * header's fields and {@link ExtendedHeaders} what the long names and PAX records before a member change.
 * Not thread-safe.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html">pax: ustar and pax formats</a>
 * @see <a href="https://www.gnu.org/software/tar/manual/html_node/Standard.html">GNU tar: basic tar format</a>
 */
public final class TarReader {
    public static final int BLOCK = 512;
    /**
     * The most the long names and PAX headers of one member may hold together: far above any real path
     * and its xattrs, far below memory trouble.
     */
    static final int MAX_EXTENDED_HEADER = 1 << 20;

    private final InputStream in;
    private final String source;
    private final boolean seekable;
    private final LongConsumer extendedHeaders;
    private long remaining;
    private long padding;
    private boolean ended;
    private long position;

    /** {@code source} names the archive in error messages. Every byte is read (digests see them all). */
    public TarReader(InputStream in, String source) {
        this(in, source, false);
    }

    /**
     * With {@code seekable}, member data that is not read is skipped with {@link InputStream#skip} (for
     * indexing an archive file without reading it all; never for a stream under a digest).
     */
    public TarReader(InputStream in, String source, boolean seekable) {
        this(in, source, seekable, n -> { });
    }

    /**
     * With {@code extendedHeaders} told the size of each long name and PAX header before it is read (it
     * may throw to refuse it: the cap over a whole import).
     */
    public TarReader(InputStream in, String source, LongConsumer extendedHeaders) {
        this(in, source, false, extendedHeaders);
    }

    private TarReader(InputStream in, String source, boolean seekable, LongConsumer extendedHeaders) {
        this.in = in;
        this.source = source;
        this.seekable = seekable;
        this.extendedHeaders = extendedHeaders;
    }

    /** Where the current member's data starts in the stream (its header was just read). */
    public long dataOffset() {
        return position;
    }

    /** The next member, or empty at the end of the archive. Skips what is left of the previous member. */
    public Optional<TarEntry> next() throws IOException {
        skipRest();
        if (ended) {
            return Optional.empty();
        }
        ExtendedHeaders extended = new ExtendedHeaders();
        for (;;) {
            long at = position;
            byte[] block = new byte[BLOCK];
            if (!readBlock(block, true)) {
                ended = true; // end of stream without the two zero blocks: accepted, as GNU tar does
                return Optional.empty();
            }
            if (TarHeader.isZero(block)) {
                ended = true;
                readBlock(new byte[BLOCK], true); // the second zero block, when present
                return Optional.empty();
            }
            TarHeader header = new TarHeader(block, source, at);
            header.verifyChecksum();
            char type = header.typeFlag();
            long size = header.size();
            if (ExtendedHeaders.isExtended(type)) {
                extended.count(size, header);
                extendedHeaders.accept(size);
                extended.add(header, extendedData(size, header));
            } else if (type == 'g' || type == 'V') {
                skipData(size); // global PAX defaults and volume labels change no member
            } else {
                return Optional.of(entry(header, size, extended));
            }
        }
    }

    /** The content of the current member (regular files); reading past its size returns -1. */
    public InputStream content() {
        return new BoundedInputStream(in, remaining, n -> {
            remaining -= n;
            position += n;
        }, this::truncated, false);
    }

    /** Reads the rest of the stream (after the end blocks), so a digest over it covers every byte. */
    public void drain() throws IOException {
        skipRest();
        in.transferTo(OutputStream.nullOutputStream());
    }

    private TarEntry entry(TarHeader header, long headerSize, ExtendedHeaders extended) throws IOException {
        TarEntry.Type kind = header.memberType();
        extended.refuseSparse(header);
        String name = extended.path(header);
        String link = extended.linkPath(header);
        long size = extended.number("size", header).orElse(headerSize);
        if (kind == TarEntry.Type.FILE && name.endsWith("/")) {
            kind = TarEntry.Type.DIRECTORY; // pre-POSIX archives mark directories by the trailing slash only
        }
        if (name.isEmpty() || name.indexOf('\0') >= 0 || link.indexOf('\0') >= 0) {
            throw header.invalid("a member has an empty name or a NUL byte in its name");
        }
        long dataSize = kind == TarEntry.Type.FILE ? size : 0;
        if (kind != TarEntry.Type.FILE) {
            skipData(size); // only regular files carry data; skip any that a writer put on other members
        }
        int mode = header.mode();
        long uid = extended.number("uid", header).orElseGet(header::uid);
        long gid = extended.number("gid", header).orElseGet(header::gid);
        long mtime = extended.mtime(header).orElseGet(header::mtime);
        if (uid > Integer.MAX_VALUE || gid > Integer.MAX_VALUE) {
            throw header.invalid("uid or gid out of range");
        }
        int major = header.devMajor();
        int minor = header.devMinor();
        remaining = dataSize;
        padding = pad(dataSize);
        return new TarEntry(name, kind, mode, (int) uid, (int) gid, dataSize, mtime, link, major, minor,
                extended.xattrs());
    }

    private byte[] extendedData(long size, TarHeader header) throws IOException {
        if (size > MAX_EXTENDED_HEADER) {
            throw header.invalid(ExtendedHeaders.describe(header.typeFlag()) + " of " + size
                    + " bytes is larger than " + MAX_EXTENDED_HEADER);
        }
        byte[] data = new byte[(int) size];
        readFully(data);
        skipBytes(pad(size));
        return data;
    }

    private void skipData(long size) throws IOException {
        skipBytes(size + pad(size));
    }

    private void skipRest() throws IOException {
        skipBytes(remaining + padding);
        remaining = 0;
        padding = 0;
    }

    private void skipBytes(long n) throws IOException {
        if (seekable && n > 0) {
            long skipped = in.skip(n);
            n -= skipped;
            position += skipped;
        }
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (read < 0) {
                throw truncated();
            }
            n -= read;
            position += read;
        }
    }

    /** Reads one block; false at a clean end of stream (only allowed where {@code endAllowed}). */
    private boolean readBlock(byte[] block, boolean endAllowed) throws IOException {
        int off = 0;
        while (off < BLOCK) {
            int n = in.read(block, off, BLOCK - off);
            if (n < 0) {
                if (off == 0 && endAllowed) {
                    return false;
                }
                throw truncated();
            }
            off += n;
            position += n;
        }
        return true;
    }

    private void readFully(byte[] data) throws IOException {
        int off = 0;
        while (off < data.length) {
            int n = in.read(data, off, data.length - off);
            if (n < 0) {
                throw truncated();
            }
            off += n;
            position += n;
        }
    }

    private static long pad(long size) {
        long rest = size % BLOCK;
        return rest == 0 ? 0 : BLOCK - rest;
    }

    private ImageException truncated() {
        if (position < BLOCK) {
            return new ImageException(source + ": not a tar archive (" + position + " bytes, less than one header)");
        }
        return new ImageException(source + ": truncated tar archive (it ends at byte " + position + ")");
    }
}
