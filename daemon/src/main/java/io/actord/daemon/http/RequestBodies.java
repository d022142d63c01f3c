package io.actord.daemon.http;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import org.brotli.dec.BrotliInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Undoes a request body's Content-Encoding: apify-client compresses every body of 1 KiB or more, Brotli
 * first (apify-api.md rule 3), and a 415 there would fail SDK calls for good. The decoded size is capped
 * like the raw one, so a small compressed body cannot expand without bound.
 */
public final class RequestBodies {
    private static final int BUFFER = 16 * 1024;

    private RequestBodies() {
    }

    /**
     * @param contentEncoding the header's value (comma-separated codings, applied in order), or null
     * @throws ApiException 415 for an unknown coding, 400 for a corrupt body, 413 when it decodes to more
     *                      than {@code limitBytes}
     */
    public static byte[] decode(String contentEncoding, byte[] body, long limitBytes) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return body;
        }
        List<String> codings = List.of(contentEncoding.toLowerCase(Locale.ROOT).split(","));
        byte[] out = body;
        for (int i = codings.size() - 1; i >= 0; i--) {
            out = decodeOne(codings.get(i).trim(), out, limitBytes);
        }
        return out;
    }

    private static byte[] decodeOne(String coding, byte[] body, long limitBytes) {
        return switch (coding) {
            case "", "identity" -> body;
            case "gzip", "x-gzip" -> read(coding, () -> new GZIPInputStream(new ByteArrayInputStream(body)), limitBytes);
            case "br" -> read(coding, () -> new BrotliInputStream(new ByteArrayInputStream(body)), limitBytes);
            case "deflate" -> inflate(body, limitBytes);
            default -> throw new ApiException(ErrorType.UNSUPPORTED_CONTENT_ENCODING, "Content-Encoding '" + coding
                    + "' is not supported; use br, gzip or deflate");
        };
    }

    /** HTTP's "deflate" is zlib-wrapped, but some clients send raw deflate: try zlib, then raw. */
    private static byte[] inflate(byte[] body, long limitBytes) {
        try {
            return read("deflate", () -> new InflaterInputStream(new ByteArrayInputStream(body)), limitBytes);
        } catch (ApiException e) {
            if (e.type() != ErrorType.INVALID_REQUEST) {
                throw e;
            }
            return read("deflate", () -> new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(true)),
                    limitBytes);
        }
    }

    private static byte[] read(String coding, StreamOpener opener, long limitBytes) {
        try (InputStream in = opener.open()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > limitBytes) {
                    throw new ApiException(ErrorType.REQUEST_TOO_LARGE, "the request body decodes to more than "
                            + limitBytes + " bytes");
                }
            }
            return out.toByteArray();
        } catch (ZipException e) {
            throw corrupt(coding, e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw corrupt(coding, e);
        }
    }

    private static ApiException corrupt(String coding, Exception e) {
        return new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid " + coding + ": "
                + e.getMessage());
    }

    @FunctionalInterface
    private interface StreamOpener {
        InputStream open() throws IOException;
    }
}
