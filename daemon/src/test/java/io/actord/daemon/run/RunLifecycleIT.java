package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every status path with real containers (the runtime's payload rootfs): success, failure, OOM, timeout,
 * immediate and graceful abort (cooperative and not), resurrection, reboot, the CPU stats of a busy run, and the
 * sample actor's INPUT/OUTPUT.
 */
@Tag("privileged")
class RunLifecycleIT {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED");

    /** Short, so the "killed after the grace period" paths do not take Apify's 30 s each. */
    private static final int GRACE_SECS = 3;
    private static final Duration GRACE = Duration.ofSeconds(GRACE_SECS);

    @StartDaemon.Runtime
    private static ItRuntime.Choice runtime;
    @StartDaemon(realRuntime = true, graceSeconds = GRACE_SECS)
    private static TestDaemon daemon;
    private static TestDaemon.Api api;

    @BeforeAll
    static void start() {
        api = daemon.api();
    }

    @Test
    void shouldSucceedWithTheSampleActorReadingInputAndWritingOutput() throws Exception {
        String hello = runtime.helloActor(daemon, "hello");
        JsonNode run = api.post("/v2/acts/" + hello + "/runs?waitForFinish=60", "{\"name\":\"kernel\"}").expect(201)
                .data();
        assertEquals("SUCCEEDED", run.get("status").asText(), run.toString());
        assertTrue(api.get("/v2/logs/" + run.get("id").asText()).text().contains(" Hello, kernel!\n"));
        assertEquals("{\"greeting\":\"Hello, kernel!\"}\n", api.get("/v2/key-value-stores/"
                + run.get("defaultKeyValueStoreId").asText() + "/records/OUTPUT").expect(200).text());
        assertTrue(run.get("stats").get("memMaxBytes").asLong() > 0, run.toString());
    }

    /** The in-run API listener is up before the workload's first instruction, not some milliseconds later. */
    @Test
    void shouldServeTheInRunApiToTheWorkloadsFirstCall() throws Exception {
        JsonNode run = start("early", "", "/bin/sh", "-c",
                "exec wget -q -O - \"$APIFY_API_BASE_URL/v2/actor-runs/$ACTOR_RUN_ID?token=$APIFY_TOKEN\"");
        assertEquals("SUCCEEDED", run.get("status").asText(), api.get("/v2/logs/" + run.get("id").asText()).text());
        assertTrue(api.get("/v2/logs/" + run.get("id").asText()).text().contains(run.get("id").asText()));
    }

    @Test
    void shouldFailWithTheExitCode() throws Exception {
        JsonNode run = start("fails", "", "exit", "3");
        assertEquals("FAILED", run.get("status").asText());
        assertEquals(3, run.get("exitCode").asInt());
    }

    @Test
    void shouldFailWithAnOutOfMemoryMessage() throws Exception {
        JsonNode run = start("hog", "memory=128", "memhog", "512");
        assertEquals("FAILED", run.get("status").asText(), run.toString());
        assertTrue(run.get("statusMessage").asText().contains("out of memory"), run.toString());
    }

    @Test
    void shouldTimeOut() throws Exception {
        JsonNode run = start("slow", "timeout=2", "sleep", "300");
        assertEquals("TIMED-OUT", run.get("status").asText(), run.toString());
        assertTrue(run.get("stats").get("durationMillis").asLong() < 2000 + GRACE.toMillis() + 5000, run.toString());
    }

    @Test
    void shouldAbortImmediately() throws Exception {
        String id = startAsync("sleeper", "sleep", "300");
        JsonNode run = api.post("/v2/actor-runs/" + id + "/abort").expect(200).data();
        assertEquals("ABORTED", run.get("status").asText());
        assertTrue(exitCodeOf(id) >= 128, "killed by a signal");
    }

    @Test
    void shouldAbortGracefullyWhenTheActorExitsOnSigterm() throws Exception {
        String id = startAsync("polite", "trap-term");
        awaitLog(id, "ready");
        assertEquals("ABORTING", api.post("/v2/actor-runs/" + id + "/abort?gracefully=1").expect(200).data()
                .get("status").asText());
        JsonNode done = waitForFinish(id);
        assertEquals("ABORTED", done.get("status").asText());
        assertEquals(0, done.get("exitCode").asInt(), "the status comes from the request, not the exit code");
        assertTrue(api.get("/v2/logs/" + id).text().contains("got SIGTERM"));
    }

    @Test
    void shouldKillAGracefullyAbortedActorThatIgnoresSigterm() throws Exception {
        String id = startAsync("stubborn", "/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done");
        awaitLog(id, "ready");
        long t0 = System.nanoTime();
        api.post("/v2/actor-runs/" + id + "/abort?gracefully=true").expect(200);
        JsonNode done = waitForFinish(id);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("ABORTED", done.get("status").asText());
        assertTrue(ms >= GRACE.toMillis() - 200, "killed after " + ms + " ms, before the grace period ended");
    }

    @Test
    void shouldResurrectOnTheSameStoragesWithANewTimeout() throws Exception {
        JsonNode first = start("phoenix", "", "sleep", "1");
        assertEquals("SUCCEEDED", first.get("status").asText());
        String id = first.get("id").asText();
        // Generous: under emulation starting a container and "sleep 1" together can take more than 2 s.
        JsonNode again = api.post("/v2/actor-runs/" + id + "/resurrect?timeout=30").expect(200).data();
        assertEquals("RUNNING", again.get("status").asText());
        assertEquals(30, again.get("options").get("timeoutSecs").asInt());
        assertEquals(first.get("defaultKeyValueStoreId"), again.get("defaultKeyValueStoreId"));
        assertEquals(first.get("defaultDatasetId"), again.get("defaultDatasetId"));
        assertEquals("run-state-conflict", api.post("/v2/actor-runs/" + id + "/resurrect").expect(400).errorType());
        JsonNode done = waitForFinish(id);
        assertEquals("SUCCEEDED", done.get("status").asText(), done.toString());
        assertEquals(1, done.get("stats").get("resurrectCount").asInt());
    }

    /**
     * The CPU fields of a run's stats come from its cgroup: a run that burns CPU shows a current, a highest
     * and an average use above 0 while it runs, and keeps the highest and the average once it has ended.
     */
    @Test
    void shouldReportTheCpuUseOfABusyRun() throws Exception {
        String id = startAsync("busy", "cpuburn", "600");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode stats = api.get("/v2/actor-runs/" + id).data().get("stats");
        while (stats.get("cpuCurrentUsage").asDouble() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            stats = api.get("/v2/actor-runs/" + id).data().get("stats");
        }
        System.out.println("RunLifecycleIT: a busy run's stats while it runs: " + stats);
        assertTrue(stats.get("cpuCurrentUsage").asDouble() > 0, stats.toString());
        assertTrue(stats.get("cpuMaxUsage").asDouble() > 0, stats.toString());
        assertTrue(stats.get("cpuAvgUsage").asDouble() > 0, stats.toString());
        assertEquals("ABORTED", api.post("/v2/actor-runs/" + id + "/abort").expect(200).data().get("status").asText());
        JsonNode ended = waitForFinish(id).get("stats");
        assertTrue(ended.get("cpuMaxUsage").asDouble() > 0, ended.toString());
        assertTrue(ended.get("cpuAvgUsage").asDouble() > 0, ended.toString());
        assertEquals(0, ended.get("cpuCurrentUsage").asDouble(), ended.toString());
    }

    @Test
    void shouldRebootARunningRunIntoAFreshContainer() throws Exception {
        String id = startAsync("rebooter", "/bin/sh", "-c", "echo booted in $(hostname); exec sleep 60");

        JsonNode rebooted = api.post("/v2/actor-runs/" + id + "/reboot").expect(200).data();
        assertEquals("RUNNING", rebooted.get("status").asText(), rebooted.toString());
        assertEquals(1, rebooted.get("stats").get("rebootCount").asInt());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String log = api.get("/v2/logs/" + id).text();
        while (log.split("booted in ", -1).length < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            log = api.get("/v2/logs/" + id).text();
        }
        assertEquals(3, log.split("booted in ", -1).length, "two boots: " + log);
        assertEquals("ABORTED", api.post("/v2/actor-runs/" + id + "/abort").expect(200).data().get("status").asText());
    }

    private JsonNode start(String name, String query, String... cmd) throws Exception {
        String actor = runtime.actor(daemon, name, cmd);
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=60" + (query.isEmpty() ? "" : "&" + query),
                "").expect(201).data();
        return waitForFinish(run.get("id").asText());
    }

    private String startAsync(String name, String... cmd) throws Exception {
        String actor = runtime.actor(daemon, name, cmd);
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!api.get("/v2/actor-runs/" + id).data().get("status").asText().equals("RUNNING")) {
            assertTrue(System.nanoTime() < deadline, "run " + id + " never started");
            Thread.sleep(20);
        }
        return id;
    }

    /**
     * Waits until the run's log has a line {@code line}: the workload printed it once it was ready (its
     * SIGTERM trap installed), however slowly a 1/32-core run gets there.
     */
    private void awaitLog(String id, String line) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String log = api.get("/v2/logs/" + id).text();
        while (log.lines().noneMatch(l -> l.endsWith(line)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            log = api.get("/v2/logs/" + id).text();
        }
        assertTrue(log.lines().anyMatch(l -> l.endsWith(line)), "run " + id + " never printed \"" + line + "\": " + log);
    }

    /** The exit code, which an immediate abort records only once the killed container has been reaped. */
    private int exitCodeOf(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode code = api.get("/v2/actor-runs/" + id).data().get("exitCode");
            if (!code.isNull()) {
                return code.asInt();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + id + " never got an exit code");
    }

    /**
     * The run once it is terminal, asking with waitForFinish=60 as clients do, for up to five minutes: under
     * emulation (the cgroup-v2 guest) a 128 MB run's 1/32 of a core makes even a memory hog slow.
     */
    private JsonNode waitForFinish(String id) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonNode run = api.get("/v2/actor-runs/" + id + "?waitForFinish=60").expect(200).data();
        while (!TERMINAL.contains(run.get("status").asText()) && System.nanoTime() < deadline) {
            run = api.get("/v2/actor-runs/" + id + "?waitForFinish=60").expect(200).data();
        }
        return run;
    }
}
