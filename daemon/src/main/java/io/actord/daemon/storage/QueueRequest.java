package io.actord.daemon.storage;

import io.actord.daemon.access.Caller;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A request in a request queue as stored.
 *
 * @param json          the request as the client last sent it, with {@code id} set and no top-level nulls:
 *                      crawlee rejects {@code null} in optional fields (apify-api.md rule 8), so what it gets
 *                      back is what it sent
 * @param order         its place in the queue head while unhandled (see {@link RequestQueueStore})
 * @param handledAt     when it was handled, or null
 * @param lockExpiresAt when its lock expires, or null when it is not locked (released, or expired and swept)
 * @param lockClientKey the clientKey that last locked it ("" for a client that gave none), null after a release
 * @param lockRunId     the run that last locked it, if the lock came over a run's in-run endpoint
 */
public record QueueRequest(int schemaVersion, String id, String uniqueKey, ObjectNode json, long order,
                           Instant handledAt, Instant lockExpiresAt, String lockClientKey, String lockRunId) {
    public static final int SCHEMA = 1;

    public QueueRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uniqueKey, "uniqueKey");
        Objects.requireNonNull(json, "json");
    }

    public boolean handled() {
        return handledAt != null;
    }

    /** Locked by anyone at {@code now}: an expired lock no longer counts. */
    public boolean lockedAt(Instant now) {
        return lockExpiresAt != null && lockExpiresAt.isAfter(now);
    }

    public Optional<Instant> lock() {
        return Optional.ofNullable(lockExpiresAt);
    }

    /**
     * Whether {@code caller} with {@code clientKey} took the last lock on this request (by the same client key,
     * or from the same run), whether or not it has expired since.
     */
    public boolean lockedBy(Caller caller, String clientKey) {
        boolean sameKey = lockClientKey != null && lockClientKey.equals(clientKey);
        boolean sameRun = lockRunId != null && lockRunId.equals(caller.run().orElse(null));
        return sameKey || sameRun;
    }

    /** Locked at {@code now} by someone other than {@code caller} with {@code clientKey}. */
    public boolean lockedByOtherAt(Instant now, Caller caller, String clientKey) {
        return lockedAt(now) && !lockedBy(caller, clientKey);
    }

    /** The request once its lock expired: back in the head, but its last holder may still prolong it. */
    public QueueRequest lockExpired() {
        return new QueueRequest(schemaVersion, id, uniqueKey, json, order, handledAt, null, lockClientKey, lockRunId);
    }

    public QueueRequest lockedUntil(Instant expiresAt, Caller caller, String clientKey) {
        return new QueueRequest(schemaVersion, id, uniqueKey, json, order, handledAt, expiresAt, clientKey,
                caller.run().orElse(null));
    }

    /** The request after its lock was released: nobody holds or held it. */
    public QueueRequest unlocked() {
        return new QueueRequest(schemaVersion, id, uniqueKey, json, order, handledAt, null, null, null);
    }

    public QueueRequest withJson(ObjectNode newJson, Instant newHandledAt) {
        return new QueueRequest(schemaVersion, id, uniqueKey, newJson, order, newHandledAt, lockExpiresAt, lockClientKey,
                lockRunId);
    }

    public QueueRequest at(long newOrder) {
        return new QueueRequest(schemaVersion, id, uniqueKey, json, newOrder, handledAt, lockExpiresAt, lockClientKey,
                lockRunId);
    }
}
