package io.actord.daemon.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Composite keys. Numbers are fixed-width big-endian and strings are UTF-8 ended by a 0x00 separator, so
 * the byte order RocksDB sorts by is the logical order: {@code actorId|startedAt|runId} scans one actor's
 * runs oldest first. Only non-negative numbers keep their order (timestamps, counters, indexes).
 */
public final class Keys {
    /** Ends a string component; ids, names and record keys never contain it. */
    public static final byte SEPARATOR = 0x00;

    /**
     * The longest key that every state store takes. PostgreSQL's btree, behind each table's primary key, refuses an
     * entry over a third of a page (2,704 bytes of an 8 kB page); RocksDB takes any length. Both refuse a longer key
     * alike ({@link #storable}), and the API's own limits keep the keys it makes far below (record keys and
     * idempotency keys at most 256 characters, names 63, request ids a hash of the unique key).
     */
    public static final int MAX_KEY_BYTES = 2048;

    private Keys() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Reader reader(byte[] key) {
        return new Reader(key);
    }

    /**
     * {@code key} for a put into {@code table}.
     *
     * @throws StoreException when the key is longer than {@value #MAX_KEY_BYTES} bytes
     */
    static byte[] storable(String table, byte[] key) {
        if (key.length > MAX_KEY_BYTES) {
            throw new StoreException("put " + table + ": the key is " + key.length + " bytes, over the "
                    + MAX_KEY_BYTES + " every state store takes");
        }
        return key;
    }

    /** The key of one string component followed by the separator: the prefix of every key under it. */
    public static byte[] prefix(String component) {
        return builder().str(component).build();
    }

    /**
     * The smallest key that sorts after every key starting with {@code prefix}, or empty when no such key
     * exists (the prefix is all 0xFF). Reverse scans seek just before it.
     */
    public static Optional<byte[]> prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Optional.of(Arrays.copyOf(end, i + 1));
            }
        }
        return Optional.empty();
    }

    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Appends key components in order. */
    public static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        /** A string component and the separator after it. */
        public Builder str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                if (b == SEPARATOR) {
                    throw new IllegalArgumentException("a key component must not contain NUL: " + s);
                }
            }
            out.writeBytes(bytes);
            out.write(SEPARATOR);
            return this;
        }

        /** The last component: a string with no separator, so prefixes of it match as prefixes of the key. */
        public Builder tail(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public Builder u64(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (v >>> shift));
            }
            return this;
        }

        public Builder u32(int v) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write(v >>> shift);
            }
            return this;
        }

        public Builder bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        public byte[] build() {
            return out.toByteArray();
        }
    }

    /** Reads key components back in the order they were written. */
    public static final class Reader {
        private final byte[] key;
        private int pos;

        private Reader(byte[] key) {
            this.key = key;
        }

        public String str() {
            int end = pos;
            while (end < key.length && key[end] != SEPARATOR) {
                end++;
            }
            if (end == key.length) {
                throw new StoreException("read key component at " + pos + ": no separator in a " + key.length
                        + "-byte key");
            }
            String s = new String(key, pos, end - pos, StandardCharsets.UTF_8);
            pos = end + 1;
            return s;
        }

        public String tail() {
            String s = new String(key, pos, key.length - pos, StandardCharsets.UTF_8);
            pos = key.length;
            return s;
        }

        public long u64() {
            need(Long.BYTES);
            long v = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                v = (v << 8) | (key[pos++] & 0xFF);
            }
            return v;
        }

        public int u32() {
            need(Integer.BYTES);
            int v = 0;
            for (int i = 0; i < Integer.BYTES; i++) {
                v = (v << 8) | (key[pos++] & 0xFF);
            }
            return v;
        }

        /** Refuses a key with bytes left after the components read (a key of another layout). */
        void requireEnd() {
            if (pos != key.length) {
                throw new StoreException("read key: " + (key.length - pos) + " bytes left after the last component"
                        + " of a " + key.length + "-byte key");
            }
        }

        private void need(int n) {
            if (key.length - pos < n) {
                throw new StoreException("read " + n + " key bytes at " + pos + ": the key has " + key.length);
            }
        }
    }
}
