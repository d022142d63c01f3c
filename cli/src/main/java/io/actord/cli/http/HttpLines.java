package io.actord.cli.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading CRLF- (or LF-) terminated header lines, in ISO-8859-1 as HTTP/1.1 prescribes. */
final class HttpLines {
    /** Longer header lines than this mean the peer is not an HTTP server. */
    static final int MAX_LINE = 64 * 1024;

    private HttpLines() {
    }

    /** The next line without its terminator, or null at end of stream before any byte. */
    static String read(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a header line is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new IOException("the connection closed inside a header line");
    }
}
