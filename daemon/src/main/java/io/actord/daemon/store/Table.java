package io.actord.daemon.store;

import java.util.Optional;

/**
 * A typed view of one table. Thread-safe; single puts and deletes are durable on return, and several
 * changes that must happen together go through {@link StateStore#write} with the {@code ...InBatch} methods.
 * Keys are compared as unsigned bytes; prefixes are byte prefixes of the encoded key.
 */
public interface Table<K, V> {
    String name();

    Optional<V> get(K key);

    void put(K key, V value);

    void delete(K key);

    void putInBatch(Batch batch, K key, V value);

    void deleteInBatch(Batch batch, K key);

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
}
