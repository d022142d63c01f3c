package io.actord.daemon.http;

import io.actord.daemon.testing.RawHttp;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens that are wrong, cut short, in the wrong place or absurdly large, by hand over TCP: each gets 401
 * (or 400 for what is not a request at all), never repeats the token, and the daemon keeps serving.
 */
class TokenBadInputTest {
    @StartDaemon
    TestDaemon daemon;
    InetSocketAddress tcp;
    String token;

    @BeforeEach
    void start() {
        tcp = daemon.daemon().tcpAddress().orElseThrow();
        token = daemon.token();
    }

    @AfterEach
    void stillServing() {
        daemon.api().get("/v2/actor-runs").expect(200);
    }

    @Test
    void shouldAskForATokenWhenThereIsNone() throws Exception {
        expect(get("/v2/actor-runs", ""), 401, "token-not-provided", null);
        expect(request("POST /v2/acts", "Content-Type: application/json\r\n", "{\"name\":\"x\"}"), 401,
                "token-not-provided", null);
        expect(request("DELETE /v2/acts/x", "", ""), 401, "token-not-provided", null);
        assertTrue(get("/healthz", "").startsWith("HTTP/1.1 200"), "health needs no token");
    }

    @Test
    void shouldRefuseForgedAndTruncatedTokensWithoutRepeatingThem() throws Exception {
        String forged = token.substring(0, token.length() - 4) + "ZZZZ";
        for (String bad : new String[]{forged, token.substring(0, 20), token.substring(0, token.length() - 1),
                token + "0", "apify_api_" + "A".repeat(43)}) {
            expect(get("/v2/actor-runs", "Authorization: Bearer " + bad + "\r\n"), 401, "invalid-token", bad);
            expect(get("/v2/actor-runs?token=" + bad, ""), 401, "invalid-token", bad);
        }
        expect(get("/v2/actor-runs", "Authorization: Bearer \r\n"), 401, "invalid-token", null);
        expect(get("/v2/actor-runs", "Authorization: Bearer apify_api_%00\r\n"), 401, "invalid-token", null);
        expect(get("/v2/actor-runs?token=%E2%98%83", ""), 401, "invalid-token", null);
    }

    @Test
    void shouldNotTakeATokenFromTheWrongPlace() throws Exception {
        expect(get("/v2/actor-runs", "Authorization: Basic " + token + "\r\n"), 401, "invalid-token", token);
        expect(get("/v2/actor-runs", "Authorization: " + token + "\r\n"), 401, "invalid-token", token);
        expect(get("/v2/actor-runs", "Cookie: token=" + token + "\r\n"), 401, "token-not-provided", token);
        expect(get("/v2/actor-runs", "X-Apify-Token: " + token + "\r\n"), 401, "token-not-provided", token);
        expect(get("/v2/actor-runs?apiToken=" + token, ""), 401, "token-not-provided", token);
        expect(request("POST /v2/acts", "Content-Type: application/json\r\n", "{\"name\":\"x\",\"token\":\"" + token
                + "\"}"), 401, "token-not-provided", token);
        expect(get("/v2/actor-runs", "Authorization: Bearer " + token + "\r\nAuthorization: Bearer " + token + "\r\n"),
                400, "invalid-request", token);
        expect(get("/v2/actor-runs?token=" + token + "&token=" + token, ""), 400, "invalid-request", token);
        assertTrue(get("/v2/actor-runs?token=" + token, "").startsWith("HTTP/1.1 200"), "the query parameter works");
    }

    @Test
    void shouldRefuseHugeHeadersAndTokens() throws Exception {
        String huge = "A".repeat(64 * 1024);
        String header = get("/v2/actor-runs", "Authorization: Bearer " + huge + "\r\n");
        assertTrue(header.startsWith("HTTP/1.1 400") || header.startsWith("HTTP/1.1 431"), head(header));
        assertFalse(header.contains(huge.substring(0, 100)), "the header is not echoed");
        String line = get("/v2/actor-runs?token=" + huge, "");
        assertTrue(line.startsWith("HTTP/1.1 400") || line.startsWith("HTTP/1.1 414"), head(line));
        assertFalse(line.contains(huge.substring(0, 100)));
        expect(get("/v2/actor-runs", "Authorization: Bearer " + "B".repeat(4000) + "\r\n"), 401, "invalid-token",
                "B".repeat(100));
    }

    private String get(String target, String headers) throws Exception {
        return request("GET " + target, headers, "");
    }

    private String request(String line, String headers, String body) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return RawHttp.tcp(tcp, line + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers
                + (b.length > 0 ? "Content-Length: " + b.length + "\r\n" : "") + "\r\n", b);
    }

    private static void expect(String response, int status, String type, String secret) {
        assertTrue(response.startsWith("HTTP/1.1 " + status), head(response));
        assertTrue(response.contains("\"type\":\"" + type + "\""), head(response));
        if (secret != null) {
            assertFalse(response.contains(secret), "the answer repeats the token: " + head(response));
        }
    }

    private static String head(String response) {
        return response.length() > 500 ? response.substring(0, 500) : response;
    }
}
