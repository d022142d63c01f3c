package io.actord.daemon.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes POSIX tar (ustar headers, a PAX {@code x} header before a member whose name, link, size or ids do
 * not fit them). Used to turn a rootfs directory into a layer stream, and by tests to make images.
 */
public final class TarWriter implements AutoCloseable {
    private static final int NAME_LENGTH = 100;
    private static final long MAX_OCTAL_8 = 07777777L;
    private static final long MAX_OCTAL_12 = 077777777777L;

    private final OutputStream out;
    private long written;
    private boolean closed;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes a member without data (directory, link, device, FIFO, or an empty file). */
    public void add(TarEntry entry) throws IOException {
        if (entry.type() == TarEntry.Type.FILE && entry.size() != 0) {
            throw new IllegalArgumentException("a regular file with data needs its content: " + entry.name());
        }
        header(entry);
    }

    /** Writes a regular file whose content is {@code entry.size()} bytes of {@code content}. */
    public void add(TarEntry entry, InputStream content) throws IOException {
        header(entry);
        long copied = 0;
        byte[] buffer = new byte[64 * 1024];
        while (copied < entry.size()) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, entry.size() - copied));
            if (n < 0) {
                throw new IOException("content of " + entry.name() + " ended after " + copied + " of " + entry.size()
                        + " bytes");
            }
            out.write(buffer, 0, n);
            copied += n;
        }
        written += copied;
        pad();
    }

    public void add(TarEntry entry, byte[] content) throws IOException {
        add(entry, new java.io.ByteArrayInputStream(content));
    }

    private void header(TarEntry e) throws IOException {
        Map<String, byte[]> pax = new LinkedHashMap<>();
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        byte[] link = e.linkName().getBytes(StandardCharsets.UTF_8);
        if (name.length > NAME_LENGTH) {
            pax.put("path", name);
        }
        if (link.length > NAME_LENGTH) {
            pax.put("linkpath", link);
        }
        if (e.size() > MAX_OCTAL_12) {
            pax.put("size", Long.toString(e.size()).getBytes(StandardCharsets.US_ASCII));
        }
        if (e.uid() > MAX_OCTAL_8) {
            pax.put("uid", Integer.toString(e.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (e.gid() > MAX_OCTAL_8) {
            pax.put("gid", Integer.toString(e.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        e.xattrs().forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            block("PaxHeaders/" + truncate(e.name(), 80), 'x', 0644, 0, 0, records.length, e.mtime(), "", 0, 0);
            out.write(records);
            written += records.length;
            pad();
        }
        char type = switch (e.type()) {
            case FILE -> '0';
            case HARDLINK -> '1';
            case SYMLINK -> '2';
            case CHAR_DEVICE -> '3';
            case BLOCK_DEVICE -> '4';
            case DIRECTORY -> '5';
            case FIFO -> '6';
        };
        block(truncate(e.name(), NAME_LENGTH), type, e.mode(), Math.min(e.uid(), MAX_OCTAL_8),
                Math.min(e.gid(), MAX_OCTAL_8), Math.min(e.size(), MAX_OCTAL_12), e.mtime(),
                truncate(e.linkName(), NAME_LENGTH), e.devMajor(), e.devMinor());
    }

    private void block(String name, char type, int mode, long uid, long gid, long size, long mtime, String link,
                       int major, int minor) throws IOException {
        byte[] h = new byte[TarReader.BLOCK];
        put(h, 0, NAME_LENGTH, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.max(0, Math.min(mtime, MAX_OCTAL_12)));
        h[156] = (byte) type;
        put(h, 157, NAME_LENGTH, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, h, 148, 8);
        out.write(h);
        written += h.length;
    }

    private static byte[] paxRecords(Map<String, byte[]> pax) {
        java.io.ByteArrayOutputStream records = new java.io.ByteArrayOutputStream();
        pax.forEach((key, value) -> {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            int body = 1 + k.length + 1 + value.length + 1; // " key=value\n"
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) {
                length++; // the length's own digits pushed it over a power of ten
            }
            records.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
            records.writeBytes(k);
            records.write('=');
            records.writeBytes(value);
            records.write('\n');
        });
        return records.toByteArray();
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = String.format("%0" + (length - 1) + "o", value);
        put(h, offset, length, (digits + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] h, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
    }

    private static String truncate(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= maxBytes ? s : new String(b, 0, maxBytes, StandardCharsets.UTF_8);
    }

    private void pad() throws IOException {
        int rest = (int) (written % TarReader.BLOCK);
        if (rest != 0) {
            out.write(new byte[TarReader.BLOCK - rest]);
            written += TarReader.BLOCK - rest;
        }
    }

    /** Writes the two zero blocks that end an archive, and closes the stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.write(new byte[2 * TarReader.BLOCK]);
        out.close();
    }
}
