package io.actord.daemon.image;

import com.github.luben.zstd.ZstdOutputStream;
import io.actord.daemon.testing.TestImages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Layer archives for the image fuzz test: a valid tar of varied and hostile members (long names, PAX
 * xattrs, links out of the tree, FIFOs, devices, whiteouts, setuid modes), then mutated the ways a hostile
 * archive differs from a good one: header fields (with the checksum made right again, mostly, so the
 * mutation gets past it), extended headers inserted (PAX records huge, repeated or malformed, GNU long names
 * and links, global, sparse, volume and unknown types), blocks repeated, bytes flipped, the stream cut;
 * then compressed or not, and the compressed stream itself cut or flipped now and then.
 */
final class ArchiveMutator {
    private static final int BLOCK = TarReader.BLOCK;
    /** Offsets and lengths of the ustar header fields. */
    private static final int[][] FIELDS = {{0, 100}, {100, 8}, {108, 8}, {116, 8}, {124, 12}, {136, 12}, {156, 1},
        {157, 100}, {257, 6}, {263, 2}, {265, 32}, {297, 32}, {329, 8}, {337, 8}, {345, 155}};
    private static final int SIZE = 124;
    private static final int CHECKSUM = 148;

    private final int[] ids = TestImages.ownIds();
    private final boolean whiteouts;

    /**
     * {@code whiteouts}: whether seeds may hold OCI whiteouts (overlayfs makes them character devices 0:0,
     * which only root may create; without root the real layer files cannot).
     */
    ArchiveMutator(boolean whiteouts) {
        this.whiteouts = whiteouts;
    }

    /** What was made, for the failure message. */
    record Archive(byte[] bytes, String how) {
    }

    Archive next(Random r) throws IOException {
        StringBuilder how = new StringBuilder();
        byte[] tar = seed(r, how);
        for (int i = r.nextInt(4); i > 0; i--) {
            tar = mutate(r, tar, how);
        }
        int c = r.nextInt(10);
        if (c < 3) {
            how.append(" gzip");
            tar = compress(tar, false);
        } else if (c < 4) {
            how.append(" zstd");
            tar = compress(tar, true);
        }
        if (c < 4 && r.nextInt(8) == 0) {
            how.append(" compressed-cut");
            tar = Arrays.copyOf(tar, r.nextInt(tar.length + 1));
        } else if (c < 4 && r.nextInt(8) == 0) {
            how.append(" compressed-flip");
            tar[r.nextInt(tar.length)] ^= (byte) (1 + r.nextInt(255));
        }
        return new Archive(tar, how.toString().trim());
    }

