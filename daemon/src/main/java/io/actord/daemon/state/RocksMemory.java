package io.actord.daemon.state;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;

/**
 * RocksDB's memory, bounded for a daemon that must idle small (issue #24: under 150 MB RSS). The state store has one
 * column family per table (about ninety), and RocksDB's defaults are sized for one big table each: a 64 MB write
 * buffer per column family, write buffers allocated 1 MB at a time (so every table written since its last flush
 * held at least 1 MB), a WAL kept until every table in it flushed (bounded only by 4 × all the write buffers), a
 * 32 MB block cache. Here: small write buffers that grow in small blocks, the WAL bounded at {@link #MAX_TOTAL_WAL}
 * (past it RocksDB flushes the tables that keep its oldest file, which is what bounds the write buffers when many
 * tables are written a little each, RocksMemoryTest), all write buffers together at {@link
 * #ALL_WRITE_BUFFERS} (past it the oldest is flushed), and one small block cache for every table. The data written
 * is the same and as durable: the WAL is on, synced writes stay synced, a flush only moves to an SST file sooner
 * what is in memory.
 */
final class RocksMemory {
    /** All column families' write buffers (memtables) together; past it the oldest is flushed. */
    static final long ALL_WRITE_BUFFERS = 8L << 20;
    /** One column family's write buffer: flushed to an SST file when full. */
    static final long WRITE_BUFFER = 4L << 20;
    /** A write buffer grows by blocks of this size (RocksDB's default: 1 MB, an eighth of the buffer). */
    static final long ARENA_BLOCK = 64L << 10;
    /** The WAL files together; past it the column families that keep the oldest one are flushed. */
    static final long MAX_TOTAL_WAL = 16L << 20;
    /** The block cache that every column family (and every store this process opens) shares. */
    static final long BLOCK_CACHE = 8L << 20;

    private RocksMemory() {
    }

    /** The database's options (the caller's {@code createIfMissing} and the rest added to them). */
    static DBOptions dbOptions() {
        return new DBOptions()
                .setDbWriteBufferSize(ALL_WRITE_BUFFERS)
                .setMaxTotalWalSize(MAX_TOTAL_WAL);
    }

    /** Every column family's options: small write buffers in small blocks, the shared block cache. */
    static ColumnFamilyOptions columnFamilyOptions() {
        return new ColumnFamilyOptions()
                .setWriteBufferSize(WRITE_BUFFER)
                .setArenaBlockSize(ARENA_BLOCK)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(SharedCache.CACHE));
    }

    /** The block cache, made once (the RocksDB library is loaded by then) and kept for the process's life. */
    private static final class SharedCache {
        static final Cache CACHE = new LRUCache(BLOCK_CACHE);
    }
}
