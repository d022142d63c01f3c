package io.actord.daemon.state;

/** Turns a key or value into the bytes RocksDB stores, and back. Implementations are stateless and thread-safe. */
public interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);
}
