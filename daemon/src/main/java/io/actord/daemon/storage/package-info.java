/**
 * Storages (key-value stores, datasets, request queues). This package holds what the run layer needs now:
 * the stored shapes, and {@link io.actord.daemon.storage.RunStorages}, which creates a run's default
 * storages and its INPUT record. The storage issue adds the stores' own operations and routes on top.
 */
package io.actord.daemon.storage;
