package io.actord.daemon.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Offset/limit pages over a key range, as Apify's list endpoints page: walk the range in order (or
 * reverse), map each entry (empty = filtered out), count all that pass, keep {@code limit} after
 * {@code offset}. The total needs the whole range, which is fine for per-actor and per-user ranges.
 */
public final class Paging {
    private Paging() {
    }

    /** The items of one page and how many passed the filter in the whole range. */
    public record Page<T>(long total, List<T> items) {
    }

    public static <K, V, T> Page<T> page(Table<K, V> table, KeyPrefix<K> prefix, boolean desc, long offset,
                                         long limit, Function<Entry<K, V>, Optional<T>> mapper) {
        return page(table, prefix.bytes(), desc, offset, limit, mapper);
    }

    public static <K, V, T> Page<T> page(Table<K, V> table, byte[] prefix, boolean desc, long offset, long limit,
                                         Function<Entry<K, V>, Optional<T>> mapper) {
        List<T> items = new ArrayList<>();
        long total = 0;
        try (CloseableIterator<Entry<K, V>> it = table.scan(Scan.prefix(prefix).reversed(desc))) {
            while (it.hasNext()) {
                Optional<T> item = mapper.apply(it.next());
                if (item.isEmpty()) {
                    continue;
                }
                if (total >= offset && items.size() < limit) {
                    items.add(item.get());
                }
                total++;
            }
        }
        return new Page<>(total, items);
    }
}
