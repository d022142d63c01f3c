package io.actord.daemon.state;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** A {@link Batch} on a RocksDB {@link WriteBatch}. */
final class RocksBatch implements Batch {
    private final WriteBatch batch;
    private int operations;

    RocksBatch(WriteBatch batch) {
        this.batch = batch;
    }

    void put(ColumnFamilyHandle cf, String table, byte[] key, byte[] value) {
        try {
            batch.put(cf, key, value);
            operations++;
        } catch (RocksDBException e) {
            throw new StoreException("add put " + table + " to batch", e);
        }
    }

    void delete(ColumnFamilyHandle cf, String table, byte[] key) {
        try {
            batch.delete(cf, key);
            operations++;
        } catch (RocksDBException e) {
            throw new StoreException("add delete " + table + " to batch", e);
        }
    }

    void deleteRange(ColumnFamilyHandle cf, String table, byte[] from, byte[] to) {
        try {
            batch.deleteRange(cf, from, to);
            operations++;
        } catch (RocksDBException e) {
            throw new StoreException("add delete range " + table + " to batch", e);
        }
    }

    /** RocksDB is this process's alone: nobody else would hear it (see {@link StoreSignals#NONE}). */
    @Override
    public void signal(String channel, String payload) {
        StoreSignals.checkChannel(channel);
    }

    int operations() {
        return operations;
    }

    WriteBatch writeBatch() {
        return batch;
    }
}
