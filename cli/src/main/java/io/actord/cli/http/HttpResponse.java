package io.actord.cli.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A response whose body is still on the wire: read it with {@link #body()} (a live log arrives as it is
 * written) or all at once with {@link #readAll()}. Closing it closes the connection.
 *
 * @param headers header names in lower case; a repeated header keeps its last value
 */
public record HttpResponse(int status, Map<String, String> headers, InputStream body, Closeable connection)
        implements Closeable {
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The media type without parameters, lower case ("" if none). */
    public String mediaType() {
        return header("content-type").map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    /** Reads the rest of the body and closes the connection. */
    public byte[] readAll() throws IOException {
        try (this) {
            return body.readAllBytes();
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
