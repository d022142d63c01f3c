package io.actord.daemon.storage;

import io.actord.daemon.access.Caller;
import io.actord.daemon.access.Need;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Request queues, with Apify's v2 locking. Three tables hold a queue: every request by id
 * ({@code RQ_REQUESTS}), the unhandled unlocked ones in head order ({@code RQ_HEAD}), and the locked ones by
 * expiry ({@code RQ_LOCKS}). A request is in exactly one of the two indexes while unhandled and in neither
 * once handled, so "lock the first N" reads N head keys and {@code queueHasLockedRequests} is "is any lock
 * key left after expired ones went back to the head" — exact, and cheap.
 *
 * <p>Every change runs under the queue's lock as one batch ({@link QueueChange}, which also explains the head
 * order); a failure anywhere in it (a bad request in a batch, a lock held by another client) writes nothing.
 */
public final class RequestQueueStore extends StoresOfKind {
    /** The most requests one head/lock call locks (Apify's limit). */
    public static final int MAX_LOCK_LIMIT = 25;
    /** The most requests one head call lists. */
    public static final int MAX_HEAD_LIMIT = 1000;
    /** The most requests one listing returns. */
    public static final int MAX_LIST_LIMIT = 10_000;


    private final QueueTables tables;
    private final Table<QueueRequestKey, QueueRequest> requests;
    private final Table<QueueIndexKey, Empty> head;
    private final Table<QueueIndexKey, Empty> locks;

    public RequestQueueStore(StorageRegistry registry) {
        super(registry, StorageKind.REQUEST_QUEUE);
        this.requests = registry.store().table(StorageTables.RQ_REQUESTS);
        this.head = registry.store().table(StorageTables.RQ_HEAD);
        this.locks = registry.store().table(StorageTables.RQ_LOCKS);
        this.tables = new QueueTables(requests, head, locks);
    }

    /** The three tables a queue lives in. */
    record QueueTables(Table<QueueRequestKey, QueueRequest> requests, Table<QueueIndexKey, Empty> head,
                       Table<QueueIndexKey, Empty> locks) {
    }

    /** The outcome of adding (or updating) one request. */
    public record Added(String requestId, String uniqueKey, boolean wasAlreadyPresent, boolean wasAlreadyHandled) {
    }

    /** A request of a batch that was not processed. */
    public record Unprocessed(String uniqueKey, String url, String method) {
    }

    public record BatchResult(List<Added> processedRequests, List<Unprocessed> unprocessedRequests) {
    }

    /** Adds a request unless one with its uniqueKey exists (then reports that one). */
    public Added add(Caller caller, String ref, JsonNode body, boolean forefront, String clientKey) {
        QueueRequests.Parsed p = QueueRequests.parse(body, "the request", false);
        return change(caller, ref, clientKey, c -> c.insert(p, forefront));
    }

    /** Adds up to 25 requests, all or none: one invalid request fails the whole batch with 400. */
    public BatchResult addBatch(Caller caller, String ref, JsonNode body, boolean forefront, String clientKey) {
        List<QueueRequests.Parsed> parsed = new ArrayList<>();
        for (JsonNode n : batch(body)) {
            parsed.add(QueueRequests.parse(n, "request " + parsed.size() + " of the batch", false));
        }
        return change(caller, ref, clientKey, c -> {
            c.prefetch(parsed.stream().map(QueueRequests.Parsed::id).toList());
            List<Added> added = new ArrayList<>();
            parsed.forEach(p -> added.add(c.insert(p, forefront)));
            return new BatchResult(added, List.of());
        });
    }

    /** The request as stored (what the client sent, plus {@code id}), or empty. */
    public Optional<ObjectNode> request(Caller caller, String ref, String requestId) {
        StorageMeta meta = get(caller, ref);
        return requests.get(new QueueRequestKey(meta.id(), requestId)).map(QueueRequest::json);
    }

