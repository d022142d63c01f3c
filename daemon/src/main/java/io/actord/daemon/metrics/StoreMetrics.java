package io.actord.daemon.metrics;

import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.StoreException;
import io.actord.daemon.state.StoreStatistics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** The state store's sizes and compactions (RocksDB's properties, summed over its tables). */
final class StoreMetrics {
    private StoreMetrics() {
    }

    /** One gauge: its name, help and where in the statistics its value is. */
    private record Figure(String name, String help, ToLongFunction<StoreStatistics> value) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("actord_state_sst_files_bytes", "The state store's table files on disk"
                    + " (rocksdb.total-sst-files-size)", StoreStatistics::sstFilesBytes),
            new Figure("actord_state_live_data_bytes", "An estimate of the state store's live data"
                    + " (rocksdb.estimate-live-data-size)", StoreStatistics::liveDataBytes),
            new Figure("actord_state_memtable_bytes", "The state store's write buffers in memory"
                    + " (rocksdb.cur-size-all-mem-tables)", StoreStatistics::memtableBytes),
            new Figure("actord_state_keys", "An estimate of the state store's keys"
                    + " (rocksdb.estimate-num-keys)", StoreStatistics::keys),
            new Figure("actord_state_compaction_pending_bytes", "An estimate of the bytes compactions have"
                    + " yet to rewrite (rocksdb.estimate-pending-compaction-bytes)",
                    StoreStatistics::pendingCompactionBytes),
            new Figure("actord_state_compactions_pending", "Tables of the state store waiting for a"
                    + " compaction (rocksdb.compaction-pending)", StoreStatistics::compactionsPending),
            new Figure("actord_state_compactions_running", "Compactions of the state store running now"
                    + " (rocksdb.num-running-compactions)", StoreStatistics::compactionsRunning),
            new Figure("actord_state_background_errors", "Failed flushes and compactions since the state"
                    + " store opened (rocksdb.background-errors)", StoreStatistics::backgroundErrors));

    /** One collector for all the figures, so a scrape reads the store's properties once, not once per gauge. */
    static void register(PrometheusRegistry registry, StateStore store) {
        registry.register((MultiCollector) () -> statistics(store).map(s -> new MetricSnapshots(FIGURES.stream()
                .<MetricSnapshot>map(f -> GaugeSnapshot.builder().name(f.name()).help(f.help())
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(f.value().applyAsLong(s))
                                .build()).build()).toList())).orElseGet(MetricSnapshots::new));
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
