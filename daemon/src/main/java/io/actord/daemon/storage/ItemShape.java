package io.actord.daemon.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the item parameters do to one stored item, in the order of Apify's view transformation
 * ({@code fields}, {@code unwind}, {@code flatten}, {@code omit}), then hidden fields and empty items:
 * <ol>
 *   <li>{@code fields} picks top-level fields, so a view can pick {@code title,variants} and unwind
 *       {@code variants} (Apify's own dataset-schema example);</li>
 *   <li>each {@code unwind} field in turn: an array gives one item per element, the parent without the
 *       field merged with the element (the element's fields win; an element that is not an object takes
 *       the field's place), so an empty array gives no item; an object is merged into the parent the same
 *       way; a missing field or any other value leaves the item as it is;</li>
 *   <li>each {@code flatten} field holding an object is replaced, in place, by {@code field.sub} keys,
 *       nested objects recursively ({@code a.b.c}); arrays and empty objects stay values;</li>
 *   <li>{@code omit} drops top-level fields, flattened names included;</li>
 *   <li>{@code skipHidden} drops fields starting with '#', wherever they came from;
 *       {@code skipEmpty} drops items left with no field.</li>
 * </ol>
 * Items are handed to a sink one at a time, so a caller can stop a stored item that unwinds into too many.
 * The items one stored item becomes share their nested nodes; only top-level objects are changed, and each
 * item handed out is a top-level object of its own (or {@code stored} itself, which is consumed).
 */
final class ItemShape {
    private ItemShape() {
    }

    /** Hands {@code sink} every item {@code stored} becomes under {@code q}: none, one or many, in order. */
    static void apply(ObjectNode stored, ItemQuery q, Consumer<ObjectNode> sink) {
        ObjectNode picked = q.fields().isEmpty() ? stored : pick(stored, q.fields());
        unwind(picked, q, 0, sink);
    }

    private static ObjectNode pick(ObjectNode item, List<String> fields) {
        ObjectNode picked = item.objectNode();
        for (String f : fields) {
            JsonNode v = item.get(f);
            if (v != null) {
                picked.set(f, v);
            }
        }
        return picked;
    }

    private static void unwind(ObjectNode item, ItemQuery q, int step, Consumer<ObjectNode> sink) {
        if (step == q.unwind().size()) {
            finish(item, q, sink);
            return;
        }
        String field = q.unwind().get(step);
        JsonNode value = item.get(field);
        if (value != null && value.isArray()) {
            for (JsonNode element : value) {
                unwind(merged(item, field, element), q, step + 1, sink);
            }
        } else if (value != null && value.isObject()) {
            unwind(merged(item, field, value), q, step + 1, sink);
        } else {
            unwind(item, q, step + 1, sink);
        }
    }

    /** A copy of {@code parent} with {@code field} replaced by the element's fields, or by the element itself. */
    private static ObjectNode merged(ObjectNode parent, String field, JsonNode element) {
        ObjectNode out = parent.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = parent.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals(field)) {
                out.set(e.getKey(), e.getValue());
            } else if (!element.isObject()) {
                out.set(field, element);
            }
        }
        if (element.isObject()) {
            out.setAll((ObjectNode) element);
        }
        return out;
    }

    private static void finish(ObjectNode item, ItemQuery q, Consumer<ObjectNode> sink) {
        ObjectNode shaped = q.flatten().isEmpty() ? item : flatten(item, new HashSet<>(q.flatten()));
        shaped.remove(q.omit());
        if (q.skipHidden()) {
            shaped.remove(hidden(shaped));
        }
        if (q.skipEmpty() && shaped.isEmpty()) {
            return;
        }
        sink.accept(shaped);
    }

    private static ObjectNode flatten(ObjectNode item, Set<String> fields) {
        ObjectNode out = item.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (fields.contains(e.getKey())) {
                flattenInto(e.getKey(), e.getValue(), out);
            } else {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static void flattenInto(String path, JsonNode value, ObjectNode out) {
        if (!value.isObject() || value.isEmpty()) {
            out.set(path, value);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            flattenInto(path + "." + e.getKey(), e.getValue(), out);
        }
    }

    private static List<String> hidden(ObjectNode item) {
        List<String> hidden = new ArrayList<>();
        item.fieldNames().forEachRemaining(f -> {
            if (f.startsWith("#")) {
                hidden.add(f);
            }
        });
        return hidden;
    }
}
