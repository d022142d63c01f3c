package io.actord.daemon.storage;

import io.actord.daemon.access.Access;
import io.actord.daemon.state.StateStore;

import java.time.Clock;
import java.util.function.ToLongFunction;

/** The storage services on one state store, made together because they share the registry and its locks. */
public record Storages(StorageRegistry registry, KeyValueStore keyValueStores, DatasetStore datasets,
                       RequestQueueStore requestQueues) {
    /** @param limitBytes a user's storage limit in bytes */
    public static Storages open(StateStore store, Clock clock, Access access, ToLongFunction<String> limitBytes) {
        return open(store, clock, access, limitBytes, DatasetItemCap.NONE);
    }

    /** @param itemCap the most items a dataset may hold (a run's maxItems) */
    public static Storages open(StateStore store, Clock clock, Access access, ToLongFunction<String> limitBytes,
                                DatasetItemCap itemCap) {
        StorageRegistry registry = new StorageRegistry(store, clock, access, limitBytes);
        return new Storages(registry, new KeyValueStore(registry), new DatasetStore(registry, itemCap),
                new RequestQueueStore(registry));
    }
}
