package io.actord.daemon.http;

import io.actord.daemon.testing.Brotli;
import io.actord.daemon.testing.RawHttp;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests on real sockets: each gets the right status and Apify error type, and the daemon keeps
 * serving after every one of them.
 */
class BadInputIT {
    private static final int FIFTY_MB = 50 * 1024 * 1024;

    @StartDaemon
    private TestDaemon daemon;
    private TestDaemon.Api api;
    private InetSocketAddress tcp;

    @BeforeEach
    void start() {
        api = daemon.api();
        tcp = daemon.daemon().tcpAddress().orElseThrow();
    }

    @AfterEach
    void stillServing() {
        api.get("/healthz").expect(200);
    }

    @Test
    void shouldRefuseMalformedJson() {
        assertEquals("invalid-request", api.post("/v2/acts", "{\"name\": ").expect(400).errorType());
        assertEquals("invalid-input", api.post("/v2/acts", "{\"name\": [1, 2]}").expect(400).errorType());
        assertEquals("invalid-input", api.post("/v2/acts", "null").expect(400).errorType());
        assertEquals("invalid-input", api.post("/v2/acts", "").expect(400).errorType());
    }

    @Test
    void shouldAnswerUnknownActorsBuildsAndRunsWithRecordNotFound() throws Exception {
        String actor = daemon.actor("real", "exit", "0");
        assertEquals("record-not-found", api.get("/v2/acts/nope").expect(404).errorType());
        assertEquals("record-not-found", api.get("/v2/actors/someone~nope").expect(404).errorType());
        assertEquals("record-not-found", api.post("/v2/actors/nope/runs", "{}").expect(404).errorType());
        assertEquals("unknown-build-tag", api.post("/v2/acts/" + actor + "/runs?build=0.0.42", "{}").expect(403).errorType());
        assertEquals("record-not-found", api.get("/v2/actor-runs/nope").expect(404).errorType());
        assertEquals("record-not-found", api.get("/v2/actor-runs/nope/log").expect(404).errorType());
        assertEquals("record-not-found", api.post("/v2/actor-runs/nope/resurrect").expect(404).errorType());
        assertEquals("record-not-found", api.get("/v2/actor-builds/nope").expect(404).errorType());
        assertEquals("record-not-found", api.get("/v2/acts/" + actor + "/runs/last").expect(404).errorType());
    }

    @Test
    void shouldRefuseInvalidMemoryTimeoutAndPagingValues() throws Exception {
        String actor = daemon.actor("limits", "exit", "0");
        for (String q : new String[]{"memory=0", "memory=100", "memory=3000", "memory=65536", "memory=abc",
                "timeout=-5", "timeout=1.5", "waitForFinish=x"}) {
            assertEquals("invalid-value", api.post("/v2/acts/" + actor + "/runs?" + q, "{}").expect(400).errorType(), q);
        }
        assertEquals("invalid-value", api.get("/v2/actor-runs?limit=-1").expect(400).errorType());
        assertEquals("invalid-value", api.get("/v2/actor-runs?status=DONE").expect(400).errorType());
        assertEquals("invalid-value", api.get("/v2/actor-runs?desc=maybe").expect(400).errorType());
    }

    @Test
    void shouldRefuseA50MegabyteBodyAndKeepServing() throws Exception {
        byte[] big = new byte[FIFTY_MB];
        String keepAlive = RawHttp.tcp(tcp, "POST /v2/acts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + big.length + "\r\n\r\n", big);
        assertTrue(keepAlive.startsWith("HTTP/1.1 413"), keepAlive);
        assertTrue(keepAlive.contains("\"type\":\"request-too-large\""), keepAlive);

        String expect = RawHttp.headOnly(tcp, "POST /v2/acts HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                + "Content-Length: " + big.length + "\r\n\r\n");
        assertTrue(expect.startsWith("HTTP/1.1 413"), expect);
        assertTrue(expect.contains("\"type\":\"request-too-large\""), expect);

        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        byte[] mb = new byte[1 << 20];
        for (int i = 0; i < 50; i++) {
            chunked.writeBytes((Integer.toHexString(mb.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.writeBytes(mb);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String viaChunks = RawHttp.tcp(tcp, "POST /v2/acts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                chunked.toByteArray());
        assertTrue(viaChunks.startsWith("HTTP/1.1 413"), viaChunks);
        assertTrue(viaChunks.contains("\"type\":\"request-too-large\""), viaChunks);
    }

    @Test
    void shouldRefuseAGzipBombThatExpandsPastTheLimit() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new byte[FIFTY_MB]);
        }
        String res = RawHttp.tcp(tcp, "POST /v2/acts HTTP/1.1\r\nHost: x\r\n" + auth() + "Content-Encoding: gzip\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " + gz.size() + "\r\n\r\n",
                gz.toByteArray());
        assertTrue(res.startsWith("HTTP/1.1 413"), res);
        assertTrue(res.contains("\"type\":\"request-too-large\""), res);
    }

    @Test
    void shouldAcceptCompressedBodiesAndRefuseUnknownEncodings() throws Exception {
        byte[] br = Brotli.compressUncompressed("{\"name\":\"from-brotli\"}".getBytes(StandardCharsets.UTF_8));
        String res = RawHttp.tcp(tcp, "POST /v2/acts HTTP/1.1\r\nHost: x\r\n" + auth() + "Content-Encoding: br\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " + br.length + "\r\n\r\n", br);
        assertTrue(res.startsWith("HTTP/1.1 201"), res);
        String zstd = RawHttp.tcp(tcp, "POST /v2/acts HTTP/1.1\r\nHost: x\r\n" + auth() + "Content-Encoding: zstd\r\n"
                + "Connection: close\r\nContent-Length: 2\r\n\r\n", "{}".getBytes(StandardCharsets.US_ASCII));
        assertTrue(zstd.startsWith("HTTP/1.1 415"), zstd);
        assertTrue(zstd.contains("\"type\":\"unsupported-content-encoding\""), zstd);
    }

    @Test
    void shouldAnswerUnknownRoutesAndMethods() {
        assertEquals("page-not-found", api.get("/v2/nothing-here").expect(404).errorType());
        assertEquals("page-not-found", api.get("/nothing-here").expect(404).errorType());
        assertEquals("page-not-found", api.get("/v2/actor-runs/a/b/c/d").expect(404).errorType());
        assertEquals("method-not-allowed", api.send(java.net.http.HttpRequest.newBuilder(api.base()
                .resolve("/v2/actor-runs")).DELETE()).expect(405).errorType());
    }

    /** The Authorization header line of the local account's token, for requests made by hand. */
    private String auth() {
        return "Authorization: Bearer " + daemon.token() + "\r\n";
    }

    @Test
    void shouldAnswerGarbageWithInvalidRequest() throws Exception {
        String res = RawHttp.tcp(tcp, "THIS IS NOT HTTP\r\n\r\n", new byte[0]);
        assertTrue(res.startsWith("HTTP/1.1 400"), res);
        assertTrue(res.contains("\"type\":\"invalid-request\""), res);
        String badLength = RawHttp.tcp(tcp, "POST /v2/acts HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n",
                new byte[0]);
        assertTrue(badLength.startsWith("HTTP/1.1 400"), badLength);
    }
}
