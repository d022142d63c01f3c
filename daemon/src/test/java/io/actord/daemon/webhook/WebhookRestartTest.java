package io.actord.daemon.webhook;

import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A webhook request not yet delivered when the daemon stops is sent by the next daemon, with the same id. */
class WebhookRestartTest {
    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final WebhookReceiver receiver = new WebhookReceiver();

    WebhookRestartTest() throws IOException {
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private TestDaemon daemon() {
        return TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1), List.of(WebhooksApiTest.LOOPBACK_ALLOWED));
    }

    private static long pending(TestDaemon daemon) {
        return daemon.daemon().store().table(WebhookTables.WEBHOOK_DISPATCHES).count();
    }

    @Test
    void shouldSendWhatTheStoppedDaemonLeftUndelivered() throws Exception {
        receiver.answerOtherwise(503);
        String runId;
        String dispatchId;
        try (TestDaemon first = daemon()) {
            String actor = first.actor("hooked", "exit", "0");
            String hooks = AdHocWebhookTest.b64("[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\""
                    + receiver.url("/done") + "\"}]");
            runId = first.api().post("/v2/acts/" + actor + "/runs?waitForFinish=20&webhooks="
                    + URLEncoder.encode(hooks, StandardCharsets.UTF_8), "{}").expect(201).data().get("id").asText();
            dispatchId = receiver.next().dispatchId();
            assertEquals(1, pending(first), "kept until it is delivered");
        }
        for (WebhookReceiver.Received retried = receiver.poll(Duration.ZERO); retried != null;
             retried = receiver.poll(Duration.ZERO)) {
            assertEquals(dispatchId, retried.dispatchId(), "a retry before the stop");
        }
        receiver.answerOtherwise(200);

        try (TestDaemon second = daemon()) {
            WebhookReceiver.Received resent = receiver.next();
            assertEquals(dispatchId, resent.dispatchId(), "the same dispatch, so the receiver can drop repeats");
            assertEquals(runId, resent.body().get("resource").get("id").asText());
            assertEquals("ACTOR.RUN.SUCCEEDED", resent.body().get("eventType").asText());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (pending(second) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, pending(second), "forgotten once delivered");
            assertNull(receiver.poll(Duration.ofSeconds(2)), "delivered once");
        }
    }
}
