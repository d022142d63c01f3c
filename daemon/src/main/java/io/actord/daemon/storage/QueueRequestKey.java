package io.actord.daemon.storage;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;

/** The key of {@link StorageTables#RQ_REQUESTS}, {@code queueId|requestId}: a queue's requests in id order. */
public record QueueRequestKey(String queueId, String requestId) implements StorageContentKey {
    public static final KeyCodec<QueueRequestKey> CODEC = KeyCodec.of((k, out) -> out.str(k.queueId).tail(k.requestId),
            in -> new QueueRequestKey(in.str(), in.tail()));

    /** The requests of one queue. */
    public static KeyPrefix<QueueRequestKey> ofQueue(String queueId) {
        return StorageContentKey.ofStorage(queueId);
    }

    @Override
    public String storageId() {
        return queueId;
    }
}
