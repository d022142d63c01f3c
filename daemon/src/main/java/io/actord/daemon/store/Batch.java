package io.actord.daemon.store;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes collected for one atomic {@link StateStore#write}. Only valid inside the callback that received
 * it; tables add to it with {@link Table#putInBatch} and {@link Table#deleteInBatch}.
 */
public final class Batch {
    private final WriteBatch batch;
    private int operations;

    Batch(WriteBatch batch) {
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

    int operations() {
        return operations;
    }

    WriteBatch writeBatch() {
        return batch;
    }
}
