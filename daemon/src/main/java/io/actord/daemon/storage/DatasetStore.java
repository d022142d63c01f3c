package io.actord.daemon.storage;

import io.actord.daemon.access.Caller;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Datasets: append-only lists of JSON objects, stored one per key {@code datasetId|index(8B)} so reading a
 * page seeks straight to its first index. A push validates every item before writing any, then writes all
 * of them and the new count in one batch under the dataset's lock: a push is stored whole or not at all.
 */
public final class DatasetStore extends StoresOfKind {
    /** Apify's MAX_PAYLOAD_SIZE_BYTES (9 MiB): the largest push body. */
    public static final int MAX_PUSH_BYTES = 9 * 1024 * 1024;
    /** The most item bytes one read collects: bodies are built in memory, so larger reads must page. */
    public static final long MAX_READ_BYTES = 256L * 1024 * 1024;
    /** What Apify sends as the limit header when no limit was asked for. */
    public static final long NO_LIMIT = 999_999_999_999L;


    private final Table<DatasetItemKey, byte[]> items;
    private final DatasetItemCap cap;

    public DatasetStore(StorageRegistry registry) {
        this(registry, DatasetItemCap.NONE);
    }

    /** @param cap the most items each dataset may hold (a run's maxItems) */
    public DatasetStore(StorageRegistry registry, DatasetItemCap cap) {
        super(registry, StorageKind.DATASET);
        this.items = registry.store().table(StorageTables.DATASET_ITEMS);
        this.cap = cap;
    }

    /**
     * Appends a JSON object, or each object of a JSON array, in order. A dataset with a {@link DatasetItemCap}
     * (a run's default dataset with maxItems) takes items up to its cap and drops the rest of the push, as
     * the Apify SDK's pushData does under ACTOR_MAX_PAID_DATASET_ITEMS.
     *
     * @return how many items were added
     * @throws ApiException 413 request-too-large over 9 MiB, 400 invalid-request for a body that is not
     *                      JSON, 400 invalid-input for anything but an object or an array of objects, 402
     *                      storage-limit-exceeded when the items would take the dataset's owner past their
     *                      storage limit (none is stored)
     */
    public int push(Caller caller, String ref, byte[] body) {
        if (body.length > MAX_PUSH_BYTES) {
            throw new ApiException(ErrorType.REQUEST_TOO_LARGE, "the pushed data has " + body.length
                    + " bytes, more than the limit of " + MAX_PUSH_BYTES + " bytes");
        }
        Items parsed = parseItems(body);
        String id = registry.writable(kind, caller, ref).id();
        if (parsed.count() == 0) {
            return 0;
        }
        return registry.withLock(id, () -> {
            StorageMeta meta = registry.byId(kind, id);
            long next = meta.counts().itemCount();
            int keep = (int) Math.max(0, Math.min(parsed.count(), cap.of(meta).orElse(Long.MAX_VALUE) - next));
            if (keep == 0) {
                return 0;
            }
            long clean = keep == parsed.count() ? parsed.clean() : parsed.cleanOf(keep);
            StorageMeta after = meta.modified(meta.counts().items(keep, clean), registry.now());
            registry.usage().write(after.userId(), id, false, b -> {
                long bytes = 0;
                for (int i = 0; i < keep; i++) {
                    byte[] item = parsed.item(i);
                    items.putInBatch(b, new DatasetItemKey(id, next + i), item);
                    bytes += item.length;
                }
                registry.putInBatch(b, kind, after);
                return new StorageUsage.Charge(bytes, true);
            });
            registry.remember(kind, after);
            return keep;
        });
    }

    /**
     * A page of items as compact JSON.
     *
     * @param total the dataset's item count (Apify's pagination total counts every item)
     * @param limit the limit asked for, or {@link #NO_LIMIT}
     */
    public record ItemsPage(long total, long offset, long limit, boolean desc, List<byte[]> items) {
    }

    public ItemsPage items(Caller caller, String ref, ItemQuery query) {
        StorageMeta meta = get(caller, ref);
        long total = meta.counts().itemCount();
        long limit = query.limit().filter(l -> l > 0).orElse(NO_LIMIT);
        long count = Math.max(0, Math.min(limit, total - query.offset()));
        long from = query.desc() ? total - query.offset() - count : query.offset();
        List<byte[]> raw = read(meta.id(), from, count);
        if (query.desc()) {
            Collections.reverse(raw);
        }
        List<byte[]> out = query.transforms() ? shape(raw, query, MAX_READ_BYTES) : raw;
        return new ItemsPage(total, query.offset(), limit, query.desc(), out);
    }

