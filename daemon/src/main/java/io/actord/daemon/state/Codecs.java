package io.actord.daemon.state;

import java.nio.charset.StandardCharsets;

/** The codecs that need no configuration. */
public final class Codecs {
    /** UTF-8 text; UTF-8 byte order equals code-point order, so string keys scan in a sensible order. */
    public static final Codec<String> STRING = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    /** Bytes as they are: composite keys built with {@link Keys}, opaque record bodies. */
    public static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }
    };

    /** The value of index tables, whose information is all in the key. */
    public static final Codec<Empty> EMPTY = new Codec<>() {
        private final byte[] none = new byte[0];

        @Override
        public byte[] encode(Empty value) {
            return none;
        }

        @Override
        public Empty decode(byte[] bytes) {
            return Empty.INSTANCE;
        }
    };

    /** A 4-byte big-endian int. */
    public static final Codec<Integer> INT = new Codec<>() {
        @Override
        public byte[] encode(Integer value) {
            return Keys.builder().u32(value).build();
        }

        @Override
        public Integer decode(byte[] bytes) {
            if (bytes.length != Integer.BYTES) {
                throw new StoreException("decode int: expected 4 bytes, got " + bytes.length);
            }
            return Keys.reader(bytes).u32();
        }
    };

    /** An 8-byte big-endian long. */
    public static final Codec<Long> LONG = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            return Keys.builder().u64(value).build();
        }

        @Override
        public Long decode(byte[] bytes) {
            if (bytes.length != Long.BYTES) {
                throw new StoreException("decode long: expected 8 bytes, got " + bytes.length);
            }
            return Keys.reader(bytes).u64();
        }
    };

    private Codecs() {
    }

    /** The value of an index entry: nothing. */
    public enum Empty {
        INSTANCE
    }
}
