package io.actord.daemon.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The next {@code size} bytes of a stream (one archive member): -1 after them, and the given error if the
 * stream ends before them. Closing it closes the underlying stream only when asked to.
 */
final class BoundedInputStream extends FilterInputStream {
    private final LongConsumer consumed;
    private final Supplier<ImageException> truncated;
    private final boolean closeUnderlying;
    private long left;

    /** {@code consumed} hears of every byte read through this stream. */
    BoundedInputStream(InputStream in, long size, LongConsumer consumed, Supplier<ImageException> truncated,
                       boolean closeUnderlying) {
        super(in);
        this.left = size;
        this.consumed = consumed;
        this.truncated = truncated;
        this.closeUnderlying = closeUnderlying;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw truncated.get();
        }
        left -= n;
        consumed.accept(n);
        return n;
    }

    /** Reads what it skips, so that {@code consumed} (and any digest below) sees every byte. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(super.available(), left);
    }

    @Override
    public void close() throws IOException {
        if (closeUnderlying) {
            in.close();
        }
    }
}
