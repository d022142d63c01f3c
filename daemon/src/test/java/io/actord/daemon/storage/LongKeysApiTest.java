package io.actord.daemon.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The longest inputs the API takes that become state keys work, and one character more is refused with the same 400,
 * on either state store (PostgreSQL's btree refuses keys over 2,704 bytes, RocksDB none; run with
 * {@code -Dactord.test.state=postgres} for the second): record keys (Apify's 256 characters), webhook idempotency
 * keys (256 characters, here of three UTF-8 bytes each), storage names (63), and request-queue unique keys and
 * URLs, which Apify does not bound and which never become a key (a request's id is a hash of its unique key).
 */
class LongKeysApiTest {
    @TempDir
    Path dir;
    private TestDaemon daemon;

    @BeforeEach
    void start() {
        daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1),
                List.of("--egress-allow", "127.0.0.0/8"));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void shouldKeepRecordsUnderTheLongestKeyAndRefuseALongerOne() {
        String store = daemon.api().post("/v2/key-value-stores?name=" + "s".repeat(63), "").expect(201).data()
                .get("id").asText();
        String longest = "k".repeat(256);
        daemon.api().put("/v2/key-value-stores/" + store + "/records/" + longest, "{\"v\":1}").expect(201);
        daemon.api().put("/v2/key-value-stores/" + store + "/records/" + longest.replace('k', 'a'), "{\"v\":0}")
                .expect(201);
        assertEquals(1, daemon.api().get("/v2/key-value-stores/" + store + "/records/" + longest).expect(200).json()
                .get("v").asInt());
        JsonNode keys = daemon.api().get("/v2/key-value-stores/" + store + "/keys?exclusiveStartKey="
                + longest.replace('k', 'a')).expect(200).data();
        assertEquals(1, keys.get("items").size(), keys.toString());
        assertEquals(longest, keys.get("items").get(0).get("key").asText());

        TestDaemon.Response over = daemon.api().put("/v2/key-value-stores/" + store + "/records/" + longest + "k",
                "{\"v\":2}");
        assertEquals(400, over.status(), over.text());
        assertEquals("invalid-record-key", over.errorType());
        assertEquals(400, daemon.api().post("/v2/key-value-stores?name=" + "s".repeat(64), "").status());
    }

    @Test
    void shouldTakeRequestsWithUniqueKeysAndUrlsOfAnyLength() {
        String queue = daemon.api().post("/v2/request-queues", "").expect(201).data().get("id").asText();
        String path = "p".repeat(20_000);
        String request = "{\"url\":\"http://example.com/" + path + "\",\"uniqueKey\":\"" + path + "\"}";
        JsonNode added = daemon.api().post("/v2/request-queues/" + queue + "/requests", request).expect(201).data();
        assertEquals(false, added.get("wasAlreadyPresent").asBoolean());
        assertTrue(daemon.api().post("/v2/request-queues/" + queue + "/requests", request).expect(201).data()
                .get("wasAlreadyPresent").asBoolean(), "the same unique key again");
        JsonNode stored = daemon.api().get("/v2/request-queues/" + queue + "/requests/"
                + added.get("requestId").asText()).expect(200).data();
        assertEquals(path, stored.get("uniqueKey").asText());
        JsonNode head = daemon.api().post("/v2/request-queues/" + queue + "/head/lock?lockSecs=60", "").expect(201)
                .data();
        assertEquals(path, head.get("items").get(0).get("uniqueKey").asText());
    }

    @Test
    void shouldFindAWebhookByTheLongestIdempotencyKeyAndRefuseALongerOne() throws Exception {
        String actor = daemon.actor("hooked", "exit", "0");
        String body = "{\"requestUrl\":\"http://127.0.0.1:9/hook\",\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],"
                + "\"condition\":{\"actorId\":\"" + actor + "\"},\"idempotencyKey\":\"%s\"}";
        String longest = "€".repeat(256);
        String first = daemon.api().post("/v2/webhooks", body.formatted(longest)).expect(201).data().get("id").asText();
        assertEquals(first, daemon.api().post("/v2/webhooks", body.formatted(longest)).expect(201).data().get("id")
                .asText(), "the same key finds the same webhook");
        TestDaemon.Response over = daemon.api().post("/v2/webhooks", body.formatted(longest + "€"));
        assertEquals(400, over.status(), over.text());
        assertEquals("invalid-value", over.errorType());
    }
}
