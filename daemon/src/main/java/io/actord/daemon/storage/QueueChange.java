package io.actord.daemon.storage;

import io.actord.daemon.access.Caller;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One change to a request queue, collected in one batch. Reads see the change's own earlier writes, which
 * the batch does not. Head order is one u64: forefront requests count down from 2^62 and the others up from
 * it, using the queue's sequence, so the newest forefront request is first and the rest keep insertion order.
 */
final class QueueChange {
private static final long BASE = 1L << 62;

    private final Table<QueueRequestKey, QueueRequest> requests;
    private final Table<QueueIndexKey, Empty> head;
    private final Table<QueueIndexKey, Empty> locks;
    private final Batch batch;
    private final StorageMeta before;
    private final String queueId;
    private final Instant now;
    private final Caller caller;
    private final String clientKey;
    private final Map<String, Optional<QueueRequest>> touched = new HashMap<>();
    private StorageMeta.Counts counts;
    private boolean modified;
    private long bytesAdded;
    private boolean addedRequests;

    QueueChange(RequestQueueStore.QueueTables tables, Batch batch, StorageMeta meta, Instant now, Caller caller,
                String clientKey) {
        this.requests = tables.requests();
        this.head = tables.head();
        this.locks = tables.locks();
        this.batch = batch;
        this.before = meta;
        this.queueId = meta.id();
        this.now = now;
        this.caller = caller;
        this.clientKey = clientKey;
        this.counts = meta.counts().seenClient(clientKey);
    }

    String queueId() {
        return queueId;
    }

    Instant now() {
        return now;
    }

    /**
     * The queue's metadata after the change: modified (content or locks changed), only accessed (a new client
     * key seen), or {@code before} itself when nothing changed.
     */
    /** How many bytes the change adds to the queue's requests as stored (negative when it frees some). */
    long bytesAdded() {
        return bytesAdded;
    }

    /**
     * Whether the change adds or rewrites requests (what a user over their storage limit may not do), rather
     * than only locking, releasing or deleting them (which always works).
     */
    boolean addedRequests() {
        return addedRequests;
    }

    StorageMeta metaAfter() {
        if (modified) {
            return before.modified(counts, now);
        }
        if (counts.equals(before.counts())) {
            return before;
        }
        return new StorageMeta(before.schemaVersion(), before.id(), before.name(), before.userId(),
                before.createdAt(), before.modifiedAt(), now, before.actId(), before.actRunId(), counts);
    }

    /** No client changes a request another client has locked (a client without a key is one client, ""). */
    void checkNotLockedByOther(QueueRequest r) {
        if (r.lockedByOtherAt(now, caller, clientKey)) {
            throw RequestQueueStore.conflict("request '" + r.id() + "' is locked by another client"
                    + RequestQueueStore.heldBy(r, now));
        }
    }

    /** Reads the requests {@code ids} that this change has not read yet at once, for the {@link #find}s to come. */
    void prefetch(List<String> ids) {
        List<String> unread = ids.stream().distinct().filter(id -> !touched.containsKey(id)).toList();
        List<Optional<QueueRequest>> found = requests.getAll(unread.stream()
                .map(id -> new QueueRequestKey(queueId, id)).toList());
        for (int i = 0; i < unread.size(); i++) {
            touched.put(unread.get(i), found.get(i));
        }
    }

    Optional<QueueRequest> find(String requestId) {
        return touched.computeIfAbsent(requestId, id -> requests.get(new QueueRequestKey(queueId, id)));
    }

    RequestQueueStore.Added insert(QueueRequests.Parsed p, boolean forefront) {
        Optional<QueueRequest> existing = find(p.id());
        if (existing.isPresent()) {
            return new RequestQueueStore.Added(p.id(), existing.get().uniqueKey(), true, existing.get().handled());
        }
        QueueRequest r = new QueueRequest(QueueRequest.SCHEMA, p.id(), p.uniqueKey(), p.json(),
                nextOrder(forefront), p.handledAt().orElse(null), null, null, null);
        counts = counts.requests(1, r.handled() ? 1 : 0, counts.sequence());
        addedRequests = true;
        put(r);
        return new RequestQueueStore.Added(p.id(), p.uniqueKey(), false, false);
    }

