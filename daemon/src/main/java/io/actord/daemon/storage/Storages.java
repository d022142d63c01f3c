package io.actord.daemon.storage;

import io.actord.daemon.access.Access;
import io.actord.daemon.state.StateStore;

import java.time.Clock;

/** The storage services on one state store, made together because they share the registry and its locks. */
public record Storages(StorageRegistry registry, KeyValueStore keyValueStores, DatasetStore datasets,
                       RequestQueueStore requestQueues) {
    public static Storages open(StateStore store, Clock clock, Access access) {
        StorageRegistry registry = new StorageRegistry(store, clock, access);
        return new Storages(registry, new KeyValueStore(registry), new DatasetStore(registry),
                new RequestQueueStore(registry));
    }
}
