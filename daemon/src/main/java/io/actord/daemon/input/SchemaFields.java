package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns an Apify input schema into a plain JSON Schema (draft 7) for the validator: only the standard keywords
 * of each field are kept, and {@code nullable} becomes a {@code "null"} type. Apify's UI keywords ({@code editor},
 * {@code prefill}, {@code sectionCaption} ...) and its own checks ({@code patternKey}, {@code patternValue}, the
 * editors' rules) are not JSON Schema: {@link ApifyKeywords} checks the latter.
 */
final class SchemaFields {
    /** The JSON Schema keywords an Apify field may carry that mean the same in JSON Schema. */
    private static final Set<String> STANDARD = Set.of("type", "enum", "const", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "minItems",
            "maxItems", "uniqueItems", "minProperties", "maxProperties", "additionalProperties");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaFields() {
    }

    /** The whole input as a JSON Schema object: {@code properties}, {@code required}, {@code additionalProperties}. */
    static ObjectNode root(ObjectNode schema) {
        ObjectNode out = objectOf(schema);
        out.put("type", "object");
        return out;
    }

    /** One field's JSON Schema. */
    static ObjectNode field(JsonNode field) {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = field.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (STANDARD.contains(e.getKey())) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        if (field.path("additionalProperties").isObject()) {
            out.remove("additionalProperties");
        }
        if (field.path("properties").isObject()) {
            ObjectNode sub = objectOf(field);
            out.setAll(sub);
        }
        if (field.path("items").isObject()) {
            out.set("items", field(field.get("items")));
        }
        if (field.path("nullable").asBoolean(false)) {
            allowNull(out);
        }
        return out;
    }

    private static ObjectNode objectOf(JsonNode schema) {
        ObjectNode out = NODES.objectNode();
        ObjectNode properties = out.putObject("properties");
        schema.path("properties").fields().forEachRemaining(e -> properties.set(e.getKey(), field(e.getValue())));
        if (schema.path("required").isArray()) {
            out.set("required", schema.get("required").deepCopy());
        }
        if (schema.path("additionalProperties").isBoolean()) {
            out.set("additionalProperties", schema.get("additionalProperties"));
        }
        return out;
    }

    private static void allowNull(ObjectNode out) {
        JsonNode type = out.get("type");
        if (type != null && type.isTextual()) {
            out.putArray("type").add(type.asText()).add("null");
        } else if (type instanceof ArrayNode types) {
            types.add("null");
        }
        if (out.get("enum") instanceof ArrayNode values) {
            values.addNull();
        }
    }
}