    RequestQueueStore.Added replace(QueueRequests.Parsed p, boolean forefront) {
        Optional<QueueRequest> existing = find(p.id());
        if (existing.isEmpty()) {
            return insert(p, forefront);
        }
        QueueRequest old = existing.get();
        checkNotLockedByOther(old);
        unindex(old);
        QueueRequest r = old.withJson(p.json(), p.handledAt().orElse(null)).unlocked();
        if (!r.handled()) {
            r = r.at(nextOrder(forefront));
        }
        counts = counts.requests(0, (r.handled() ? 1 : 0) - (old.handled() ? 1 : 0), counts.sequence());
        addedRequests = true;
        put(r);
        return new RequestQueueStore.Added(p.id(), old.uniqueKey(), true, old.handled());
    }

    void remove(QueueRequest r) {
        checkNotLockedByOther(r);
        unindex(r);
        requests.deleteInBatch(batch, new QueueRequestKey(queueId, r.id()));
        bytesAdded -= find(r.id()).map(StorageUsage::requestBytes).orElse(0L);
        touched.put(r.id(), Optional.empty());
        counts = counts.requests(-1, r.handled() ? -1 : 0, counts.sequence());
        modified = true;
    }

    QueueRequest lock(QueueRequest r, Instant until, Caller caller, String clientKey) {
        unindex(r);
        QueueRequest locked = r.lockedUntil(until, caller, clientKey);
        put(locked);
        return locked;
    }

    void release(QueueRequest r, boolean forefront) {
        unindex(r);
        QueueRequest free = r.unlocked();
        put(forefront ? free.at(nextOrder(true)) : free);
    }

    /** Puts every request whose lock has expired back in the head, at its old place. */
    void releaseExpired() {
        for (QueueRequest r : locked()) {
            if (!r.lockedAt(now)) {
                unindex(r);
                put(r.lockExpired());
            }
        }
    }

    /** The queue's locked requests, soonest expiry first. */
    List<QueueRequest> locked() {
        List<QueueRequest> out = new ArrayList<>();
        KeyRange<QueueIndexKey> queue = KeyRange.of(QueueIndexKey.ofQueue(queueId));
        try (CloseableIterator<Entry<QueueIndexKey, Empty>> it = locks.scan(queue)) {
            while (it.hasNext()) {
                find(it.next().key().requestId()).ifPresent(out::add);
            }
        }
        return out;
    }

    long nextOrder(boolean forefront) {
        long seq = counts.sequence() + 1;
        counts = counts.requests(0, 0, seq);
        return forefront ? BASE - seq : BASE + seq;
    }

    private void put(QueueRequest r) {
        bytesAdded += StorageUsage.requestBytes(r) - find(r.id()).map(StorageUsage::requestBytes).orElse(0L);
        requests.putInBatch(batch, new QueueRequestKey(queueId, r.id()), r);
        if (!r.handled()) {
            if (r.lockExpiresAt() != null) {
                locks.putInBatch(batch, new QueueIndexKey(queueId, r.lockExpiresAt().toEpochMilli(), r.id()),
                        Empty.INSTANCE);
            } else {
                head.putInBatch(batch, new QueueIndexKey(queueId, r.order(), r.id()), Empty.INSTANCE);
            }
        }
        touched.put(r.id(), Optional.of(r));
        modified = true;
    }

    private void unindex(QueueRequest r) {
        if (r.handled()) {
            return;
        }
        if (r.lockExpiresAt() != null) {
            locks.deleteInBatch(batch, new QueueIndexKey(queueId, r.lockExpiresAt().toEpochMilli(), r.id()));
        } else {
            head.deleteInBatch(batch, new QueueIndexKey(queueId, r.order(), r.id()));
        }
    }
}
