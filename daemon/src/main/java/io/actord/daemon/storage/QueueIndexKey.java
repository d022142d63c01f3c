package io.actord.daemon.storage;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;

/**
 * The key of a queue's request indexes, {@code queueId|position(8B)|requestId}: in {@link StorageTables#RQ_HEAD}
 * the position is the request's head order (forefront first), in {@link StorageTables#RQ_LOCKS} the epoch
 * millisecond its lock expires at (soonest first).
 */
public record QueueIndexKey(String queueId, long position, String requestId) implements StorageContentKey {
    public static final KeyCodec<QueueIndexKey> CODEC = KeyCodec.of(
            (k, out) -> out.str(k.queueId).u64(k.position).tail(k.requestId),
            in -> new QueueIndexKey(in.str(), in.u64(), in.tail()));

    /** The indexed requests of one queue, in position order. */
    public static KeyPrefix<QueueIndexKey> ofQueue(String queueId) {
        return StorageContentKey.ofStorage(queueId);
    }

    @Override
    public String storageId() {
        return queueId;
    }
}
