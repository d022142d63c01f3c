package io.actord.cli.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a {@code Transfer-Encoding: chunked} response (RFC 9112 §7.1): hex size lines, data, and a
 * last zero-size chunk with optional trailers, which are read and dropped. Each read returns what one
 * chunk holds, so a followed log reaches the terminal as soon as the daemon writes it.
 */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (done || (remaining == 0 && !nextChunk())) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("the connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            expectLine("");
        }
        return n;
    }

    /** Reads a size line; false at the last chunk (after its trailers). */
    private boolean nextChunk() throws IOException {
        String line = HttpLines.read(in);
        if (line == null) {
            throw new EOFException("the connection closed before the last chunk");
        }
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
        try {
            remaining = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size line '" + line + "'");
        }
        if (remaining < 0) {
            throw new IOException("bad chunk size line '" + line + "'");
        }
        if (remaining == 0) {
            String trailer;
            do {
                trailer = HttpLines.read(in);
            } while (trailer != null && !trailer.isEmpty());
            done = true;
            return false;
        }
        return true;
    }

    private void expectLine(String expected) throws IOException {
        String line = HttpLines.read(in);
        if (line == null || !line.equals(expected)) {
            throw new IOException("a chunk does not end with CRLF");
        }
    }
}
