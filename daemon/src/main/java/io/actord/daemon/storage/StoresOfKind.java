package io.actord.daemon.storage;

import io.actord.daemon.access.Caller;

import java.util.Optional;

/**
 * What the stores of one kind share: the storage records themselves (get-or-create by name, get, rename,
 * delete, list) live in the {@link StorageRegistry}; each subclass adds its own contents.
 */
public abstract sealed class StoresOfKind permits DatasetStore, KeyValueStore, RequestQueueStore {
    protected final StorageRegistry registry;
    protected final StorageKind kind;

    StoresOfKind(StorageRegistry registry, StorageKind kind) {
        this.registry = registry;
        this.kind = kind;
    }

    public StorageRegistry.Opened getOrCreate(Caller caller, Optional<String> name) {
        return registry.getOrCreate(kind, caller, name);
    }

    public StorageMeta get(Caller caller, String ref) {
        return registry.get(kind, caller, ref);
    }

    public StorageMeta rename(Caller caller, String ref, Optional<String> name) {
        return registry.rename(kind, caller, ref, name);
    }

    public void delete(Caller caller, String ref) {
        registry.delete(kind, caller, ref);
    }

    public Listing<StorageMeta> list(Caller caller, long offset, long limit, boolean desc, boolean unnamed) {
        return registry.list(kind, caller, offset, limit, desc, unnamed);
    }
}
