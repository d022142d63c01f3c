package io.actord.daemon.run;

import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.storage.StorageKind;
import io.actord.daemon.storage.StorageRegistry;
import io.actord.daemon.state.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Deletes a finished run with everything kept for it: the run, its index entries, its default storages that
 * are still unnamed with all their content, and whatever else the daemon keeps per run (tokens, sharing), in
 * one synced write; then its log and scratch files; then it compacts the deleted key ranges, so RocksDB
 * gives the space back rather than keeping tombstones. Used by retention and by {@code DELETE} of a run.
 */
public final class RunDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(RunDeletion.class);
    /** How long a deletion waits for a run that has just ended to release its container. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    private final ActiveRuns runs;
    private final StorageRegistry storages;
    private final RunLogs logs;
    private final RunFiles files;
    private final BiConsumer<Batch, String> alsoDelete;
    private final Executor worker;

    /**
     * @param alsoDelete adds the deletion of what else the daemon keeps for a run (by id) to its batch
     * @param worker     where {@link #delete} deletes (store writes, files, compaction)
     */
    public RunDeletion(ActiveRuns runs, StorageRegistry storages, RunLogs logs, RunFiles files,
                       BiConsumer<Batch, String> alsoDelete, Executor worker) {
        this.runs = runs;
        this.worker = worker;
        this.storages = storages;
        this.logs = logs;
        this.files = files;
        this.alsoDelete = alsoDelete;
    }

    /**
     * Deletes a finished run ({@code DELETE} of a run): one that has just ended is deleted once its
     * supervisor has released the container, which is waited for without holding a thread. 400
     * cannot-remove-running-run when the run has not finished, 404 when there is no such run.
     */
    public CompletableFuture<Run> delete(String runId) {
        return runs.whenReleased(runId, RELEASE_WAIT).thenApplyAsync(released -> deleteFinishedBefore(runId,
                Instant.MAX, run -> true).orElseThrow(() -> ActiveRuns.notDeletable(runs.get(runId))), worker);
    }

    /** Deletes the run if it finished before {@code cutoff}, is one of {@code which} and no supervisor holds it. */
    public Optional<Run> deleteFinishedBefore(String runId, Instant cutoff, Predicate<Run> which) {
        Map<StorageKind, String> dropped = new EnumMap<>(StorageKind.class);
        Optional<Run> run = runs.deleteFinished(runId, cutoff, which, (r, runRecords) -> dropped.putAll(
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
