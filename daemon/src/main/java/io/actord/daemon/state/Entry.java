package io.actord.daemon.state;

/** One key and value read from a table. */
public record Entry<K, V>(K key, V value) {
}
