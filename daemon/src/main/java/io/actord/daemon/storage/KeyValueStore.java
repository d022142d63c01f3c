package io.actord.daemon.storage;

import io.actord.daemon.access.Caller;
import com.fasterxml.jackson.core.JsonParser;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Table;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Key-value stores: records are bytes with the Content-Type they were stored with, keyed
 * {@code storeId|key} so keys list in UTF-8 binary order, as Apify lists them. Record writes are not
 * synced to disk (the WAL still makes them survive a daemon crash); creating and deleting stores is.
 */
public final class KeyValueStore extends StoresOfKind {
    /** Apify's MAX_PAYLOAD_SIZE_BYTES (9 MiB): the largest record the platform stores. */
    public static final int MAX_RECORD_BYTES = 9 * 1024 * 1024;
    /** The most keys one listing returns (Apify's default and maximum). */
    public static final int MAX_KEYS = 1000;
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";


    private final Table<KvRecordKey, KvRecord> records;

    public KeyValueStore(StorageRegistry registry) {
        super(registry, StorageKind.KEY_VALUE_STORE);
        this.records = registry.store().table(StorageTables.KV_RECORDS);
    }

    /** A record, or empty when the store has none under {@code key}; 404 when the store does not exist. */
    public Optional<KvRecord> record(Caller caller, String ref, String key) {
        StorageMeta meta = get(caller, ref);
        return records.get(new KvRecordKey(meta.id(), RecordKeys.valid(key)));
    }

    /**
     * Stores a record, replacing any under the same key.
     *
     * @param contentType the request's Content-Type, or empty for {@value #DEFAULT_CONTENT_TYPE}
     * @throws ApiException 400 invalid-record-key, 413 record-too-large, 400 invalid-input when the
     *                      Content-Type says JSON and the body is not, or 402 storage-limit-exceeded when the
     *                      record would take the store's owner past their storage limit (nothing is stored)
     */
    public void putRecord(Caller caller, String ref, String key, Optional<String> contentType, byte[] value) {
        RecordKeys.valid(key);
        if (value.length > MAX_RECORD_BYTES) {
            throw new ApiException(ErrorType.RECORD_TOO_LARGE, "record '" + key + "' has " + value.length
                    + " bytes, more than the limit of " + MAX_RECORD_BYTES + " bytes");
        }
        String type = contentType.orElse(DEFAULT_CONTENT_TYPE);
        if (isJson(type) && !isOneJsonValue(value)) {
            throw new ApiException(ErrorType.INVALID_INPUT, "record '" + key + "' has Content-Type " + type
                    + " but its body is not valid JSON");
        }
        KvRecord record = new KvRecord(type, value);
        String id = registry.writable(kind, caller, ref).id();
        registry.withLock(id, () -> {
            StorageMeta after = touched(registry.byId(kind, id));
            KvRecordKey k = new KvRecordKey(id, key);
            registry.usage().write(after.userId(), id, false, b -> {
                long replaced = records.get(k).map(old -> StorageUsage.recordBytes(key, old)).orElse(0L);
                records.putInBatch(b, k, record);
                registry.putInBatch(b, kind, after);
                return new StorageUsage.Charge(StorageUsage.recordBytes(key, record) - replaced, true);
            });
            registry.remember(kind, after);
            return null;
        });
    }

    /** Deletes a record; deleting one that is not there is not an error (crawlee's setValue(key, null)). */
    public void deleteRecord(Caller caller, String ref, String key) {
        RecordKeys.valid(key);
        String id = registry.writable(kind, caller, ref).id();
        registry.withLock(id, () -> {
            StorageMeta after = touched(registry.byId(kind, id));
            KvRecordKey k = new KvRecordKey(id, key);
            Optional<KvRecord> old = records.get(k);
            if (old.isPresent()) {
                registry.usage().write(after.userId(), id, false, b -> {
                    records.deleteInBatch(b, k);
                    registry.putInBatch(b, kind, after);
                    return new StorageUsage.Charge(-StorageUsage.recordBytes(key, old.get()), false);
                });
                registry.remember(kind, after);
            }
            return null;
        });
    }

    /** One key of a listing and its value's size in bytes. */
    public record KeyInfo(String key, long size) {
    }

    /** A page of keys; {@code nextExclusiveStartKey} is null on the last page (the client loops until it is). */
    public record KeyPage(List<KeyInfo> items, int limit, String exclusiveStartKey, boolean isTruncated,
                          String nextExclusiveStartKey) {
    }

    /** Keys in UTF-8 binary order after {@code exclusiveStartKey}, optionally only those starting with {@code prefix}. */
    public KeyPage keys(Caller caller, String ref, Optional<String> exclusiveStartKey, int limit,
                        Optional<String> prefix) {
        StorageMeta meta = get(caller, ref);
        int max = Math.max(0, Math.min(limit, MAX_KEYS));
        KeyRange<KvRecordKey> scan = KeyRange.of(KvRecordKey.keysStartingWith(meta.id(), prefix.orElse("")));
        if (exclusiveStartKey.isPresent()) {
            scan = scan.from(new KvRecordKey(meta.id(), exclusiveStartKey.get())); // before the prefix: from its start
        }
        List<KeyInfo> items = new ArrayList<>();
        boolean truncated = false;
        try (CloseableIterator<Entry<KvRecordKey, KvRecord>> it = records.scan(scan)) {
            while (it.hasNext()) {
                Entry<KvRecordKey, KvRecord> e = it.next();
                String key = e.key().key();
                if (exclusiveStartKey.isPresent() && key.equals(exclusiveStartKey.get())) {
                    continue;
                }
                if (items.size() == max) {
                    truncated = true;
                    break;
                }
                items.add(new KeyInfo(key, e.value().value().length));
            }
        }
        String next = truncated && !items.isEmpty() ? items.get(items.size() - 1).key() : null;
        return new KeyPage(items, max, exclusiveStartKey.orElse(null), truncated, next);
    }

    private StorageMeta touched(StorageMeta meta) {
        return meta.modified(meta.counts(), registry.now());
    }

    static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json");
    }

    /** Whether {@code bytes} is exactly one JSON value (and nothing after it but whitespace). */
    static boolean isOneJsonValue(byte[] bytes) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
