package io.actord.daemon.storage;

import java.util.List;
import java.util.Optional;

/**
 * Which dataset items to read and how to shape them (Apify's {@code GET /datasets/{id}/items} parameters).
 * Offset, limit and desc select stored items by position first; {@link ItemShape} then shapes each selected
 * item, so a page may hold fewer than {@code limit} items (empty ones skipped) or more (arrays unwound), and
 * the items unwound from one stored item keep their array order whatever {@code desc} says, as on Apify.
 *
 * @param limit      empty for "no limit" (Apify: absent or 0)
 * @param skipHidden drop fields whose names start with '#'
 * @param skipEmpty  drop items that are empty after the other transformations
 * @param fields     keep only these top-level fields, in this order (empty: all)
 * @param omit       drop these top-level fields (after flattening, so {@code a.b} names a flattened field)
 * @param unwind     spread these fields into their parent, one after the other (see {@link ItemShape})
 * @param flatten    turn these object fields into {@code field.sub} keys
 */
public record ItemQuery(long offset, Optional<Long> limit, boolean desc, boolean skipHidden, boolean skipEmpty,
                        List<String> fields, List<String> omit, List<String> unwind, List<String> flatten) {
    public ItemQuery {
        fields = List.copyOf(fields);
        omit = List.copyOf(omit);
        unwind = List.copyOf(unwind);
        flatten = List.copyOf(flatten);
    }

    public static ItemQuery all() {
        return new ItemQuery(0, Optional.empty(), false, false, false, List.of(), List.of(), List.of(), List.of());
    }

    boolean transforms() {
        return skipHidden || skipEmpty || !fields.isEmpty() || !omit.isEmpty() || !unwind.isEmpty()
                || !flatten.isEmpty();
    }
}