    /** A valid tar of 1 to 12 members of every kind; some hostile by name or link. */
    byte[] seed(Random r, StringBuilder how) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> files = new ArrayList<>();
        boolean hostile = r.nextInt(4) == 0; // else its members are all ones an import may take
        try (TarWriter tar = new TarWriter(out)) {
            tar.add(own(TarEntry.directory("d", 0755)));
            for (int i = 1 + r.nextInt(12); i > 0; i--) {
                String name = name(r, hostile);
                switch (r.nextInt(hostile ? 12 : 11)) {
                    case 0, 1, 2 -> {
                        byte[] data = new byte[r.nextInt(5) == 0 ? r.nextInt(200_000) : r.nextInt(600)];
                        r.nextBytes(data);
                        tar.add(own(TarEntry.file(name, r.nextInt(8) == 0 ? 04755 : 0644, data.length)), data);
                        files.add(name);
                    }
                    case 3 -> tar.add(own(TarEntry.directory(name, r.nextInt(4) == 0 ? 01777 : 0755)));
                    case 4 -> tar.add(own(TarEntry.symlink(hostile && r.nextInt(3) == 0 ? "d" : name, List.of("/etc/passwd", "../../../outside", "x", "..",
                            "d", "/").get(r.nextInt(6)))));
                    case 5 -> tar.add(own(TarEntry.hardlink(name, files.isEmpty() || hostile && r.nextInt(3) == 0
                            ? List.of("../outside/canary", "/etc/passwd", "missing", "d").get(r.nextInt(4))
                            : files.get(r.nextInt(files.size())))));
                    case 6 -> tar.add(own(new TarEntry(name, TarEntry.Type.FIFO, 0644, 0, 0, 0, 0, "", 0, 0,
                            Map.of())));
                    case 7 -> tar.add(own(new TarEntry(!hostile || r.nextBoolean() ? "dev/null" : name, r.nextBoolean()
                            ? TarEntry.Type.CHAR_DEVICE : TarEntry.Type.BLOCK_DEVICE, 0666, 0, 0, 0, 0, "", 1 + r.nextInt(8),
                            r.nextInt(9), Map.of())));
                    case 8 -> tar.add(own(new TarEntry(name, TarEntry.Type.FILE, 0644, 0, 0, 0, 0, "", 0, 0,
                            Map.of(List.of("user.a", "security.capability", "trusted.overlay.opaque",
                                    "security.selinux", "user." + "k".repeat(300)).get(r.nextInt(5)),
                                    new byte[r.nextInt(r.nextInt(10) == 0 ? 70_000 : 40)]))), new byte[0]);
                    case 9 -> tar.add(own(TarEntry.file((r.nextBoolean() ? "d/" : "") + (whiteouts ? ".wh." : "no-wh.")
                            + (r.nextBoolean() ? ".wh..opq" : "gone"), 0644, 0)), new byte[0]);
                    case 10 -> tar.add(own(TarEntry.file(name + "/", 0644, 0)), new byte[0]);
                    default -> {
                        tar.add(own(TarEntry.symlink("d/up", "../..")));
                        tar.add(own(TarEntry.file("d/up/escaped", 0644, 1)), new byte[] {'x'});
                    }
                }
            }
        }
        how.append(hostile ? "hostile-seed" : "seed");
        return out.toByteArray();
    }

    private TarEntry own(TarEntry e) {
        return e.withOwner(ids[0], ids[1]).withMtime(1_700_000_000L);
    }

    private static String name(Random r, boolean hostile) {
        int pick = r.nextInt(12);
        if (!hostile && pick >= 2 && pick <= 5) {
            pick = 8;
        }
        return switch (pick) {
            case 0 -> "d/" + "n".repeat(99 + r.nextInt(200));
            case 1 -> "d/" + "p".repeat(60) + "/" + "q".repeat(60) + "/f" + r.nextInt(9);
            case 2 -> "../outside/x";
            case 3 -> "/abs/x";
            case 4 -> "./d/./x";
            case 5 -> "d/../../x";
            case 6 -> "d/\u00fc\u00df-" + r.nextInt(9);
            case 7 -> "d/" + "z".repeat(r.nextInt(4) == 0 ? 5000 : 255);
            default -> "d/f" + r.nextInt(20);
        };
    }

    /** One mutation of the tar stream. */
    byte[] mutate(Random r, byte[] tar, StringBuilder how) {
        List<Integer> headers = headers(tar);
        int at = headers.isEmpty() ? 0 : headers.get(r.nextInt(headers.size()));
        switch (r.nextInt(10)) {
            case 0, 1, 2 -> {
                int[] field = FIELDS[r.nextInt(FIELDS.length)];
                byte[] value = fieldValue(r, field[1]);
                if (at + field[0] + value.length <= tar.length) {
                    System.arraycopy(value, 0, tar, at + field[0], value.length);
                }
                boolean fixed = r.nextInt(4) != 0 && at + BLOCK <= tar.length;
                if (fixed) {
                    checksum(tar, at);
                }
                how.append(" field@").append(field[0]).append(fixed ? "+sum" : "");
                return tar;
            }
            case 3, 4 -> {
                byte[] extended = extendedHeaders(r, how);
                return splice(tar, at, extended);
            }
            case 5 -> {
                how.append(" repeat-header");
                return at + BLOCK <= tar.length ? splice(tar, at, Arrays.copyOfRange(tar, at, at + BLOCK)) : tar;
            }
            case 6 -> {
                how.append(" flip");
                for (int i = 1 + r.nextInt(8); i > 0 && tar.length > 0; i--) {
                    tar[r.nextInt(tar.length)] ^= (byte) (1 + r.nextInt(255));
                }
                return tar;
            }
            case 7 -> {
                how.append(" cut");
                return Arrays.copyOf(tar, r.nextBoolean() ? r.nextInt(tar.length + 1) : Math.max(0, tar.length - 1024));
            }
            case 8 -> {
                how.append(" type");
                if (at + BLOCK <= tar.length) {
                    tar[at + 156] = (byte) "0123456789xgLKSVMDNZ\0A".charAt(r.nextInt(22));
                    checksum(tar, at);
                }
                return tar;
            }
            default -> {
                how.append(" size");
                if (at + BLOCK <= tar.length) {
                    byte[] v = fieldValue(r, 12);
                    System.arraycopy(v, 0, tar, at + SIZE, 12);
                    checksum(tar, at);
                }
                return tar;
            }
        }
    }

    private static byte[] fieldValue(Random r, int length) {
        byte[] v = new byte[length];
        switch (r.nextInt(8)) {
            case 0 -> Arrays.fill(v, (byte) '7'); // the largest octal value, no terminator
            case 1 -> {
                v[0] = (byte) 0x80; // base-256, positive and huge
                for (int i = 1; i < length; i++) {
                    v[i] = (byte) r.nextInt(256);
                }
            }
            case 2 -> Arrays.fill(v, (byte) 0xff); // base-256, negative
            case 3 -> Arrays.fill(v, (byte) ' ');
            case 4 -> r.nextBytes(v);
            case 5 -> {
                byte[] s = String.format("%0" + Math.max(1, length - 1) + "o", r.nextInt(1 << 20))
                        .getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(s, 0, v, 0, Math.min(s.length, length));
            }
            case 6 -> {
                byte[] s = "9x-1".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(s, 0, v, 0, Math.min(s.length, length));
            }
            default -> { } // all NUL
        }
        return v;
    }

    /** Extended headers to put before a member: long names, PAX records of every kind, other types. */
    private static byte[] extendedHeaders(Random r, StringBuilder how) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = r.nextInt(6) == 0 ? 20 + r.nextInt(60) : 1 + r.nextInt(3);
        for (int i = 0; i < count; i++) {
            char type = "xxxxLLKgSVM".charAt(r.nextInt(11));
            byte[] data = switch (type) {
                case 'x', 'g' -> paxRecords(r);
                case 'L', 'K' -> {
                    int n = List.of(0, 1, 100, 4096, 70_000, (1 << 20) + 1).get(r.nextInt(6));
                    byte[] name = new byte[n];
                    Arrays.fill(name, (byte) 'l');
                    yield name;
                }
                default -> new byte[r.nextInt(1000)];
            };
            out.writeBytes(header("././@Extended", type, data.length));
            out.writeBytes(data);
            out.writeBytes(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
        }
        how.append(" extended*").append(count);
        return out.toByteArray();
    }

    private static byte[] paxRecords(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = 1 + r.nextInt(r.nextInt(10) == 0 ? 5000 : 4); i > 0 && s.length() < (2 << 20); i--) {
            String record = switch (r.nextInt(14)) {
                case 0 -> "path=" + "p/".repeat(r.nextInt(2000)) + "x";
                case 1 -> "linkpath=../../outside";
                case 2 -> "size=" + List.of("-1", "99999999999999999999", "1e9", "x", "0", "1024").get(r.nextInt(6));
                case 3 -> "uid=" + List.of("-1", "4294967296", "abc", "0").get(r.nextInt(4));
                case 4 -> "mtime=" + List.of("1e20", "-1.5", "1.999999999999", "x", "99999999999999999999.1")
                        .get(r.nextInt(5));
                case 5 -> "SCHILY.xattr.user.big=" + "v".repeat(r.nextInt(300_000));
                case 6 -> "SCHILY.xattr.security.capability=\u0001\u0002";
                case 7 -> "GNU.sparse.major=1";
                case 8 -> "path=../escape";
                case 9 -> "path=/etc/passwd";
                case 10 -> "=empty";
                case 11 -> "noequals";
                default -> "comment=" + "c".repeat(r.nextInt(100));
            };
            int body = record.getBytes(StandardCharsets.UTF_8).length + 2; // the space and the newline
            int len = body + 1;
            while (Integer.toString(len).length() + body != len) {
                len++;
            }
            switch (r.nextInt(12)) {
                case 0 -> s.append("99999999999 ").append(record).append('\n'); // a length past the data
                case 1 -> s.append(record).append('\n'); // no length
                case 2 -> s.append(len - 3).append(' ').append(record).append('\n'); // a length short of it
                case 3 -> s.append("-5 ").append(record).append('\n');
                default -> s.append(len).append(' ').append(record).append('\n');
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A ustar header with a right checksum. */
    static byte[] header(String name, char type, long size) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, SIZE, 12, size);
        octal(h, 136, 12, 1_700_000_000L);
        h[156] = (byte) type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        checksum(h, 0);
        return h;
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        byte[] s = String.format("%0" + (length - 1) + "o", value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, h, offset, Math.min(s.length, length - 1));
    }

    private static void checksum(byte[] tar, int at) {
        Arrays.fill(tar, at + CHECKSUM, at + CHECKSUM + 8, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += tar[at + i] & 0xff;
        }
        byte[] s = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, tar, at + CHECKSUM, 8);
    }

    /** Where each header starts, walking the sizes as written (up to a field that does not parse). */
    private static List<Integer> headers(byte[] tar) {
        List<Integer> at = new ArrayList<>();
        int off = 0;
        while (off + BLOCK <= tar.length && tar[off] != 0) {
            at.add(off);
            String size = new String(tar, off + SIZE, 11, StandardCharsets.US_ASCII).trim();
            long n;
            try {
                n = Long.parseLong(size.isEmpty() ? "0" : size, 8);
            } catch (NumberFormatException e) {
                break;
            }
            long next = off + BLOCK + (n + BLOCK - 1) / BLOCK * BLOCK;
            if (n < 0 || next > tar.length) {
                break;
            }
            off = (int) next;
        }
        return at;
    }

    private static byte[] splice(byte[] tar, int at, byte[] insert) {
        byte[] out = new byte[tar.length + insert.length];
        System.arraycopy(tar, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(tar, at, out, at + insert.length, tar.length - at);
        return out;
    }

    static byte[] compress(byte[] tar, boolean zstd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = zstd ? new ZstdOutputStream(out) : new GZIPOutputStream(out)) {
            z.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A gzip stream of a tar holding one file of {@code megabytes} MiB of zeros, made without holding it. */
    static byte[] gzipBomb(int megabytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out, 1 << 16)) {
            z.write(header("bomb", '0', (long) megabytes << 20));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < megabytes; i++) {
                z.write(zeros);
            }
            z.write(new byte[2 * BLOCK]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
