package io.actord.daemon.run;

import io.actord.daemon.log.RunLogs;
import io.actord.daemon.storage.StorageKind;
import io.actord.daemon.storage.StorageRegistry;
import io.actord.daemon.store.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Deletes a finished run with everything kept for it: the run, its index entries, its default storages that
 * are still unnamed with all their content, and whatever else the daemon keeps per run (tokens, sharing), in
 * one synced write; then its log and scratch files; then it compacts the deleted key ranges, so RocksDB
 * gives the space back rather than keeping tombstones. Used by retention and by {@code DELETE} of a run.
 */
public final class RunDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(RunDeletion.class);

    private final RunService runs;
    private final StorageRegistry storages;
    private final RunLogs logs;
    private final RunFiles files;
    private final BiConsumer<Batch, String> alsoDelete;

    /** @param alsoDelete adds the deletion of what else the daemon keeps for a run (by id) to its batch */
    public RunDeletion(RunService runs, StorageRegistry storages, RunLogs logs, RunFiles files,
                       BiConsumer<Batch, String> alsoDelete) {
        this.runs = runs;
        this.storages = storages;
        this.logs = logs;
        this.files = files;
        this.alsoDelete = alsoDelete;
    }

    /** Deletes the run if it finished before {@code cutoff} and nothing supervises it any more. */
    public Optional<Run> deleteFinishedBefore(String runId, Instant cutoff) {
        Map<StorageKind, String> dropped = new EnumMap<>(StorageKind.class);
        Optional<Run> run = runs.deleteFinished(runId, cutoff, (r, runRecords) -> dropped.putAll(
                storages.purgeUnnamed(defaults(r), b -> {
                    runRecords.accept(b);
                    alsoDelete.accept(b, r.id());
                })));
        if (run.isEmpty()) {
            return run;
        }
        try {
            logs.delete(runId);
            files.delete(runId);
        } catch (UncheckedIOException e) {
            LOG.warn("run={} deleted, but not all its files: {}", runId, e.getMessage());
        }
        dropped.forEach(storages::compact);
        LOG.debug("run={} finished={} deleted with storages={}", runId, run.get().finishedAt(), dropped.values());
        return run;
    }

    private static Map<StorageKind, String> defaults(Run r) {
        Map<StorageKind, String> ids = new EnumMap<>(StorageKind.class);
        ids.put(StorageKind.KEY_VALUE_STORE, r.defaultKeyValueStoreId());
        ids.put(StorageKind.DATASET, r.defaultDatasetId());
        ids.put(StorageKind.REQUEST_QUEUE, r.defaultRequestQueueId());
        return ids;
    }
}
