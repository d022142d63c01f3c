package io.actord.daemon.metrics;

import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.StoreException;
import io.actord.daemon.state.StoreStatistics;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Optional;
import java.util.function.ToLongFunction;

/** The state store's sizes and compactions (RocksDB's properties, summed over its tables). */
final class StoreMetrics {
    private StoreMetrics() {
    }

    static void register(PrometheusRegistry registry, StateStore store) {
        gauge(registry, store, "actord_state_sst_files_bytes", "The state store's table files on disk"
                + " (rocksdb.total-sst-files-size)", StoreStatistics::sstFilesBytes);
        gauge(registry, store, "actord_state_live_data_bytes", "An estimate of the state store's live data"
                + " (rocksdb.estimate-live-data-size)", StoreStatistics::liveDataBytes);
        gauge(registry, store, "actord_state_memtable_bytes", "The state store's write buffers in memory"
                + " (rocksdb.cur-size-all-mem-tables)", StoreStatistics::memtableBytes);
        gauge(registry, store, "actord_state_keys", "An estimate of the state store's keys"
                + " (rocksdb.estimate-num-keys)", StoreStatistics::keys);
        gauge(registry, store, "actord_state_compaction_pending_bytes", "An estimate of the bytes compactions have"
                + " yet to rewrite (rocksdb.estimate-pending-compaction-bytes)", StoreStatistics::pendingCompactionBytes);
        gauge(registry, store, "actord_state_compactions_pending", "Tables of the state store waiting for a"
                + " compaction (rocksdb.compaction-pending)", StoreStatistics::compactionsPending);
        gauge(registry, store, "actord_state_compactions_running", "Compactions of the state store running now"
                + " (rocksdb.num-running-compactions)", StoreStatistics::compactionsRunning);
        gauge(registry, store, "actord_state_background_errors", "Failed flushes and compactions since the state"
                + " store opened (rocksdb.background-errors)", StoreStatistics::backgroundErrors);
    }

    private static void gauge(PrometheusRegistry registry, StateStore store, String name, String help,
                              ToLongFunction<StoreStatistics> figure) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> statistics(store).ifPresent(s -> cb.call(figure.applyAsLong(s))))
                .register(registry);
    }

    /** Nothing while the store is closing: a scrape then leaves the figures out rather than failing. */
    private static Optional<StoreStatistics> statistics(StateStore store) {
        try {
            return store.statistics();
        } catch (StoreException e) {
            return Optional.empty();
        }
    }
}
