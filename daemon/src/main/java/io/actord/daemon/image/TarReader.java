package io.actord.daemon.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Reads tar archives for untrusted input: POSIX ustar, GNU (long names {@code L}/{@code K}, base-256
 * numbers) and PAX ({@code x} records: path, linkpath, size, uid, gid, mtime, {@code SCHILY.xattr.*}).
 * Every header's checksum is checked; the extended headers of one member (long names and PAX headers
 * together, however many) are capped at {@link #MAX_EXTENDED_HEADER} bytes, and each is reported to a
 * hook that may cap them over an archive; GNU sparse and multi-volume members are refused rather than
 * misread. Not thread-safe.
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
    private final byte[] header = new byte[BLOCK];
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
        String longName = null;
        String longLink = null;
        Map<String, String> pax = new HashMap<>();
        Map<String, byte[]> xattrs = new HashMap<>();
        long extendedBytes = 0;
        for (;;) {
            long at = position;
            if (!readBlock(header, true)) {
                ended = true; // end of stream without the two zero blocks: accepted, as GNU tar does
                return Optional.empty();
            }
            if (isZero(header)) {
                ended = true;
                readBlock(new byte[BLOCK], true); // the second zero block, when present
                return Optional.empty();
            }
            verifyChecksum(at);
            char type = (char) (header[156] & 0xff);
            long size = number(124, 12, "size", at);
            if (type == 'L' || type == 'K' || type == 'x') {
                extendedBytes += size;
                if (extendedBytes > MAX_EXTENDED_HEADER) {
                    throw invalid(at, "the long names and PAX headers of one member hold more than "
                            + MAX_EXTENDED_HEADER + " bytes");
                }
                extendedHeaders.accept(size);
            }
            switch (type) {
                case 'L' -> longName = text(extended(size, "GNU long name", at));
                case 'K' -> longLink = text(extended(size, "GNU long link", at));
                case 'x' -> parsePax(extended(size, "PAX header", at), pax, xattrs, at);
                case 'g', 'V' -> skipData(size); // global PAX defaults and volume labels change no member
                default -> {
                    return Optional.of(entry(type, size, longName, longLink, pax, xattrs, at));
                }
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

    private TarEntry entry(char type, long size, String longName, String longLink, Map<String, String> pax,
                           Map<String, byte[]> xattrs, long at) throws IOException {
        TarEntry.Type kind = switch (type) {
            case '0', '\0', '7' -> TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            case 'S' -> throw invalid(at, "GNU sparse files are not supported");
            case 'M', 'N' -> throw invalid(at, "GNU multi-volume and old long-name members are not supported");
            default -> throw invalid(at, "unknown member type '" + printable(type) + "'");
        };
        if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
            throw invalid(at, "GNU sparse files are not supported");
        }
        String name = pax.containsKey("path") ? pax.get("path") : longName != null ? longName : ustarName();
        String link = pax.containsKey("linkpath") ? pax.get("linkpath") : longLink != null ? longLink
                : text(Arrays.copyOfRange(header, 157, 257));
        if (pax.containsKey("size")) {
            size = paxNumber(pax, "size", at);
        }
        if (kind == TarEntry.Type.FILE && name.endsWith("/")) {
            kind = TarEntry.Type.DIRECTORY; // pre-POSIX archives mark directories by the trailing slash only
        }
        if (name.isEmpty() || name.indexOf('\0') >= 0 || link.indexOf('\0') >= 0) {
            throw invalid(at, "a member has an empty name or a NUL byte in its name");
        }
        long dataSize = kind == TarEntry.Type.FILE ? size : 0;
        if (kind != TarEntry.Type.FILE) {
            skipData(size); // only regular files carry data; skip any that a writer put on other members
        }
        int mode = (int) (number(100, 8, "mode", at) & 07777);
        long uid = pax.containsKey("uid") ? paxNumber(pax, "uid", at) : number(108, 8, "uid", at);
        long gid = pax.containsKey("gid") ? paxNumber(pax, "gid", at) : number(116, 8, "gid", at);
        long mtime = pax.containsKey("mtime") ? paxSeconds(pax.get("mtime"), at) : number(136, 12, "mtime", at);
        if (uid > Integer.MAX_VALUE || gid > Integer.MAX_VALUE) {
            throw invalid(at, "uid or gid out of range");
        }
        boolean ustar = isUstar();
        int major = ustar ? (int) number(329, 8, "devmajor", at) : 0;
        int minor = ustar ? (int) number(337, 8, "devminor", at) : 0;
        remaining = dataSize;
        padding = pad(dataSize);
        return new TarEntry(name, kind, mode, (int) uid, (int) gid, dataSize, mtime, link, major, minor, xattrs);
    }

    private String ustarName() {
        String name = text(Arrays.copyOfRange(header, 0, 100));
        // ustar ("ustar\0"): a prefix field holds the leading directories; GNU ("ustar  ") uses it otherwise.
        if (header[257] == 'u' && header[262] == 0) {
            String prefix = text(Arrays.copyOfRange(header, 345, 500));
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private boolean isUstar() {
        return header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
    }

    private void parsePax(byte[] data, Map<String, String> pax, Map<String, byte[]> xattrs, long at) {
        int i = 0;
        while (i < data.length) {
            int space = indexOf(data, (byte) ' ', i);
            if (space < 0) {
                throw invalid(at, "malformed PAX record");
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw invalid(at, "malformed PAX record length");
            }
            int end = i + length;
            if (length <= 0 || end > data.length || data[end - 1] != '\n') {
                throw invalid(at, "malformed PAX record");
            }
            int eq = indexOf(data, (byte) '=', space + 1);
            if (eq < 0 || eq >= end) {
                throw invalid(at, "malformed PAX record");
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(data, eq + 1, end - 1);
            if (key.startsWith("SCHILY.xattr.")) {
                xattrs.put(key.substring("SCHILY.xattr.".length()), value);
            } else {
                pax.put(key, new String(value, StandardCharsets.UTF_8));
            }
            i = end;
        }
    }

    private long paxNumber(Map<String, String> pax, String key, long at) {
        try {
            long n = Long.parseLong(pax.get(key));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(at, "PAX " + key + " is not a non-negative number: '" + pax.get(key) + "'");
        }
    }

    private long paxSeconds(String value, long at) {
        try {
            int dot = value.indexOf('.');
            return Long.parseLong(dot < 0 ? value : value.substring(0, dot));
        } catch (NumberFormatException e) {
            throw invalid(at, "PAX mtime is not a number: '" + value + "'");
        }
    }

    /** An octal field (NUL or space terminated), or GNU base-256 when the top bit of the first byte is set. */
    private long number(int offset, int length, String field, long at) {
        if ((header[offset] & 0x80) != 0) {
            if ((header[offset] & 0x40) != 0) {
                throw invalid(at, field + " is negative");
            }
            long n = header[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                if (n > (Long.MAX_VALUE >> 8)) {
                    throw invalid(at, field + " is too large");
                }
                n = (n << 8) | (header[offset + i] & 0xff);
            }
            return n;
        }
        long n = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
            n = n * 8 + (header[i] - '0');
        }
        for (; i < end; i++) {
            if (header[i] != ' ' && header[i] != 0) {
                throw invalid(at, field + " is not an octal number");
            }
        }
        return n;
    }

    private void verifyChecksum(long at) {
        long stored;
        try {
            stored = number(148, 8, "checksum", at);
        } catch (ImageException e) {
            throw invalid(at, "no valid header checksum (not a tar archive, or a corrupt one)");
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw invalid(at, "header checksum mismatch (not a tar archive, or a corrupt one)");
        }
    }

    private byte[] extended(long size, String what, long at) throws IOException {
        if (size > MAX_EXTENDED_HEADER) {
            throw invalid(at, what + " of " + size + " bytes is larger than " + MAX_EXTENDED_HEADER);
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

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] field) {
        int end = indexOf(field, (byte) 0, 0);
        return new String(field, 0, end < 0 ? field.length : end, StandardCharsets.UTF_8);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }

    private ImageException truncated() {
        if (position < BLOCK) {
            return new ImageException(source + ": not a tar archive (" + position + " bytes, less than one header)");
        }
        return new ImageException(source + ": truncated tar archive (it ends at byte " + position + ")");
    }

    private ImageException invalid(long at, String message) {
        return new ImageException(source + ": " + message + " (tar header at byte " + at + ")");
    }
}
