package io.actord.daemon.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two daemons on one PostgreSQL database (#25): the second starts while the first retries a webhook request that
 * keeps failing, and resumes it as a daemon start resumes whatever it finds undelivered. Each attempt is claimed by
 * one of them, so the receiver gets each of the dispatch's attempts once, not once from each daemon.
 */
class WebhooksOnOneDatabaseTest {
    private static final int RETRIES = 3;

    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;
    private final WebhookReceiver receiver = new WebhookReceiver();
    private final List<TestDaemon> daemons = new ArrayList<>();

    WebhooksOnOneDatabaseTest() throws IOException {
    }

    @AfterEach
    void stop() {
        daemons.forEach(TestDaemon::close);
        receiver.close();
    }

    private TestDaemon start(Path dir, String database) {
        TestDaemon d = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1), List.of("--state", database,
                "--egress-allow", "127.0.0.0/8", "--webhook-first-retry-ms", "1000", "--webhook-retries",
                Integer.toString(RETRIES)));
        daemons.add(d);
        return d;
    }

    @Test
    void shouldSendEachAttemptOnceWhenASecondDaemonResumesTheDispatch() throws Exception {
        receiver.answerOtherwise(503);
        String database = PG.database("webhooks");
        TestDaemon one = start(dirOne, database);
        String actor = one.actor("hooked", "exit", "0");
        String webhook = one.api().post("/v2/webhooks", "{\"requestUrl\":\"" + receiver.url("/hook")
                + "\",\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"condition\":{\"actorId\":\"" + actor + "\"}}")
                .expect(201).data().get("id").asText();
        String dispatch = one.api().post("/v2/webhooks/" + webhook + "/test", "").expect(201).data().get("id")
                .asText();
        assertEquals(dispatch, receiver.next().dispatchId(), "the first attempt, from the daemon that made it");
        TestDaemon two = start(dirTwo, database);

        JsonNode record = awaitGivenUp(two, dispatch);
        int received = 1;
        for (WebhookReceiver.Received r = receiver.poll(Duration.ZERO); r != null; r = receiver.poll(Duration.ZERO)) {
            assertEquals(dispatch, r.dispatchId());
            received++;
        }
        assertEquals(RETRIES + 1, received, "each attempt once: " + record);
        assertEquals(RETRIES + 1, record.get("calls").size(), record.toString());
    }

    /** The dispatch once its last attempt failed, as {@code d}'s API shows it. */
    private static JsonNode awaitGivenUp(TestDaemon d, String dispatch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode record = d.api().get("/v2/webhook-dispatches/" + dispatch).expect(200).data();
        while (!"FAILED".equals(record.get("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            record = d.api().get("/v2/webhook-dispatches/" + dispatch).expect(200).data();
        }
        assertEquals("FAILED", record.get("status").asText(), record.toString());
        return record;
    }
}
