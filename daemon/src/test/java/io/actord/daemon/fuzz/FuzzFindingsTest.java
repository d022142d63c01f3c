package io.actord.daemon.fuzz;

import io.actord.daemon.storage.DatasetStore;
import io.actord.daemon.testing.RawHttp;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the API fuzz test ({@link ApiFuzzTest}) found, one request each, answered as it should be now. */
class FuzzFindingsTest {
    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldAnswerAnUnknownExpectationWithAnApifyError() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String answer = RawHttp.tcp(daemon.daemon().tcpAddress().orElseThrow(), "POST /v2/acts HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nConnection: close\r\nExpect: 200-ok\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body);
        assertTrue(answer.startsWith("HTTP/1.1 417 "), answer);
        assertTrue(answer.contains("content-type: application/json"), answer);
        assertTrue(answer.endsWith("{\"error\":{\"type\":\"expectation-failed\",\"message\":\"Expect: 200-ok is not "
                + "supported; only 100-continue is\"}}"), answer);
    }

    /**
     * 9 MiB (the push limit) of empty objects: three million items, whose tree took about 30 times the
     * body's size and ran a 256 MiB heap out (the daemon answered nothing). Tagged fuzz so that it runs in
     * the fuzz execution's small heap, where it would fail without the fix.
     */
    @Test
    @Tag("fuzz")
    void shouldPushMillionsOfSmallItemsWithinASmallHeap() {
        TestDaemon.Api api = daemon.api();
        String dataset = api.post("/v2/datasets?name=many", "").expect(201).data().get("id").asText();
        StringBuilder items = new StringBuilder(DatasetStore.MAX_PUSH_BYTES).append('[');
        long count = 1;
        for (; items.length() + 6 <= DatasetStore.MAX_PUSH_BYTES; count++) {
            items.append("{},");
        }
        items.append("{}]");
        api.post("/v2/datasets/" + dataset + "/items", items.toString()).expect(201);
        assertEquals(count, api.get("/v2/datasets/" + dataset).data().get("itemCount").asLong());
    }
}