    /**
     * Replaces a request. With {@code handledAt} it becomes handled (out of the head, its lock released);
     * without, it goes back to the head: to its end, or its front with {@code forefront}. A request that
     * does not exist is added, as on Apify.
     *
     * @throws ApiException 409 request-handled-or-locked when another client holds its lock
     */
    public Added update(Caller caller, String ref, String requestId, JsonNode body, boolean forefront,
                        String clientKey) {
        QueueRequests.Parsed p = QueueRequests.parse(body, "the request", true);
        if (!p.id().equals(requestId)) {
            throw QueueRequests.invalid("the request's uniqueKey gives id '" + p.id() + "', not '" + requestId + "'");
        }
        return change(caller, ref, clientKey, c -> c.replace(p, forefront));
    }

    /** Deletes a request; deleting one that is not there is not an error. */
    public void deleteRequest(Caller caller, String ref, String requestId, String clientKey) {
        change(caller, ref, clientKey, c -> {
            c.find(requestId).ifPresent(r -> c.remove(r));
            return null;
        });
    }

    /** Deletes up to 25 requests named by {@code id} or {@code uniqueKey}; those locked by another client are left. */
    public BatchResult deleteBatch(Caller caller, String ref, JsonNode body, String clientKey) {
        List<JsonNode> items = batch(body);
        return change(caller, ref, clientKey, c -> {
            List<Added> done = new ArrayList<>();
            List<Unprocessed> left = new ArrayList<>();
            for (JsonNode n : items) {
                String id = n.hasNonNull("id") ? n.get("id").asText()
                        : n.hasNonNull("uniqueKey") ? QueueRequests.idOf(n.get("uniqueKey").asText()) : null;
                if (id == null) {
                    throw QueueRequests.invalid("every request to delete needs an 'id' or a 'uniqueKey'");
                }
                Optional<QueueRequest> r = c.find(id);
                if (r.isPresent() && r.get().lockedByOtherAt(c.now(), caller, clientKey)) {
                    left.add(new Unprocessed(r.get().uniqueKey(), r.get().json().path("url").asText(),
                            r.get().json().path("method").asText()));
                    continue;
                }
                r.ifPresent(c::remove);
                done.add(new Added(id, r.map(QueueRequest::uniqueKey).orElse(n.path("uniqueKey").asText(null)),
                        r.isPresent(), r.map(QueueRequest::handled).orElse(false)));
            }
            return new BatchResult(done, left);
        });
    }

    /** One request in a head listing; {@code lockExpiresAt} is set in a head/lock answer. */
    public record HeadItem(String id, String uniqueKey, String url, String method, int retryCount,
                           Instant lockExpiresAt) {
    }

    /** A head listing, or the requests a head/lock call locked. */
    public record Head(List<HeadItem> items, Instant queueModifiedAt, boolean hadMultipleClients,
                       boolean queueHasLockedRequests) {
    }

    /** The first {@code limit} unhandled, unlocked requests (expired locks count as unlocked), without locking them. */
    public Head head(Caller caller, String ref, int limit, String clientKey) {
        int max = Math.max(0, Math.min(limit, MAX_HEAD_LIMIT));
        return change(Need.READ, caller, ref, clientKey, c -> {
            c.releaseExpired();
            return null;
        }, (meta, ignored) -> {
            List<HeadItem> items = new ArrayList<>();
            for (QueueRequest r : firstInHead(meta.id(), max)) {
                items.add(item(r, null));
            }
            return new Head(items, meta.modifiedAt(), meta.counts().hadMultipleClients(), hasLocks(meta.id()));
        });
    }

    /** Locks and returns the first {@code limit} (at most 25) unhandled, unlocked requests for {@code lockSecs}. */
    public Head lockHead(Caller caller, String ref, int limit, Duration lockSecs, String clientKey) {
        int max = Math.max(0, Math.min(limit, MAX_LOCK_LIMIT));
        checkLockSecs(lockSecs);
        change(caller, ref, clientKey, c -> {
            c.releaseExpired();
            return null;
        });
        return change(Need.WRITE, caller, ref, clientKey, c -> {
            List<HeadItem> items = new ArrayList<>();
            for (QueueRequest r : firstInHead(c.queueId(), max)) {
                QueueRequest locked = c.lock(r, c.now().plus(lockSecs), caller, clientKey);
                items.add(item(locked, locked.lockExpiresAt()));
            }
            return items;
        }, (meta, items) -> new Head(items, meta.modifiedAt(), meta.counts().hadMultipleClients(),
                !items.isEmpty() || hasLocks(meta.id())));
    }

