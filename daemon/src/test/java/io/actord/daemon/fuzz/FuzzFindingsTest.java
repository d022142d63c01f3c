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
        // found by the suite's PostgreSQL run: a PostgreSQL batch held its rows on the heap as objects until it
        // committed, and three million of them ran the 256 MiB heap out (an OutOfMemoryError, answered 500)
        TestDaemon.Api api = daemon.api();
        String dataset = api.post("/v2/datasets?name=many", "").expect(201).data().get("id").asText();
        String items = emptyObjects("[", "]");
        long count = (items.length() - 1) / 3;
        api.post("/v2/datasets/" + dataset + "/items", items).expect(201);
        assertEquals(count, api.get("/v2/datasets/" + dataset).data().get("itemCount").asLong());
    }

    /**
     * A request-queue batch of 9 MiB of empty objects: the body was parsed into a tree before the 25-request
     * limit was checked, and the tree ran the small heap out. In the fuzz execution, as the test above.
     */
    @Test
    @Tag("fuzz")
    void shouldRefuseAHugeRequestBatchWithinASmallHeap() {
        TestDaemon.Api api = daemon.api();
        String queue = api.post("/v2/request-queues?name=many", "").expect(201).data().get("id").asText();
        TestDaemon.Response r = api.post("/v2/request-queues/" + queue + "/requests/batch", emptyObjects("[", "]"));
        assertEquals(400, r.status(), r.text());
        assertEquals("invalid-request", r.errorType(), r.text());
        api.get("/v2/request-queues/" + queue).expect(200);
    }

    /** The same tree inside a record's body: a build whose cmd is millions of empty objects. */
    @Test
    @Tag("fuzz")
    void shouldRefuseAHugeTreeInARecordBodyWithinASmallHeap() throws Exception {
        String actor = daemon.api().post("/v2/acts", "{\"name\":\"huge\"}").expect(201).data().get("id").asText();
        TestDaemon.Response r = daemon.admin("/v2/acts/" + actor + "/builds",
                emptyObjects("{\"rootfs\":\"/nonexistent\",\"cmd\":[", "]}"));
        assertEquals(400, r.status(), r.text());
        assertEquals("invalid-request", r.errorType(), r.text());
    }

    /** {@code prefix}, as many {@code {}} as fit in 9 MiB (the dataset push limit), comma-separated, {@code suffix}. */
    private static String emptyObjects(String prefix, String suffix) {
        StringBuilder s = new StringBuilder(DatasetStore.MAX_PUSH_BYTES).append(prefix).append("{}");
        while (s.length() + 3 + suffix.length() <= DatasetStore.MAX_PUSH_BYTES) {
            s.append(",{}");
        }
        return s.append(suffix).toString();
    }
}
