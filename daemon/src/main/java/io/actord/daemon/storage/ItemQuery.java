package io.actord.daemon.storage;

import java.util.List;
import java.util.Optional;

/**
 * Which dataset items to read and how to shape them (Apify's {@code GET /datasets/{id}/items} parameters).
 * Offset and limit select items by position first; hidden-field and empty-item filtering apply after, so
 * a page may hold fewer than {@code limit} items, as on Apify.
 *
 * @param limit      empty for "no limit" (Apify: absent or 0)
 * @param skipHidden drop fields whose names start with '#'
 * @param skipEmpty  drop items that are empty after the other transformations
 * @param fields     keep only these top-level fields, in this order (empty: all)
 * @param omit       drop these top-level fields
 */
public record ItemQuery(long offset, Optional<Long> limit, boolean desc, boolean skipHidden, boolean skipEmpty,
                        List<String> fields, List<String> omit) {
    public ItemQuery {
        fields = List.copyOf(fields);
        omit = List.copyOf(omit);
    }

    public static ItemQuery all() {
        return new ItemQuery(0, Optional.empty(), false, false, false, List.of(), List.of());
    }

    boolean transforms() {
        return skipHidden || skipEmpty || !fields.isEmpty() || !omit.isEmpty();
    }
}