    /**
     * Extends the lock of a request this client (or run) locked, to {@code lockSecs} from now; with
     * {@code forefront} it returns to the front of the head when the lock ends.
     *
     * @throws ApiException 404 for an unknown request, 409 request-handled-or-locked when it is handled,
     *                      locked by another client, or was never locked by this one
     */
    public Instant prolongLock(Caller caller, String ref, String requestId, Duration lockSecs, boolean forefront,
                               String clientKey) {
        checkLockSecs(lockSecs);
        return change(caller, ref, clientKey, c -> {
            QueueRequest r = c.find(requestId).orElseThrow(() -> ApiException.notFound("Request", requestId));
            if (r.handled()) {
                throw conflict("request '" + requestId + "' is already handled");
            }
            if (r.lockedByOtherAt(c.now(), caller, clientKey) || !r.lockedBy(caller, clientKey)) {
                throw conflict("request '" + requestId + "' is not locked by this client" + heldBy(r, c.now()));
            }
            QueueRequest placed = forefront ? r.at(c.nextOrder(true)) : r;
            return c.lock(placed, c.now().plus(lockSecs), caller, clientKey).lockExpiresAt();
        });
    }

    /**
     * Releases this client's lock on a request, back to the head (its front with {@code forefront}).
     * Releasing a request nobody has locked, or a handled one, does nothing.
     *
     * @throws ApiException 409 request-handled-or-locked when another client holds the lock
     */
    public void deleteLock(Caller caller, String ref, String requestId, boolean forefront, String clientKey) {
        change(caller, ref, clientKey, c -> {
            QueueRequest r = c.find(requestId).orElseThrow(() -> ApiException.notFound("Request", requestId));
            if (r.lockedByOtherAt(c.now(), caller, clientKey)) {
                throw conflict("request '" + requestId + "' is locked by another client");
            }
            if (!r.handled() && r.lockExpiresAt() != null) {
                c.release(r, forefront);
            }
            return null;
        });
    }

    /** Releases every unexpired lock this client (or run) holds in the queue; returns how many. */
    public int unlockAll(Caller caller, String ref, String clientKey) {
        return change(caller, ref, clientKey, c -> {
            int n = 0;
            for (QueueRequest r : c.locked()) {
                if (r.lockedAt(c.now()) && r.lockedBy(caller, clientKey)) {
                    c.release(r, false);
                    n++;
                }
            }
            return n;
        });
    }

    /** A page of a queue's requests in id order. */
    public record RequestPage(List<ObjectNode> items, int limit, String exclusiveStartId, String nextCursor) {
    }

    /**
     * Requests in id order after {@code exclusiveStartId}; {@code pending} keeps unhandled ones, {@code locked}
     * those locked now (both: either).
     */
    public RequestPage listRequests(Caller caller, String ref, int limit, Optional<String> exclusiveStartId,
                                    boolean pending, boolean locked) {
        StorageMeta meta = get(caller, ref);
        int max = Math.max(0, Math.min(limit, MAX_LIST_LIMIT));
        Instant now = registry.now();
        KeyRange<QueueRequestKey> scan = KeyRange.of(QueueRequestKey.ofQueue(meta.id()));
        if (exclusiveStartId.isPresent()) {
            scan = scan.from(new QueueRequestKey(meta.id(), exclusiveStartId.get()));
        }
        List<ObjectNode> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        try (CloseableIterator<Entry<QueueRequestKey, QueueRequest>> it = requests.scan(scan)) {
            while (it.hasNext()) {
                QueueRequest r = it.next().value();
                boolean wanted = (!pending && !locked) || (pending && !r.handled()) || (locked && r.lockedAt(now));
                if (r.id().equals(exclusiveStartId.orElse(null)) || !wanted) {
                    continue;
                }
                if (items.size() == max) {
                    more = true;
                    break;
                }
                items.add(r.json());
                last = r.id();
            }
        }
        return new RequestPage(items, max, exclusiveStartId.orElse(null), more ? last : null);
    }

