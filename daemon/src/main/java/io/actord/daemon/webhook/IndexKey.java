package io.actord.daemon.webhook;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

import java.time.Instant;

/**
 * The key of this package's index tables, {@code owner|createdAt(8B)|id|}: the webhooks or dispatches of one
 * owner (a user, a webhook, a condition's target) in the order they were made.
 */
public record IndexKey(String owner, long createdAtMillis, String id) {
    public static final KeyCodec<IndexKey> CODEC = KeyCodec.of((k, out) -> out.str(k.owner).u64(k.createdAtMillis)
            .str(k.id), in -> new IndexKey(in.str(), in.u64(), in.str()));

    static IndexKey of(String owner, Instant createdAt, String id) {
        return new IndexKey(owner, createdAt.toEpochMilli(), id);
    }

    /** Every key of {@code owner}. */
    static KeyPrefix<IndexKey> of(String owner) {
        return KeyPrefix.of(Keys.builder().str(owner));
    }
}
