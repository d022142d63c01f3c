package io.actord.daemon.storage;

import io.actord.daemon.state.Codec;
import io.actord.daemon.state.StoreException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record stored as {@code u16 length | content type (UTF-8) | value}: binary, because records are
 * often large or not text, and JSON would inflate them.
 */
public final class KvRecordCodec implements Codec<KvRecord> {
    private static final int MAX_CONTENT_TYPE = 0xFFFF;

    @Override
    public byte[] encode(KvRecord record) {
        byte[] ct = record.contentType().getBytes(StandardCharsets.UTF_8);
        if (ct.length > MAX_CONTENT_TYPE) {
            throw new StoreException("encode record: content type of " + ct.length + " bytes is too long");
        }
        return ByteBuffer.allocate(2 + ct.length + record.value().length)
                .putShort((short) ct.length).put(ct).put(record.value()).array();
    }

    @Override
    public KvRecord decode(byte[] bytes) {
        if (bytes.length < 2) {
            throw new StoreException("decode record: " + bytes.length + " bytes is too short");
        }
        int ctLen = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
        if (bytes.length < 2 + ctLen) {
            throw new StoreException("decode record: content type of " + ctLen + " bytes in a " + bytes.length
                    + "-byte value");
        }
        String ct = new String(bytes, 2, ctLen, StandardCharsets.UTF_8);
        return new KvRecord(ct, Arrays.copyOfRange(bytes, 2 + ctLen, bytes.length));
    }
}
