package io.actord.daemon.storage;

import java.util.Objects;

/** A key-value store record: the bytes as the client sent them and their Content-Type, echoed back on read. */
public record KvRecord(String contentType, byte[] value) {
    public KvRecord {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(value, "value");
    }
}
