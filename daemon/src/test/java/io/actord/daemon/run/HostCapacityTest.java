package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host's capacity: runs that do not fit wait READY, first come first served, or are refused; never oversubscribed. */
class HostCapacityTest {
    @TempDir
    Path dir;

    @Test
    void shouldNeverRunMoreThanFitsAndFinishEveryQueuedRun() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        try (TestDaemon daemon = TestDaemon.start(dir, runtime, Duration.ofSeconds(1),
                List.of("--host-memory-mb", "1024"))) {
            String actor = daemon.actor("short", "sleep", "1");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                JsonNode run = daemon.api().post("/v2/acts/" + actor + "/runs?memory=512", "").expect(201).data();
                ids.add(run.get("id").asText());
            }
            assertEquals("READY", daemon.api().get("/v2/actor-runs/" + ids.get(9)).data().get("status").asText(),
                    "the last one waits");
            for (String id : ids) {
                JsonNode done = daemon.api().get("/v2/actor-runs/" + id + "?waitForFinish=30").expect(200).data();
                assertEquals("SUCCEEDED", done.get("status").asText(), done.toString());
            }
            System.out.println("HostCapacityTest: at most " + runtime.peakOpen() + " of 10 runs of 512 MB had a"
                    + " container at once on 1024 MB");
            assertEquals(2, runtime.peakOpen(), "two 512 MB runs fit in 1024 MB, and no more");
            assertEquals(10, runtime.created().size());
            String log = daemon.api().get("/v2/logs/" + ids.get(9)).text();
            assertTrue(log.contains("Waiting for 512 MB of the host's memory"), log);
        }
    }

    @Test
    void shouldStartTheNextRunWhenOneIsAbortedAndRefuseWhatCanNeverFit() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        try (TestDaemon daemon = TestDaemon.start(dir, runtime, Duration.ofSeconds(1),
                List.of("--host-memory-mb", "1024"))) {
            String actor = daemon.actor("long", "sleep", "30");
            String first = daemon.api().post("/v2/acts/" + actor + "/runs?memory=1024", "").expect(201).data()
                    .get("id").asText();
            String queued = daemon.api().post("/v2/acts/" + actor + "/runs?memory=512", "").expect(201).data()
                    .get("id").asText();
            String aborted = daemon.api().post("/v2/acts/" + actor + "/runs?memory=512", "").expect(201).data()
                    .get("id").asText();
            assertEquals("ABORTED", daemon.api().post("/v2/actor-runs/" + aborted + "/abort").expect(200).data()
                    .get("status").asText(), "a waiting run can be aborted");
            assertEquals("READY", daemon.api().get("/v2/actor-runs/" + queued).data().get("status").asText());
            daemon.api().post("/v2/actor-runs/" + first + "/abort").expect(200);
            for (int i = 0; i < 200 && !daemon.api().get("/v2/actor-runs/" + queued).data().get("status").asText()
                    .equals("RUNNING"); i++) {
                Thread.sleep(20);
            }
            assertEquals("RUNNING", daemon.api().get("/v2/actor-runs/" + queued).data().get("status").asText());
            assertEquals(2, runtime.created().size(), "the aborted run never got a container");
            assertEquals("invalid-value", daemon.api().post("/v2/acts/" + actor + "/runs?memory=2048", "")
                    .expect(400).errorType());
        }
    }

    @Test
    void shouldRefuseWhatDoesNotFitWhenSetToRefuse() throws Exception {
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1),
                List.of("--host-memory-mb", "1024", "--when-host-full", "refuse"))) {
            String actor = daemon.actor("long", "sleep", "30");
            daemon.api().post("/v2/acts/" + actor + "/runs?memory=512", "").expect(201);
            daemon.api().post("/v2/acts/" + actor + "/runs?memory=512", "").expect(201);
            TestDaemon.Response refused = daemon.api().post("/v2/acts/" + actor + "/runs?memory=512", "");
            assertEquals("host-capacity-exceeded", refused.expect(503).errorType());
            assertEquals(2, daemon.api().get("/v2/actor-runs").data().get("total").asInt());
        }
    }
}
