package io.actord.daemon.state;

import java.util.Arrays;

/**
 * The leading components of the keys of a table keyed by {@code K} (for example a store id, before the
 * record keys of that store): what scans, counts, compactions and range deletes select by. Built by the key
 * record that owns the layout, from the same components its {@link KeyCodec} writes first.
 */
public final class KeyPrefix<K> {
    private static final KeyPrefix<?> ALL = new KeyPrefix<>(new byte[0]);

    private final byte[] bytes;

    private KeyPrefix(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The prefix that {@code leading} has written: the first components of a key, in the codec's layout. */
    public static <K> KeyPrefix<K> of(Keys.Builder leading) {
        return new KeyPrefix<>(leading.build());
    }

    /** The empty prefix: every key of the table. */
    @SuppressWarnings("unchecked")
    public static <K> KeyPrefix<K> all() {
        return (KeyPrefix<K>) ALL;
    }

    /** The encoded prefix, which an implementation of {@link Table} matches keys against; a copy. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPrefix<?> p && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return RocksTable.printable(bytes);
    }
}
