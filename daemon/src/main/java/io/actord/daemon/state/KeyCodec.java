package io.actord.daemon.state;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The codec of a composite key record: {@code write} appends the record's components in order with a
 * {@link Keys.Builder}, {@code read} takes them back in the same order from a {@link Keys.Reader}. The bytes
 * are exactly {@link Keys}' layout (strings ended by the separator, numbers fixed-width big-endian, an
 * unended string last), so byte order stays the order of the components and data written before the key
 * had a type reads back unchanged. A key with bytes left after its last component does not decode.
 * The key records' {@link KeyPrefix}es are built from the same components.
 */
public final class KeyCodec<K> implements Codec<K> {
    private final BiConsumer<K, Keys.Builder> write;
    private final Function<Keys.Reader, K> read;

    private KeyCodec(BiConsumer<K, Keys.Builder> write, Function<Keys.Reader, K> read) {
        this.write = Objects.requireNonNull(write, "write");
        this.read = Objects.requireNonNull(read, "read");
    }

    /** A codec that writes a key with {@code write} and reads it back with {@code read}, component by component. */
    public static <K> KeyCodec<K> of(BiConsumer<K, Keys.Builder> write, Function<Keys.Reader, K> read) {
        return new KeyCodec<>(write, read);
    }

    @Override
    public byte[] encode(K key) {
        Keys.Builder out = Keys.builder();
        write.accept(key, out);
        return out.build();
    }

    @Override
    public K decode(byte[] bytes) {
        Keys.Reader in = Keys.reader(bytes);
        K key = read.apply(in);
        in.requireEnd();
        return key;
    }
}
