package io.actord.daemon.store;

/** One key and value read from a table. */
public record Entry<K, V>(K key, V value) {
}
