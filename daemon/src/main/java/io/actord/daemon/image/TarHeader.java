package io.actord.daemon.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One 512-byte tar header block and its fields as stored: octal numbers (or GNU base-256), the checksum,
 * the ustar name prefix, the link name and device numbers. Knows nothing of the blocks before or after it
 * ({@link ExtendedHeaders} and {@link TarReader} do). Errors name the archive and where the block starts.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06">ustar header block</a>
 */
final class TarHeader {
    private final byte[] block;
    private final String source;
    private final long at;

    /** {@code block} is one whole header ({@link TarReader#BLOCK} bytes) read at byte {@code at} of {@code source}. */
    TarHeader(byte[] block, String source, long at) {
        this.block = block;
        this.source = source;
        this.at = at;
    }

    static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The type flag as stored ({@code '0'} a file, {@code 'x'} a PAX header ...). */
    char typeFlag() {
        return (char) (block[156] & 0xff);
    }

    /** The member type of a typeflag that is no extended header; GNU sparse and multi-volume members are refused. */
    TarEntry.Type memberType() {
        char type = typeFlag();
        return switch (type) {
            case '0', '\0', '7' -> TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            case 'S' -> throw invalid("GNU sparse files are not supported");
            case 'M', 'N' -> throw invalid("GNU multi-volume and old long-name members are not supported");
            default -> throw invalid("unknown member type '" + printable(type) + "'");
        };
    }

    long size() {
        return number(124, 12, "size");
    }

    /** Permission bits with setuid, setgid and sticky. */
    int mode() {
        return (int) (number(100, 8, "mode") & 07777);
    }

    long uid() {
        return number(108, 8, "uid");
    }

    long gid() {
        return number(116, 8, "gid");
    }

    long mtime() {
        return number(136, 12, "mtime");
    }

    /** The path: ustar ("ustar\0") keeps the leading directories in a prefix field; GNU ("ustar  ") uses it otherwise. */
    String name() {
        String name = text(Arrays.copyOfRange(block, 0, 100));
        if (block[257] == 'u' && block[262] == 0) {
            String prefix = text(Arrays.copyOfRange(block, 345, 500));
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    String linkName() {
        return text(Arrays.copyOfRange(block, 157, 257));
    }

    /** Device numbers, only in ustar and GNU headers (0 in pre-POSIX ones). */
    int devMajor() {
        return isUstar() ? (int) number(329, 8, "devmajor") : 0;
    }

    int devMinor() {
        return isUstar() ? (int) number(337, 8, "devminor") : 0;
    }

    /** Accepts the unsigned sum and the signed one (some old writers) of the block, checksum field as spaces. */
    void verifyChecksum() {
        long stored;
        try {
            stored = number(148, 8, "checksum");
        } catch (ImageException e) {
            throw invalid("no valid header checksum (not a tar archive, or a corrupt one)");
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < block.length; i++) {
            int b = i >= 148 && i < 156 ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw invalid("header checksum mismatch (not a tar archive, or a corrupt one)");
        }
    }

    /** An error in this header (or in the extended headers that apply to its member). */
    ImageException invalid(String message) {
        return new ImageException(source + ": " + message + " (tar header at byte " + at + ")");
    }

    private boolean isUstar() {
        return block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                && block[261] == 'r';
    }

    /** An octal field (NUL or space terminated), or GNU base-256 when the top bit of the first byte is set. */
    private long number(int offset, int length, String field) {
        if ((block[offset] & 0x80) != 0) {
            if ((block[offset] & 0x40) != 0) {
                throw invalid(field + " is negative");
            }
            long n = block[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                if (n > (Long.MAX_VALUE >> 8)) {
                    throw invalid(field + " is too large");
                }
                n = (n << 8) | (block[offset + i] & 0xff);
            }
            return n;
        }
        long n = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        for (; i < end && block[i] >= '0' && block[i] <= '7'; i++) {
            n = n * 8 + (block[i] - '0');
        }
        for (; i < end; i++) {
            if (block[i] != ' ' && block[i] != 0) {
                throw invalid(field + " is not an octal number");
            }
        }
        return n;
    }

    /** The UTF-8 text of a field up to its first NUL. */
    static String text(byte[] field) {
        int end = indexOf(field, (byte) 0, 0);
        return new String(field, 0, end < 0 ? field.length : end, StandardCharsets.UTF_8);
    }

    static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }
}