    private static List<JsonNode> batch(JsonNode body) {
        if (body == null || !body.isArray()) {
            throw QueueRequests.invalid("the body must be a JSON array of requests");
        }
        if (body.size() > QueueRequests.MAX_BATCH) {
            throw QueueRequests.invalid("a batch may hold at most " + QueueRequests.MAX_BATCH + " requests, got "
                    + body.size());
        }
        List<JsonNode> out = new ArrayList<>();
        body.elements().forEachRemaining(out::add);
        return out;
    }

    private List<QueueRequest> firstInHead(String queueId, int max) {
        List<QueueRequest> out = new ArrayList<>(max);
        if (max == 0) {
            return out;
        }
        KeyRange<QueueIndexKey> queue = KeyRange.of(QueueIndexKey.ofQueue(queueId));
        try (CloseableIterator<Entry<QueueIndexKey, Empty>> it = head.scan(queue)) {
            while (it.hasNext() && out.size() < max) {
                String id = it.next().key().requestId();
                requests.get(new QueueRequestKey(queueId, id)).ifPresent(out::add);
            }
        }
        return out;
    }

    private boolean hasLocks(String queueId) {
        KeyRange<QueueIndexKey> queue = KeyRange.of(QueueIndexKey.ofQueue(queueId));
        try (CloseableIterator<Entry<QueueIndexKey, Empty>> it = locks.scan(queue)) {
            return it.hasNext();
        }
    }

    private static HeadItem item(QueueRequest r, Instant lockExpiresAt) {
        return new HeadItem(r.id(), r.uniqueKey(), r.json().path("url").asText(), r.json().path("method").asText("GET"),
                QueueRequests.retryCount(r.json()), lockExpiresAt);
    }

    private static void checkLockSecs(Duration lockSecs) {
        if (lockSecs.isNegative() || lockSecs.isZero()) {
            throw ApiException.invalidValue("lockSecs must be a positive number of seconds");
        }
    }

    static String heldBy(QueueRequest r, Instant now) {
        return r.lockedAt(now) ? " (another client holds it until " + r.lockExpiresAt() + ")" : "";
    }

    static ApiException conflict(String message) {
        return new ApiException(ErrorType.REQUEST_HANDLED_OR_LOCKED, message);
    }

    private <T> T change(Caller caller, String ref, String clientKey, Function<QueueChange, T> ops) {
        return change(Need.WRITE, caller, ref, clientKey, ops, (meta, result) -> result);
    }

    /**
     * Runs {@code ops} on the queue under its lock and writes what they changed, with the queue's new counts,
     * in one batch; then {@code answer} builds the reply from the queue's metadata as written. {@code need}
     * is what the caller must be allowed: reading the head records only who reads it, so READ does for it.
     */
    private <T, R> R change(Need need, Caller caller, String ref, String clientKey, Function<QueueChange, T> ops,
                            BiFunction<StorageMeta, T, R> answer) {
        String id = (need == Need.READ ? get(caller, ref) : registry.writable(kind, caller, ref)).id();
        return registry.withLock(id, () -> {
            StorageMeta meta = registry.byId(kind, id);
            List<T> result = new ArrayList<>(1);
            StorageMeta[] written = {meta};
            registry.usage().write(meta.userId(), id, false, b -> {
                QueueChange c = new QueueChange(tables, b, meta, registry.now(), caller, clientKey);
                result.add(ops.apply(c));
                written[0] = c.metaAfter();
                if (written[0] != meta) {
                    registry.putInBatch(b, kind, written[0]);
                }
                return new StorageUsage.Charge(c.bytesAdded(), c.addedRequests());
            });
            registry.remember(kind, written[0]);
            return answer.apply(written[0], result.get(0));
        });
    }
}
