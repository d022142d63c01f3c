/**
 * Storages: key-value stores ({@link io.actord.daemon.storage.KeyValueStore}), datasets
 * ({@link io.actord.daemon.storage.DatasetStore}) and request queues ({@link io.actord.daemon.storage.RequestQueueStore}),
 * with Apify's semantics and limits, kept in the state store. {@link io.actord.daemon.storage.StorageRegistry}
 * holds what the three share (metadata, names, the per-storage lock); {@link io.actord.daemon.storage.RunStorages}
 * creates a run's default storages and its INPUT record.
 */
package io.actord.daemon.storage;
