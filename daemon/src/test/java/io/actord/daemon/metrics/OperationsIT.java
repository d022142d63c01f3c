package io.actord.daemon.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.DaemonProcess;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon as an operator runs it (its own process, real containers) with {@code --log-format json}: every line it
 * writes is one JSON object, its run lines carry the run's id as {@code runId}, and {@code /metrics} and
 * {@code /readyz} answer for real containers.
 */
@Tag("privileged")
class OperationsIT {
    @TempDir
    Path dir;

    private String subtree;

    @BeforeEach
    void check() {
        subtree = DaemonProcess.subtreeOrSkip("OperationsIT");
    }

    @AfterEach
    void releaseCgroups() {
        if (subtree != null) {
            ItRuntime.releaseSubtree(subtree);
        }
    }

    @Test
    void shouldLogJsonLinesAndCountRealRuns() throws Exception {
        String runId;
        DaemonProcess d = DaemonProcess.start(dir, DaemonProcess.freePort(), "--cgroup-subtree", subtree,
                "--log-format", "json");
        try {
            String actor = d.api().post("/v2/acts", "{\"name\":\"brief\"}").expect(201).data().get("id").asText();
            TestDaemon.unixPost(dir.resolve("api.sock"), "/v2/acts/" + actor + "/builds", Json.MAPPER.writeValueAsString(
                    Map.of("rootfs", ItRuntime.payloadRootfs().toString(), "cmd", ItRuntime.payloadCommand("exit", "0"))))
                    .expect(201);
            runId = d.api().post("/v2/acts/" + actor + "/runs?waitForFinish=60", "").expect(201).data().get("id")
                    .asText();
            assertEquals("SUCCEEDED", d.api().get("/v2/actor-runs/" + runId + "?waitForFinish=60").expect(200).data()
                    .get("status").asText(), d.log());

            assertEquals("ready", d.api().get("/readyz").expect(200).data().get("status").asText());
            PrometheusText metrics = PrometheusText.parse(d.api().get("/metrics").expect(200).text());
            assertEquals(1, metrics.sum("actord_run_starts_total", Map.of("actor", "local/brief")));
            assertEquals(1, metrics.sum("actord_run_ends_total", Map.of("actor", "local/brief", "status",
                    "SUCCEEDED")));
            assertEquals(1, metrics.sum("actord_run_start_latency_seconds_count"));
            assertEquals(1, metrics.sum("actord_run_queue_wait_seconds_count"));
            assertTrue(metrics.sum("actord_state_sst_files_bytes") + metrics.sum("actord_state_memtable_bytes") > 0,
                    "the state store holds something");
        } finally {
            d.close();
        }
        String log = d.log();

        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.lines().filter(l -> !l.isBlank()).toList()) {
            try {
                lines.add(Json.MAPPER.readTree(line));
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON line: " + line + "\n--- log ---\n" + log, e);
            }
        }
        assertTrue(lines.stream().allMatch(l -> l.isObject() && l.has("time") && l.has("level") && l.has("logger")
                && l.has("message")), log);
        assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().startsWith("actord ready")), log);
        assertTrue(lines.stream().anyMatch(l -> runId.equals(l.path("runId").asText())
                && l.path("message").asText().contains("status=SUCCEEDED")), "the run's end, with its id:\n" + log);
    }
}
