package io.actord.daemon.state;

/**
 * What an operator watches of the store, summed over its tables: the figures RocksDB keeps as properties
 * (named with each component).
 *
 * @param sstFilesBytes          the table files on disk ({@code rocksdb.total-sst-files-size})
 * @param liveDataBytes          an estimate of the data a full compaction would keep
 *                               ({@code rocksdb.estimate-live-data-size})
 * @param memtableBytes          the write buffers in memory ({@code rocksdb.cur-size-all-mem-tables})
 * @param keys                   an estimate of the keys ({@code rocksdb.estimate-num-keys})
 * @param pendingCompactionBytes an estimate of the bytes compactions have yet to rewrite
 *                               ({@code rocksdb.estimate-pending-compaction-bytes})
 * @param compactionsPending     how many tables wait for a compaction ({@code rocksdb.compaction-pending})
 * @param compactionsRunning     compactions running now ({@code rocksdb.num-running-compactions})
 * @param backgroundErrors       errors of flushes and compactions since the store opened
 *                               ({@code rocksdb.background-errors})
 */
public record StoreStatistics(long sstFilesBytes, long liveDataBytes, long memtableBytes, long keys,
                              long pendingCompactionBytes, long compactionsPending, long compactionsRunning,
                              long backgroundErrors) {
}
