package io.actord.daemon.state;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A typed view of one table. Thread-safe; single puts and deletes are durable on return, and several
 * changes that must happen together go through {@link StateStore#write} with the {@code ...InBatch} methods.
 * Keys are compared as unsigned bytes; prefixes are byte prefixes of the encoded key. Tables with typed keys
 * select ranges with a {@link KeyPrefix} or {@link KeyRange} of their key type; the {@code byte[]} forms
 * serve the tables whose keys are still raw bytes.
 */
public interface Table<K, V> {
    String name();

    /** The declaration the table was opened from: its name and codecs. */
    TableDef<K, V> def();

    Optional<V> get(K key);

    /**
     * The values of {@code keys}, in their order (empty where a key has none), read at once: one round trip to
     * PostgreSQL instead of one a key (a queue's batch of added requests), one RocksDB multi-get.
     */
    List<Optional<V>> getAll(List<K> keys);

    void put(K key, V value);

    void delete(K key);

    void putInBatch(Batch batch, K key, V value);

    void deleteInBatch(Batch batch, K key);

    /**
     * Makes the batch conditional on the value stored under {@code key} (empty: none) as the batch commits:
     * {@code conflict} says what is wrong with it, and when it says something, nothing of the batch is written and the
     * write throws {@link WriteConflictException} with that message. In a shared store (PostgreSQL) the row is read and
     * locked inside the write's transaction ({@code SELECT ... FOR UPDATE}), so no writer of that row slips between
     * the check and the commit; in a store only this process opens it is read as the batch is filled.
     */
    void requireInBatch(Batch batch, K key, Function<Optional<V>, Optional<String>> conflict);

    /** Adds deleting every key that starts with {@code prefix} to a batch, however many keys there are. */
    void deletePrefixInBatch(Batch batch, byte[] prefix);

    /** Gives back the space of deleted data under {@code prefix} (compaction, vacuum). */
    void compact(byte[] prefix);

    /** About how many bytes the keys under {@code prefix} take. */
    long approximateBytes(byte[] prefix);

    /** Writes buffered data out to where {@link #fileBytes} counts it. */
    void flush();

    /** The table's stored size in bytes (what {@link #compact} gives back shows here). */
    long fileBytes();

    /** Visits the entries the scan selects, in key order (or reverse). Close the iterator. */
    CloseableIterator<Entry<K, V>> scan(Scan scan);

    /** How many keys start with {@code prefix}; exact, so it walks them. */
    long count(byte[] prefix);

    long count();

    /** Visits the entries in {@code range}, in key order (or reverse). Close the iterator. */
    default CloseableIterator<Entry<K, V>> scan(KeyRange<K> range) {
        return scan(range.encode(def().keyCodec()));
    }

    /** How many keys are under {@code prefix}; exact, so it walks them. */
    default long count(KeyPrefix<K> prefix) {
        return count(prefix.bytes());
    }

    /** Adds deleting every key under {@code prefix} to a batch, however many keys there are. */
    default void deletePrefixInBatch(Batch batch, KeyPrefix<K> prefix) {
        deletePrefixInBatch(batch, prefix.bytes());
    }

    /** Gives back the space of deleted data under {@code prefix}. */
    default void compact(KeyPrefix<K> prefix) {
        compact(prefix.bytes());
    }

    /** About how many bytes the keys under {@code prefix} take. */
    default long approximateBytes(KeyPrefix<K> prefix) {
        return approximateBytes(prefix.bytes());
    }
}
