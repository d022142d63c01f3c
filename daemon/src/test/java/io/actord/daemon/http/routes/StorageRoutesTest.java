package io.actord.daemon.http.routes;

import io.actord.daemon.ActorDaemon;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.http.Router;
import io.actord.daemon.access.Access;
import io.actord.daemon.access.Caller;
import io.actord.daemon.storage.DatasetStore;
import io.actord.daemon.storage.KeyValueStore;
import io.actord.daemon.storage.RequestQueueStore;
import io.actord.daemon.storage.StorageRegistry;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageRoutesTest {
    private static final Caller OWNER = Caller.user("ownerUserId000001", "owner");

    @TempDir
    Path dir;
    StateStore store;
    HttpExchange http;

    @BeforeEach
    void start() {
        store = RocksStateStore.open(dir, ActorDaemon.TABLES);
        StorageRegistry registry = new StorageRegistry(store, Clock.systemUTC(), new Access(store), user -> Long.MAX_VALUE);
        Router router = new Router();
        new KeyValueStoreRoutes(new KeyValueStore(registry), r -> OWNER).register(router);
        new DatasetRoutes(new DatasetStore(registry), r -> OWNER).register(router);
        new RequestQueueRoutes(new RequestQueueStore(registry), r -> OWNER).register(router);
        http = new HttpExchange(router);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void shouldGetOrCreateANamedStoreWith201Then200() {
        HttpExchange.Response created = http.send("POST", "/v2/key-value-stores?name=things", "application/x-www-form-urlencoded", "");
        assertEquals(201, created.status());
        HttpExchange.Response again = http.send("POST", "/v2/key-value-stores?name=things", null, "");
        assertEquals(200, again.status());
        assertEquals(data(created).get("id"), data(again).get("id"));
        assertEquals("things", data(again).get("name").asText());
        assertFalse(data(again).has("urlSigningSecretKey"));
    }

    @Test
    void shouldAnswerAMissingRecordWithRecordNotFound() {
        String id = newStore();
        HttpExchange.Response r = http.send("GET", "/v2/key-value-stores/" + id + "/records/INPUT?attachment=true");
        assertEquals(404, r.status());
        assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
        assertEquals("record-not-found", json(r).get("error").get("type").asText());
        assertEquals(404, http.send("HEAD", "/v2/key-value-stores/" + id + "/records/INPUT").status());
        assertEquals("record-not-found", json(http.send("GET", "/v2/key-value-stores/nOsUcHsToRe000000"))
                .get("error").get("type").asText());
    }

    @Test
    void shouldStoreARecordAndServeItRawWithItsContentType() {
        String id = newStore();
        HttpExchange.Response put = http.send("PUT", "/v2/key-value-stores/" + id + "/records/OUTPUT",
                "application/json; charset=utf-8", "{\n  \"ok\": true\n}");
        assertEquals(201, put.status());
        HttpExchange.Response get = http.send("GET", "/v2/key-value-stores/" + id + "/records/OUTPUT?attachment=true");
        assertEquals(200, get.status());
        assertEquals("application/json; charset=utf-8", get.header("content-type"));
        assertEquals("{\n  \"ok\": true\n}", get.text());
        assertEquals(200, http.send("HEAD", "/v2/key-value-stores/" + id + "/records/OUTPUT").status());
        assertEquals(204, http.send("DELETE", "/v2/key-value-stores/" + id + "/records/OUTPUT").status());
        assertEquals(404, http.send("GET", "/v2/key-value-stores/" + id + "/records/OUTPUT").status());
    }

    @Test
    void shouldRefuseBadKeysWithInvalidRecordKey() {
        String id = newStore();
        for (String key : new String[]{"a%2Fb", "a/b", "..", "%2E%2E", "bad%0Akey", "%00"}) {
            HttpExchange.Response r = http.send("PUT", "/v2/key-value-stores/" + id + "/records/" + key, "text/plain", "x");
            assertEquals(400, r.status(), key);
            assertEquals("invalid-record-key", json(r).get("error").get("type").asText(), key);
        }
        assertEquals(0, data(http.send("GET", "/v2/key-value-stores/" + id + "/keys")).get("count").asInt());
    }

    @Test
    void shouldRefuseARecordOverNineMebibytesWithRecordTooLarge() {
        String id = newStore();
        HttpExchange.Response r = http.send("PUT", "/v2/key-value-stores/" + id + "/records/big",
                "application/octet-stream", new byte[KeyValueStore.MAX_RECORD_BYTES + 1]);
        assertEquals(413, r.status());
        assertEquals("record-too-large", json(r).get("error").get("type").asText());
        assertEquals(404, http.send("GET", "/v2/key-value-stores/" + id + "/records/big").status());
    }

    @Test
    void shouldListKeysWithAnExplicitNullNextKeyOnTheLastPage() {
        String id = newStore();
        http.send("PUT", "/v2/key-value-stores/" + id + "/records/a", "text/plain", "1");
        http.send("PUT", "/v2/key-value-stores/" + id + "/records/b", "text/plain", "22");
        JsonNode first = data(http.send("GET", "/v2/key-value-stores/" + id + "/keys?limit=1"));
        assertEquals("a", first.get("nextExclusiveStartKey").asText());
        assertTrue(first.get("isTruncated").asBoolean());
        JsonNode last = data(http.send("GET", "/v2/key-value-stores/" + id + "/keys?exclusiveStartKey=a"));
        assertTrue(last.has("nextExclusiveStartKey") && last.get("nextExclusiveStartKey").isNull());
        assertEquals(2, last.get("items").get(0).get("size").asInt());
    }

    @Test
    void shouldServeDatasetItemsAsABareArrayWithPaginationHeaders() {
        String id = data(http.send("POST", "/v2/datasets", null, "")).get("id").asText();
        assertEquals(201, http.send("POST", "/v2/datasets/" + id + "/items", "application/json", "{\"n\":0}").status());
        http.send("POST", "/v2/datasets/" + id + "/items", "application/json; charset=utf-8", "[{\"n\":1},{\"n\":2}]");
        HttpExchange.Response r = http.send("GET", "/v2/datasets/" + id + "/items?offset=1&limit=5&desc=1");
        assertEquals("[{\"n\":1},{\"n\":0}]", r.text());
        assertEquals("3", r.header("X-Apify-Pagination-Total"));
        assertEquals("1", r.header("X-Apify-Pagination-Offset"));
        assertEquals("5", r.header("X-Apify-Pagination-Limit"));
        assertEquals("2", r.header("X-Apify-Pagination-Count"));
        assertEquals("true", r.header("X-Apify-Pagination-Desc"));
        assertEquals("999999999999", http.send("GET", "/v2/datasets/" + id + "/items").header("X-Apify-Pagination-Limit"));
        HttpExchange.Response csv = http.send("GET", "/v2/datasets/" + id + "/items?format=csv&attachment=1");
        assertEquals("n\r\n0\r\n1\r\n2\r\n", csv.text());
        assertTrue(csv.header("content-type").startsWith("text/csv"));
        assertTrue(csv.header("content-disposition").contains("attachment"));
        assertEquals(3, data(http.send("GET", "/v2/datasets/" + id)).get("itemCount").asInt());
    }

    @Test
    void shouldUnwindAndFlattenItemsInEveryFormat() {
        String id = data(http.send("POST", "/v2/datasets", null, "")).get("id").asText();
        http.send("POST", "/v2/datasets/" + id + "/items", "application/json",
                "[{\"t\":\"a\",\"v\":[{\"s\":1},{\"s\":2}],\"geo\":{\"lat\":1}},{\"t\":\"b\",\"v\":[]}]");
        String query = "/items?unwind=v&flatten=geo";
        HttpExchange.Response json = http.send("GET", "/v2/datasets/" + id + query);
        assertEquals("[{\"t\":\"a\",\"geo.lat\":1,\"s\":1},{\"t\":\"a\",\"geo.lat\":1,\"s\":2}]", json.text());
        assertEquals("2", json.header("X-Apify-Pagination-Count"));
        assertEquals("2", json.header("X-Apify-Pagination-Total"));
        assertEquals("{\"t\":\"a\",\"s\":1}\n{\"t\":\"a\",\"s\":2}\n",
                http.send("GET", "/v2/datasets/" + id + query + "&format=jsonl&limit=1&omit=geo.lat").text());
        assertEquals("t,geo.lat,s\r\na,1,1\r\na,1,2\r\n",
                http.send("GET", "/v2/datasets/" + id + query + "&format=csv&fields=t,v,geo").text());
    }

    @Test
    void shouldRefuseEmptyFieldNamesWithInvalidValue() {
        String id = data(http.send("POST", "/v2/datasets", null, "")).get("id").asText();
        for (String bad : new String[]{"unwind=a,,b", "flatten=a,", "unwind=,", "fields=%20,a", "omit=a,%20"}) {
            HttpExchange.Response r = http.send("GET", "/v2/datasets/" + id + "/items?" + bad);
            assertEquals(400, r.status(), bad);
            assertEquals("invalid-value", json(r).get("error").get("type").asText(), bad);
        }
        assertEquals(200, http.send("GET", "/v2/datasets/" + id + "/items?unwind=&flatten=&fields=").status());
        assertEquals("invalid-value", json(http.send("GET", "/v2/datasets/" + id + "/items?view=overview"))
                .get("error").get("type").asText());
    }

    @Test
    void shouldRejectAnInvalidPushWithoutStoringAnything() {
        String id = data(http.send("POST", "/v2/datasets", null, "")).get("id").asText();
        HttpExchange.Response bad = http.send("POST", "/v2/datasets/" + id + "/items", "application/json", "[{\"a\":1},");
        assertEquals(400, bad.status());
        assertEquals("invalid-request", json(bad).get("error").get("type").asText());
        assertEquals("invalid-input", json(http.send("POST", "/v2/datasets/" + id + "/items", "application/json",
                "[{\"a\":1},\"x\"]")).get("error").get("type").asText());
        assertEquals(0, data(http.send("GET", "/v2/datasets/" + id)).get("itemCount").asInt());
    }

    @Test
    void shouldRefuseALockCallWithAnotherClientsKey() {
        String q = data(http.send("POST", "/v2/request-queues", null, "")).get("id").asText();
        JsonNode added = data(http.send("POST", "/v2/request-queues/" + q + "/requests?clientKey=one", "application/json",
                "{\"url\":\"http://e.com\",\"uniqueKey\":\"http://e.com\"}"));
        assertFalse(added.get("wasAlreadyPresent").asBoolean());
        String rid = added.get("requestId").asText();
        JsonNode locked = data(http.send("POST", "/v2/request-queues/" + q + "/head/lock?limit=25&lockSecs=105&clientKey=one",
                "application/x-www-form-urlencoded", ""));
        assertEquals(rid, locked.get("items").get(0).get("id").asText());
        assertTrue(locked.get("queueHasLockedRequests").asBoolean());
        assertTrue(locked.get("items").get(0).get("lockExpiresAt").asText().endsWith("Z"));
        for (String call : new String[]{"PUT /requests/" + rid + "/lock?lockSecs=60&clientKey=two",
                "DELETE /requests/" + rid + "/lock?clientKey=two"}) {
            String[] mp = call.split(" ");
            HttpExchange.Response r = http.send(mp[0], "/v2/request-queues/" + q + mp[1], null, "");
            assertEquals(409, r.status(), call);
            assertEquals("request-handled-or-locked", json(r).get("error").get("type").asText());
        }
        JsonNode prolonged = data(http.send("PUT", "/v2/request-queues/" + q + "/requests/" + rid
                + "/lock?lockSecs=60&clientKey=one", null, ""));
        assertTrue(prolonged.get("lockExpiresAt").asText().endsWith("Z"));
        assertEquals(400, http.send("POST", "/v2/request-queues/" + q + "/head/lock?clientKey=one", null, "").status(),
                "lockSecs is required");
    }

    @Test
    void shouldEchoUniqueKeysOfABatchAndRefuseMoreThan25() {
        String q = data(http.send("POST", "/v2/request-queues", null, "")).get("id").asText();
        JsonNode r = data(http.send("POST", "/v2/request-queues/" + q + "/requests/batch?clientKey=one",
                "application/json", "[{\"url\":\"http://e.com/1\",\"uniqueKey\":\"k1\"},{\"url\":\"http://e.com/2\"}]"));
        assertEquals("k1", r.get("processedRequests").get(0).get("uniqueKey").asText());
        assertEquals("http://e.com/2", r.get("processedRequests").get(1).get("uniqueKey").asText());
        assertEquals(0, r.get("unprocessedRequests").size());
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 26; i++) {
            many.append(i == 0 ? "" : ",").append("{\"url\":\"http://e.com/x").append(i).append("\"}");
        }
        assertEquals(400, http.send("POST", "/v2/request-queues/" + q + "/requests/batch", "application/json",
                many + "]").status());
        JsonNode info = data(http.send("GET", "/v2/request-queues/" + q));
        assertEquals(2, info.get("totalRequestCount").asInt());
        assertEquals(2, info.get("pendingRequestCount").asInt());
    }

    private String newStore() {
        return data(http.send("POST", "/v2/key-value-stores", null, "")).get("id").asText();
    }

    private static JsonNode data(HttpExchange.Response r) {
        JsonNode data = json(r).get("data");
        assertTrue(data != null, r.status() + " " + r.text());
        return data;
    }

    private static JsonNode json(HttpExchange.Response r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.text(), e);
        }
    }
}
