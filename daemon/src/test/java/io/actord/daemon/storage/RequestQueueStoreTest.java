package io.actord.daemon.storage;

import io.actord.daemon.access.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.actord.daemon.storage.StorageFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestQueueStoreTest {
    private static final Duration LOCK = Duration.ofSeconds(60);
    private static final String A = "clientAAAAAAAAAAA";
    private static final String B = "clientBBBBBBBBBBB";

    @TempDir
    Path dir;
    StorageFixture f;
    RequestQueueStore rq;
    String q;

    @BeforeEach
    void open() {
        f = new StorageFixture(dir);
        rq = f.queues;
        q = rq.getOrCreate(ALICE, Optional.empty()).meta().id();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void shouldDeriveRequestIdsAsCrawleeDoes() {
        assertEquals("8OamqXBCpPHxyH9", QueueRequests.idOf("http://example.com"));
        assertEquals("XkaKZ9GsERgMd0X", QueueRequests.idOf("https://apify.com/a?b=1"));
        assertEquals("LXEWQrcmsEQBYny", QueueRequests.idOf("x"));
    }

    @Test
    void shouldAddOnceByUniqueKey() {
        RequestQueueStore.Added first = rq.add(ALICE, q, req("http://e.com/a"), false, A);
        RequestQueueStore.Added again = rq.add(ALICE, q, req("http://e.com/a"), false, A);
        assertFalse(first.wasAlreadyPresent());
        assertTrue(again.wasAlreadyPresent());
        assertEquals(first.requestId(), again.requestId());
        assertEquals(1, rq.get(ALICE, q).counts().itemCount());
        ObjectNode stored = rq.request(ALICE, q, first.requestId()).orElseThrow();
        assertEquals(first.requestId(), stored.get("id").asText());
        assertEquals("GET", stored.get("method").asText());
        assertFalse(stored.has("handledAt"), "no handledAt while unhandled (crawlee rejects null)");
    }

    @Test
    void shouldDropTopLevelNullsSoCrawleeNeverSeesThem() {
        String id = rq.add(ALICE, q, json("{\"url\":\"http://e.com\",\"uniqueKey\":\"k\",\"loadedUrl\":null,"
                + "\"userData\":{\"x\":null}}"), false, A).requestId();
        ObjectNode stored = rq.request(ALICE, q, id).orElseThrow();
        assertFalse(stored.has("loadedUrl"));
        assertTrue(stored.get("userData").get("x").isNull(), "nested values are the user's");
    }

    @Test
    void shouldAddABatchWholeOrNotAtAll() {
        JsonNode withBad = json("[{\"url\":\"http://e.com/1\"},{\"noUrl\":true}]");
        assertEquals(ErrorType.INVALID_INPUT, assertThrows(ApiException.class,
                () -> rq.addBatch(ALICE, q, withBad, false, A)).type());
        assertEquals(0, rq.get(ALICE, q).counts().itemCount());
        RequestQueueStore.BatchResult r = rq.addBatch(ALICE, q,
                json("[{\"url\":\"http://e.com/1\"},{\"url\":\"http://e.com/1\"},{\"url\":\"http://e.com/2\"}]"), false, A);
        assertEquals(List.of(false, true, false), r.processedRequests().stream()
                .map(RequestQueueStore.Added::wasAlreadyPresent).toList());
        assertEquals("http://e.com/2", r.processedRequests().get(2).uniqueKey());
        assertEquals(2, rq.get(ALICE, q).counts().itemCount());
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 26; i++) {
            many.append(i == 0 ? "" : ",").append("{\"url\":\"http://e.com/m").append(i).append("\"}");
        }
        assertThrows(ApiException.class, () -> rq.addBatch(ALICE, q, json(many + "]"), false, A));
        assertThrows(ApiException.class, () -> rq.add(ALICE, q, json("{\"url\":\"http://x\",\"id\":\"abc\"}"), false, A));
    }

    @Test
    void shouldServeForefrontRequestsFirstNewestFirst() {
        rq.add(ALICE, q, req("1"), false, A);
        rq.add(ALICE, q, req("2"), false, A);
        rq.add(ALICE, q, req("f1"), true, A);
        rq.add(ALICE, q, req("f2"), true, A);
        assertEquals(List.of("f2", "f1", "1", "2"), urls(rq.head(ALICE, q, 10, A)));
    }

    @Test
    void shouldLockTheHeadAndReportLockedRequestsExactly() {
        rq.add(ALICE, q, req("1"), false, A);
        rq.add(ALICE, q, req("2"), false, A);
        rq.add(ALICE, q, req("3"), false, A);
        RequestQueueStore.Head a = rq.lockHead(ALICE, q, 2, LOCK, A);
        assertEquals(List.of("1", "2"), urls(a));
        assertEquals(f.clock.instant().plus(LOCK), a.items().get(0).lockExpiresAt());
        assertTrue(a.queueHasLockedRequests());
        RequestQueueStore.Head b = rq.lockHead(ALICE, q, 25, LOCK, B);
        assertEquals(List.of("3"), urls(b));
        for (RequestQueueStore.HeadItem i : b.items()) {
            rq.update(ALICE, q, i.id(), handled(i.id()), false, B);
        }
        RequestQueueStore.Head empty = rq.lockHead(ALICE, q, 25, LOCK, B);
        assertTrue(empty.items().isEmpty());
        assertTrue(empty.queueHasLockedRequests(), "A still holds 1 and 2");
        for (RequestQueueStore.HeadItem i : a.items()) {
            rq.update(ALICE, q, i.id(), handled(i.id()), false, A);
        }
        assertFalse(rq.lockHead(ALICE, q, 25, LOCK, B).queueHasLockedRequests());
        assertEquals(3, rq.get(ALICE, q).counts().handledCount());
        assertTrue(rq.get(ALICE, q).counts().hadMultipleClients());
    }

    @Test
    void shouldReturnAnExpiredLockToItsPlaceInTheHead() {
        rq.add(ALICE, q, req("1"), false, A);
        rq.add(ALICE, q, req("2"), false, A);
        rq.lockHead(ALICE, q, 1, LOCK, A);
        assertEquals(List.of("2"), urls(rq.head(ALICE, q, 10, B)));
        f.clock.advance(LOCK);
        RequestQueueStore.Head h = rq.head(ALICE, q, 10, B);
        assertEquals(List.of("1", "2"), urls(h));
        assertFalse(h.queueHasLockedRequests());
        RequestQueueStore.Head b = rq.lockHead(ALICE, q, 25, LOCK, B);
        assertEquals(List.of("1", "2"), urls(b));
    }

    @Test
    void shouldLetOnlyTheHolderProlongOrReleaseALock() {
        String id = rq.add(ALICE, q, req("1"), false, A).requestId();
        rq.lockHead(ALICE, q, 25, LOCK, A);
        f.clock.advance(Duration.ofSeconds(10));
        assertEquals(conflict(), assertThrows(ApiException.class,
                () -> rq.prolongLock(ALICE, q, id, LOCK, false, B)).type());
        assertEquals(conflict(), assertThrows(ApiException.class,
                () -> rq.deleteLock(ALICE, q, id, false, B)).type());
        assertEquals(conflict(), assertThrows(ApiException.class,
                () -> rq.update(ALICE, q, id, handled(id), false, B)).type());
        assertEquals(conflict(), assertThrows(ApiException.class,
                () -> rq.deleteRequest(ALICE, q, id, B)).type());
        assertFalse(rq.request(ALICE, q, id).orElseThrow().has("handledAt"), "nothing changed");
        assertEquals(f.clock.instant().plus(LOCK), rq.prolongLock(ALICE, q, id, LOCK, false, A));
        rq.deleteLock(ALICE, q, id, false, A);
        assertEquals(List.of("1"), urls(rq.head(ALICE, q, 10, B)));
        assertEquals(conflict(), assertThrows(ApiException.class,
                () -> rq.prolongLock(ALICE, q, id, LOCK, false, A)).type(), "released: not A's any more");
    }

    @Test
    void shouldLetTheSameRunProlongUnderANewClientKey() {
        Caller run = Caller.ofRun(ALICE.userId(), ALICE.username(), "runIdAAAAAAAAAAAA");
        String id = rq.add(run, q, req("1"), false, A).requestId();
        rq.lockHead(run, q, 25, LOCK, A);
        rq.prolongLock(run, q, id, LOCK, false, B);
        assertThrows(ApiException.class, () -> rq.prolongLock(ALICE, q, id, LOCK, false, "clientCCCCCCCCCCC"));
    }

    @Test
    void shouldLetTheFormerHolderProlongAnExpiredLockNobodyTook() {
        String id = rq.add(ALICE, q, req("1"), false, A).requestId();
        rq.lockHead(ALICE, q, 25, LOCK, A);
        f.clock.advance(LOCK.plusSeconds(1));
        rq.head(ALICE, q, 10, B);
        rq.prolongLock(ALICE, q, id, LOCK, false, A);
        assertTrue(rq.lockHead(ALICE, q, 25, LOCK, B).items().isEmpty());
    }

    @Test
    void shouldReclaimToTheEndOrTheFront() {
        for (String u : List.of("1", "2", "3")) {
            rq.add(ALICE, q, req(u), false, A);
        }
        RequestQueueStore.Head h = rq.lockHead(ALICE, q, 2, LOCK, A);
        String first = h.items().get(0).id();
        String second = h.items().get(1).id();
        rq.update(ALICE, q, first, reclaimed(first, "1"), false, A);
        rq.update(ALICE, q, second, reclaimed(second, "2"), true, A);
        rq.deleteLock(ALICE, q, first, false, A);
        assertEquals(List.of("2", "3", "1"), urls(rq.head(ALICE, q, 10, A)));
    }

    @Test
    void shouldCountHandledRequestsAndReportWasAlreadyHandled() {
        String id = rq.add(ALICE, q, req("1"), false, A).requestId();
        assertFalse(rq.update(ALICE, q, id, handled(id), false, A).wasAlreadyHandled());
        assertTrue(rq.update(ALICE, q, id, handled(id), false, A).wasAlreadyHandled());
        assertEquals(1, rq.get(ALICE, q).counts().handledCount());
        assertTrue(rq.add(ALICE, q, req("1"), false, A).wasAlreadyHandled());
        rq.deleteRequest(ALICE, q, id, A);
        assertEquals(0, rq.get(ALICE, q).counts().itemCount());
        assertEquals(0, rq.get(ALICE, q).counts().handledCount());
    }

    @Test
    void shouldUnlockEveryLockOfOneClient() {
        for (String u : List.of("1", "2", "3")) {
            rq.add(ALICE, q, req(u), false, A);
        }
        rq.lockHead(ALICE, q, 2, LOCK, A);
        rq.lockHead(ALICE, q, 1, LOCK, B);
        assertEquals(2, rq.unlockAll(ALICE, q, A));
        assertEquals(List.of("1", "2"), urls(rq.head(ALICE, q, 10, A)));
    }

    @Test
    void shouldListRequestsByIdWithFilters() {
        for (String u : List.of("1", "2", "3")) {
            rq.add(ALICE, q, req(u), false, A);
        }
        String locked = rq.lockHead(ALICE, q, 1, LOCK, A).items().get(0).id();
        RequestQueueStore.RequestPage all = rq.listRequests(ALICE, q, 2, Optional.empty(), false, false);
        assertEquals(2, all.items().size());
        RequestQueueStore.RequestPage rest = rq.listRequests(ALICE, q, 2, Optional.of(all.nextCursor()), false, false);
        assertEquals(1, rest.items().size());
        assertEquals(null, rest.nextCursor());
        List<JsonNode> lockedOnly = List.copyOf(rq.listRequests(ALICE, q, 10, Optional.empty(), false, true).items());
        assertEquals(locked, lockedOnly.get(0).get("id").asText());
        assertEquals(1, lockedOnly.size());
    }

    @Test
    void shouldRefuseAClientKeyLongerThan32() {
        assertEquals(ErrorType.INVALID_CLIENT_KEY, assertThrows(ApiException.class,
                () -> QueueRequests.clientKey(Optional.of("k".repeat(33)))).type());
    }

    private static ErrorType conflict() {
        return ErrorType.REQUEST_HANDLED_OR_LOCKED;
    }

    private static List<String> urls(RequestQueueStore.Head head) {
        return head.items().stream().map(RequestQueueStore.HeadItem::url).toList();
    }

    private static JsonNode req(String url) {
        return json("{\"url\":\"" + url + "\",\"uniqueKey\":\"" + url + "\",\"userData\":{}}");
    }

    private static JsonNode handled(String id) {
        return json("{\"id\":\"" + id + "\",\"url\":\"u\",\"uniqueKey\":\"" + uniqueKeyOf(id)
                + "\",\"handledAt\":\"2030-01-01T00:00:01.000Z\"}");
    }

    private static JsonNode reclaimed(String id, String url) {
        return json("{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"uniqueKey\":\"" + url + "\",\"retryCount\":1}");
    }

    private static String uniqueKeyOf(String id) {
        for (String k : List.of("1", "2", "3")) {
            if (QueueRequests.idOf(k).equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException(id);
    }

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
