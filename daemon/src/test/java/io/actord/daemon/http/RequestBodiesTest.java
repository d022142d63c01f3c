package io.actord.daemon.http;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.testing.Brotli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestBodiesTest {
    private static final byte[] TEXT = "{\"hello\":\"world\"}".repeat(100).getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldPassIdentityThrough() {
        assertArrayEquals(TEXT, RequestBodies.decode(null, TEXT, 1 << 20));
        assertArrayEquals(TEXT, RequestBodies.decode("identity", TEXT, 1 << 20));
    }

    @Test
    void shouldDecodeGzip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(TEXT);
        }
        assertArrayEquals(TEXT, RequestBodies.decode("gzip", out.toByteArray(), 1 << 20));
    }

    @Test
    void shouldDecodeZlibAndRawDeflate() throws IOException {
        assertArrayEquals(TEXT, RequestBodies.decode("deflate", deflate(false), 1 << 20));
        assertArrayEquals(TEXT, RequestBodies.decode("deflate", deflate(true), 1 << 20));
    }

    @Test
    void shouldDecodeBrotli() {
        assertArrayEquals(TEXT, RequestBodies.decode("br", Brotli.compressUncompressed(TEXT), 1 << 20));
    }

    @Test
    void shouldRefuseAnUnknownEncodingWith415() {
        ApiException e = assertThrows(ApiException.class, () -> RequestBodies.decode("zstd", TEXT, 1 << 20));
        assertEquals(ErrorType.UNSUPPORTED_CONTENT_ENCODING, e.type());
    }

    @Test
    void shouldRefuseACorruptBodyWith400() {
        ApiException e = assertThrows(ApiException.class, () -> RequestBodies.decode("gzip", TEXT, 1 << 20));
        assertEquals(ErrorType.INVALID_REQUEST, e.type());
    }

    @Test
    void shouldRefuseABodyThatDecodesPastTheLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(new byte[10 << 20]);
        }
        ApiException e = assertThrows(ApiException.class, () -> RequestBodies.decode("gzip", out.toByteArray(), 1 << 20));
        assertEquals(ErrorType.REQUEST_TOO_LARGE, e.type());
    }

    private static byte[] deflate(boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(TEXT);
        }
        return out.toByteArray();
    }
}
