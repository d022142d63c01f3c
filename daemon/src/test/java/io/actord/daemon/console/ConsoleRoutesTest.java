package io.actord.daemon.console;

import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's files as the daemon serves them over TCP (fake runtime). */
class ConsoleRoutesTest {
    @StartDaemon
    private TestDaemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ConsoleAssets assets = ConsoleAssets.load();

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(daemon.api().base() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void shouldServeTheIndexWithItsVersionAndAStrictPolicy() throws Exception {
        HttpResponse<byte[]> r = get("/");
        assertEquals(200, r.statusCode());
        String html = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("console/" + assets.version() + "/js/main.js"), html);
        assertFalse(html.contains(ConsoleAssets.VERSION_PLACEHOLDER));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(ConsoleRoutes.CSP, r.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    }

    /** #20 defect 7: a run's page in the path form shares this origin; it must not frame the console. */
    @Test
    void shouldForbidEveryPageToFrameTheConsole() throws Exception {
        HttpResponse<byte[]> index = get("/");
        HttpResponse<byte[]> script = get("/console/" + assets.version() + "/js/main.js");

        assertEquals("DENY", index.headers().firstValue("X-Frame-Options").orElseThrow());
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElseThrow()
                .contains("frame-ancestors 'none'"));
        assertEquals("DENY", script.headers().firstValue("X-Frame-Options").orElseThrow());
    }

    @Test
    void shouldServeVersionedFilesForeverAndRevalidateByEtag() throws Exception {
        String path = "/console/" + assets.version() + "/js/main.js";
        HttpResponse<byte[]> r = get(path);
        assertEquals(200, r.statusCode());
        assertArrayEquals(assets.get("js/main.js").orElseThrow().body(), r.body());
        assertTrue(r.headers().firstValue("Cache-Control").orElseThrow().contains("immutable"));
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get(path, "If-None-Match", "W/" + etag).statusCode());

        HttpResponse<byte[]> gz = get(path, "Accept-Encoding", "br, gzip");
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElseThrow());
        assertArrayEquals(r.body(), new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes());
        assertTrue(get(path, "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding").isEmpty());
    }

    @Test
    void shouldAnswer404ForAnotherVersionAMissingFileOrTheIndexUnderThePrefix() throws Exception {
        assertEquals(404, get("/console/000000000000/js/main.js").statusCode());
        assertEquals(404, get("/console/" + assets.version() + "/js/nothing.js").statusCode());
        assertEquals(404, get("/console/" + assets.version() + "/index.html").statusCode());
    }

    @Test
    void shouldParseAcceptEncodingAndIfNoneMatch() {
        assertTrue(ConsoleRoutes.acceptsGzip("gzip, deflate"));
        assertTrue(ConsoleRoutes.acceptsGzip("*"));
        assertTrue(ConsoleRoutes.acceptsGzip("GZIP; q=0.5"));
        assertFalse(ConsoleRoutes.acceptsGzip("gzip;q=0"));
        assertFalse(ConsoleRoutes.acceptsGzip("br"));
        assertFalse(ConsoleRoutes.acceptsGzip(null));
        assertTrue(ConsoleRoutes.matches("\"a\", W/\"b\"", "\"b\""));
        assertTrue(ConsoleRoutes.matches("*", "\"b\""));
        assertFalse(ConsoleRoutes.matches("\"a\"", "\"b\""));
        assertFalse(ConsoleRoutes.matches(null, "\"b\""));
    }
}
