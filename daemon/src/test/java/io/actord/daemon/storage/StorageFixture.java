package io.actord.daemon.storage;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.access.Access;
import io.actord.daemon.access.Caller;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.MutableClock;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.ToLongFunction;

/** A real state store in a temporary directory, the three storage services on it, and a hand-moved clock. */
final class StorageFixture implements AutoCloseable {
    static final Caller ALICE = Caller.user("aliceUserId000001", "alice");
    static final Caller BOB = Caller.user("bobUserId00000001", "bob");

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final StateStore store;
    final StorageRegistry registry;
    final KeyValueStore kv;
    final DatasetStore datasets;
    final RequestQueueStore queues;
    /** Each user's storage limit; tests lower it. */
    volatile ToLongFunction<String> limitBytes = user -> Long.MAX_VALUE;

    StorageFixture(Path dir) {
        store = RocksStateStore.open(dir, ActorDaemon.TABLES);
        registry = new StorageRegistry(store, clock, new Access(store), user -> limitBytes.applyAsLong(user));
        kv = new KeyValueStore(registry);
        datasets = new DatasetStore(registry);
        queues = new RequestQueueStore(registry);
    }

    @Override
    public void close() {
        store.close();
    }
}
