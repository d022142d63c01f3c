package io.actord.daemon.run;

import io.actord.daemon.log.RunLogs;
import io.actord.daemon.storage.StorageKind;
import io.actord.daemon.storage.StorageRegistry;
import io.actord.daemon.store.Batch;
import io.actord.daemon.store.CloseableIterator;
import io.actord.daemon.store.Codecs.Empty;
import io.actord.daemon.store.Entry;
import io.actord.daemon.store.Keys;
import io.actord.daemon.store.Scan;
import io.actord.daemon.store.StateStore;
import io.actord.daemon.store.Table;
import io.actord.daemon.store.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Data retention (Apify: runs and their default storages are deleted after the retention period; named
 * storages stay). A background sweep, on a thread of its own so a long compaction never delays a run's
 * timers, deletes each run that finished longer ago than the period: the run, its index entries, its
 * default storages that are still unnamed with all their content, and whatever else the daemon keeps per
 * run (tokens, sharing), in one synced write; then its log and scratch files; then it compacts the deleted
 * key ranges, so RocksDB gives the space back rather than keeping tombstones.
 */
public final class RunRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRetention.class);
    private static final int PER_PASS = 1000;
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_INTERVAL = Duration.ofMinutes(10);

    private final RunService runs;
    private final StorageRegistry storages;
    private final RunLogs logs;
    private final RunFiles files;
    private final Table<byte[], Empty> byFinish;
    private final BiConsumer<Batch, String> alsoDelete;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;

    /**
     * Starts sweeping every quarter of the retention period (between 1 s and 10 min).
     *
     * @param alsoDelete adds the deletion of what else the daemon keeps for a run (by id) to its batch
     */
    public RunRetention(RunService runs, StorageRegistry storages, RunLogs logs, RunFiles files, StateStore store,
                        BiConsumer<Batch, String> alsoDelete, Duration retention, Clock clock) {
        this.runs = runs;
        this.storages = storages;
        this.logs = logs;
        this.files = files;
        this.byFinish = store.table(Tables.RUNS_BY_FINISH);
        this.alsoDelete = alsoDelete;
        this.retention = retention;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(MIN_INTERVAL.toMillis(), Math.min(MAX_INTERVAL.toMillis(), retention.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.info("retention period={} sweep every {} ms", retention, every);
    }

    /** Deletes every run that finished before now minus the retention period; returns how many. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        List<String> due;
        do {
            due = due(cutoff);
            for (String runId : due) {
                if (delete(runId, cutoff)) {
                    deleted++;
                }
            }
        } while (due.size() == PER_PASS);
        if (deleted > 0) {
            LOG.info("retention deleted runs={} finished before={}", deleted, cutoff);
        }
        return deleted;
    }

    /** The runs that finished before {@code cutoff}, the earliest first, at most {@value #PER_PASS}. */
    private List<String> due(Instant cutoff) {
        List<String> ids = new ArrayList<>();
        try (CloseableIterator<Entry<byte[], Empty>> it = byFinish.scan(Scan.all())) {
            while (it.hasNext() && ids.size() < PER_PASS) {
                Keys.Reader key = Keys.reader(it.next().key());
                if (key.u64() >= cutoff.toEpochMilli()) {
                    break;
                }
                ids.add(key.tail());
            }
        }
        return ids;
    }

    private boolean delete(String runId, Instant cutoff) {
        Map<StorageKind, String> dropped = new EnumMap<>(StorageKind.class);
        Optional<Run> run = runs.deleteFinished(runId, cutoff, (r, runRecords) -> dropped.putAll(
                storages.purgeUnnamed(defaults(r), b -> {
                    runRecords.accept(b);
                    alsoDelete.accept(b, r.id());
                })));
        if (run.isEmpty()) {
            return false;
        }
        try {
            logs.delete(runId);
            files.delete(runId);
        } catch (UncheckedIOException e) {
            LOG.warn("retention run={} deleted, but not all its files: {}", runId, e.getMessage());
        }
        dropped.forEach(storages::compact);
        LOG.debug("retention run={} finished={} deleted with storages={}", runId, run.get().finishedAt(),
                dropped.values());
        return true;
    }

    private static Map<StorageKind, String> defaults(Run r) {
        Map<StorageKind, String> ids = new EnumMap<>(StorageKind.class);
        ids.put(StorageKind.KEY_VALUE_STORE, r.defaultKeyValueStoreId());
        ids.put(StorageKind.DATASET, r.defaultDatasetId());
        ids.put(StorageKind.REQUEST_QUEUE, r.defaultRequestQueueId());
        return ids;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.error("retention sweep failed; the next one retries", e);
        }
    }

    /** Stops sweeping and waits for a sweep in progress (before the store closes). */
    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            if (!sweeper.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("retention sweep still running after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
