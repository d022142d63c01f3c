package io.actord.daemon.standby;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Actor Standby with real containers: the payload's {@code serve-http 4321} is the actor's server (4321 is
 * ACTOR_STANDBY_PORT), {@code /sleep/MS} holds an answer and says which run gave it and how many such requests
 * that run had in flight. Requests go to the actor's standby URL on the daemon's listener with the local
 * account's token.
 */
@Tag("privileged")
class StandbyIT {
    private static final String DOMAIN = "standby.test";
    private static final int WAIT_SECS = 8;
    private static final Pattern SLEEP_ANSWER = Pattern.compile("run (\\S+) in flight (\\d+)\\n");

    @StartDaemon.Runtime
    private static ItRuntime.Choice runtime;
    @StartDaemon(realRuntime = true, graceSeconds = 3, flags = {"--containers-domain", DOMAIN,
            "--standby-wait-secs", "" + WAIT_SECS})
    private static TestDaemon daemon;
    private static InetSocketAddress listener;

    @BeforeAll
    static void start() {
        listener = daemon.daemon().tcpAddress().orElseThrow();
    }

    /** A standby actor running {@code cmd} of the payload; returns its standby URL's Host header. */
    private static String standbyActor(String name, int desired, int max, int idleSecs, String... cmd)
            throws IOException {
        String id = runtime.actor(daemon, name, cmd);
        JsonNode actor = daemon.api().put("/v2/acts/" + id, "{\"actorStandby\":{\"isEnabled\":true,"
                + "\"desiredRequestsPerActorRun\":" + desired + ",\"maxRequestsPerActorRun\":" + max
                + ",\"idleTimeoutSecs\":" + idleSecs + ",\"memoryMbytes\":128}}").expect(200).data();
        URI url = URI.create(actor.get("standbyUrl").asText());
        assertTrue(url.getHost().endsWith("." + DOMAIN), url.toString());
        return url.getHost() + ":" + listener.getPort();
    }

    private static String actorId(String host) {
        return host.substring(0, host.indexOf('.')).replace("--", "~");
    }

    private static HttpConnection.Response get(HttpConnection c, String host, String target) throws IOException {
        return c.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + daemon.token()
                + "\r\n\r\n").read();
    }

    private static List<JsonNode> runs(String host) {
        List<JsonNode> runs = new ArrayList<>();
        daemon.api().get("/v2/acts/" + actorId(host) + "/runs?limit=100").expect(200).data().get("items")
                .forEach(runs::add);
        return runs;
    }

    @Test
    void shouldStartARunOnTheFirstRequestAndAnswerOnceItsServerIsReady() throws Exception {
        String host = standbyActor("first", 3, 4, 300, "serve-http", "4321");
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            long t0 = System.nanoTime();
            HttpConnection.Response first = get(c, host, "/hello?token=" + daemon.token() + "&x=1");
            long coldMillis = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            HttpConnection.Response second = get(c, host, "/");
            long warmMicros = (System.nanoTime() - t1) / 1_000;

            System.out.println("StandbyIT: cold start (first request to answer) " + coldMillis + " ms; a warm request "
                    + warmMicros + " µs");
            assertEquals(200, first.status(), first.text());
            assertEquals("hello from payload\n", first.text());
            assertEquals(200, second.status());
            List<JsonNode> runs = runs(host);
            assertEquals(1, runs.size(), runs.toString());
            JsonNode run = daemon.api().get("/v2/actor-runs/" + runs.get(0).get("id").asText()).expect(200).data();
            assertEquals("STANDBY", run.get("meta").get("origin").asText());
            assertEquals("RUNNING", run.get("status").asText());
        }
    }

    @Test
    void shouldRefuseRequestsWithoutAValidTokenAndUnknownActors() throws Exception {
        String host = standbyActor("guarded", 3, 4, 300, "serve-http", "4321");
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response none = c.get(host, "/");
            HttpConnection.Response bad = c.send("GET / HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
                    + "nosuchtoken\r\n\r\n").read();
            HttpConnection.Response unknown = get(c, "local--nosuchactor." + DOMAIN + ":" + listener.getPort(), "/");
            assertEquals(401, none.status(), none.text());
            assertTrue(none.text().contains("API token"), none.text());
            assertEquals(401, bad.status(), bad.text());
            assertEquals(404, unknown.status(), unknown.text());
            assertEquals(0, runs(host).size(), "no run starts for a refused request");
        }
    }

    @Test
    void shouldStartAboutOneRunPerDesiredRequestsAndNeverExceedMaxThenStopThemWhenIdle() throws Exception {
        int desired = 10;
        int max = 20;
        String host = standbyActor("busy", desired, max, 3, "serve-http", "4321");
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Future<HttpConnection.Response>> answers = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < 50; i++) {
                answers.add(clients.submit(() -> {
                    try (HttpConnection c = HttpConnection.tcp(listener)) {
                        return get(c, host, "/sleep/1500");
                    }
                }));
            }
            Map<String, Integer> peakByRun = new HashMap<>();
            for (Future<HttpConnection.Response> f : answers) {
                HttpConnection.Response r = f.get();
                assertEquals(200, r.status(), r.text());
                Matcher m = SLEEP_ANSWER.matcher(r.text());
                assertTrue(m.matches(), r.text());
                peakByRun.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            List<JsonNode> runs = runs(host);
            System.out.println("StandbyIT: 50 concurrent requests of 1.5 s, desired " + desired + " max " + max + ": "
                    + runs.size() + " runs started, peak in flight per run " + peakByRun + ", all answered in "
                    + millis + " ms");
            assertTrue(runs.size() >= 4 && runs.size() <= 7, runs.size() + " runs");
            peakByRun.forEach((run, peak) -> assertTrue(peak <= max, run + " had " + peak + " in flight"));

            long idleFrom = System.nanoTime();
            for (JsonNode run : runs) {
                JsonNode end = daemon.api().get("/v2/actor-runs/" + run.get("id").asText() + "?waitForFinish=30")
                        .expect(200).data();
                assertEquals("SUCCEEDED", end.get("status").asText(), end.toString());
            }
            System.out.println("StandbyIT: idle timeout 3 s; the last run ended SUCCEEDED "
                    + (System.nanoTime() - idleFrom) / 1_000_000 + " ms after the last answer");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void shouldAnswer504WithinTheWaitLimitWhenTheServerNeverListensAndAbortTheRun() throws Exception {
        String host = standbyActor("deaf", 3, 4, 300, "sleep", "300");
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            long t0 = System.nanoTime();
            HttpConnection.Response r = get(c, host, "/");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            System.out.println("StandbyIT: a server that never listens: " + r.status() + " after " + took.toMillis()
                    + " ms: " + r.text().strip());
            assertEquals(504, r.status(), r.text());
            assertTrue(r.text().contains("did not become ready"), r.text());
            assertTrue(took.toSeconds() < WAIT_SECS + 5, "answered after " + took);
            List<JsonNode> runs = runs(host);
            assertEquals(1, runs.size());
            JsonNode end = daemon.api().get("/v2/actor-runs/" + runs.get(0).get("id").asText() + "?waitForFinish=20")
                    .expect(200).data();
            assertEquals("ABORTED", end.get("status").asText(), "the broken run is not kept");
        }
    }
}