    private List<byte[]> read(String datasetId, long from, long count) {
        List<byte[]> out = new ArrayList<>((int) Math.min(count, 10_000));
        if (count <= 0) {
            return out;
        }
        KeyRange<DatasetItemKey> scan = KeyRange.of(DatasetItemKey.ofDataset(datasetId))
                .from(new DatasetItemKey(datasetId, from));
        long bytes = 0;
        try (CloseableIterator<Entry<DatasetItemKey, byte[]>> it = items.scan(scan)) {
            while (it.hasNext() && out.size() < count) {
                byte[] item = it.next().value();
                bytes += item.length;
                if (bytes > MAX_READ_BYTES) {
                    throw ApiException.invalidValue("the selected items hold more than " + MAX_READ_BYTES
                            + " bytes; read them in pages with offset and limit");
                }
                out.add(item);
            }
        }
        return out;
    }

    /**
     * The selected items shaped by the query. Unwinding can multiply an item, so the shaped items are held to
     * {@code maxBytes} as the stored ones are, and the check runs as each item is made.
     */
    static List<byte[]> shape(List<byte[]> raw, ItemQuery q, long maxBytes) {
        List<byte[]> out = new ArrayList<>(raw.size());
        long[] bytes = {0};
        for (byte[] stored : raw) {
            ItemShape.apply((ObjectNode) readTree(stored), q, item -> {
                byte[] encoded = compact(item);
                bytes[0] += encoded.length;
                if (bytes[0] > maxBytes) {
                    throw ApiException.invalidValue("the shaped items hold more than " + maxBytes
                            + " bytes; read fewer items at a time with offset and limit");
                }
                out.add(encoded);
            });
        }
        return out;
    }

    /** The items of a push, encoded back to back as compact JSON: item i is {@code data[ends[i-1], ends[i])}. */
    private record Items(byte[] data, int[] ends, int count, long clean) {
        byte[] item(int i) {
            return Arrays.copyOfRange(data, i == 0 ? 0 : ends[i - 1], ends[i]);
        }

        /** How many of the first {@code n} items are clean. */
        long cleanOf(int n) {
            long c = 0;
            for (int i = 0; i < n; i++) {
                c += isClean((ObjectNode) readTree(item(i))) ? 1 : 0;
            }
            return c;
        }
    }

    /**
     * Reads the body one item at a time and keeps each only encoded: a tree of the whole body took about 30
     * times its size (9 MiB of {@code {},} is three million object nodes), which the API fuzz test found
     * exhausting a 256 MiB heap. The whole body is read before an item of the wrong type is reported, so a
     * body that is not JSON is still invalid-request whatever it holds.
     */
    private static Items parseItems(byte[] body) {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ApiException(ErrorType.INVALID_INPUT, "the request body is empty; push a JSON object or an"
                        + " array of objects");
            }
            ByteArrayOutputStream data = new ByteArrayOutputStream(body.length);
            int[] ends = new int[16];
            int count = 0;
            long clean = 0;
            String wrongType = null;
            if (first == JsonToken.START_OBJECT || first == JsonToken.START_ARRAY) {
                boolean array = first == JsonToken.START_ARRAY;
                for (JsonToken t = array ? p.nextToken() : first; t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t != JsonToken.START_OBJECT) {
                        if (wrongType == null) {
                            wrongType = "item " + count + " of the pushed array is " + kind(t)
                                    + "; every dataset item must be a JSON object";
                        }
                        p.skipChildren();
                        continue;
                    }
                    ObjectNode item = p.readValueAsTree();
                    data.writeBytes(compact(item));
                    ends = count == ends.length ? Arrays.copyOf(ends, count * 2) : ends;
                    ends[count++] = data.size();
                    clean += isClean(item) ? 1 : 0;
                    if (!array) {
                        break;
                    }
                }
            } else {
                wrongType = "the pushed data is " + kind(first) + "; push a JSON object or an array of objects";
            }
            if (p.nextToken() != null) {
                throw new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid JSON: trailing"
                        + " content after the pushed data");
            }
            if (wrongType != null) {
                throw new ApiException(ErrorType.INVALID_INPUT, wrongType);
            }
            return new Items(data.toByteArray(), ends, count, clean);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("read dataset push body", e);
        }
    }

    /** Not empty once hidden ('#') fields are left out: what Apify's cleanItemCount counts. */
    private static boolean isClean(ObjectNode item) {
        for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
            if (!it.next().startsWith("#")) {
                return true;
            }
        }
        return false;
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "not an object";
        };
    }

    static JsonNode readTree(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("decode stored dataset item", e);
        }
    }

    private static byte[] compact(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encode dataset item", e);
        }
    }
}
