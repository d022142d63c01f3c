package io.actord.daemon.testing;

import java.io.ByteArrayOutputStream;

/**
 * Writes a valid Brotli stream (RFC 7932) made of uncompressed meta-blocks: enough to test the decoder
 * without a Brotli encoder on the test classpath (org.brotli:dec only decodes).
 */
public final class Brotli {
    private static final int CHUNK = 1 << 16;

    private Brotli() {
    }

    public static byte[] compressUncompressed(byte[] data) {
        Bits bits = new Bits();
        bits.write(0, 1); // WBITS = 16
        for (int off = 0; off < data.length; off += CHUNK) {
            int len = Math.min(CHUNK, data.length - off);
            bits.write(0, 1); // ISLAST = 0
            bits.write(0, 2); // MNIBBLES = 4
            bits.write(len - 1, 16); // MLEN - 1
            bits.write(1, 1); // ISUNCOMPRESSED
            bits.alignAndWrite(data, off, len);
        }
        bits.write(1, 1); // ISLAST
        bits.write(1, 1); // ISLASTEMPTY
        return bits.finish();
    }

    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        void write(int value, int count) {
            for (int i = 0; i < count; i++) {
                acc |= ((value >>> i) & 1) << n;
                if (++n == 8) {
                    flushByte();
                }
            }
        }

        void alignAndWrite(byte[] data, int off, int len) {
            if (n > 0) {
                flushByte();
            }
            out.write(data, off, len);
        }

        byte[] finish() {
            if (n > 0) {
                flushByte();
            }
            return out.toByteArray();
        }

        private void flushByte() {
            out.write(acc);
            acc = 0;
            n = 0;
        }
    }
}
