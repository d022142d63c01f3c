package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether a JSON document is an input schema the platform would take: an object of {@code type: "object"} whose
 * {@code properties} are fields of known types with keywords of the right kinds, regular expressions that
 * compile, {@code required} naming fields that exist and secrets only where Apify allows them. The messages
 * follow Apify's ({@code Field schema.properties.x ...}). Laxer than the platform where runs need nothing more:
 * {@code properties} may be left out (no fields; schemas in the wild do it), and fields need no {@code title},
 * {@code description} or {@code editor} (the platform's console needs them).
 */
final class SchemaCheck {
    private static final Set<String> TYPES = Set.of("string", "array", "object", "boolean", "integer", "number");
    private static final Set<String> SECRET_TYPES = Set.of("string", "object", "array");
    private static final List<String> NUMBERS = List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf");
    private static final List<String> COUNTS = List.of("minLength", "maxLength", "minItems", "maxItems",
            "minProperties", "maxProperties");
    private static final List<String> PATTERNS = List.of("pattern", "patternKey", "patternValue");
    private static final List<String> FLAGS = List.of("nullable", "isSecret", "uniqueItems");
    private static final List<String> TEXTS = List.of("title", "description", "editor", "sectionCaption",
            "sectionDescription");

    private SchemaCheck() {
    }

    /** Throws {@link InvalidSchemaException} naming the first thing wrong with {@code schema}. */
    static void check(JsonNode schema) {
        if (!schema.isObject()) {
            throw invalid("the input schema must be a JSON object");
        }
        if (!"object".equals(schema.path("type").asText(null))) {
            throw invalid("Field schema.type must be equal to \"object\"");
        }
        if (schema.has("properties") && !schema.get("properties").isObject()) {
            throw invalid("Field schema.properties must be object");
        }
        if (schema.has("schemaVersion") && schema.get("schemaVersion").asInt(0) != 1) {
            throw invalid("Field schema.schemaVersion must be 1");
        }
        if (schema.has("title") && !schema.get("title").isTextual()) {
            throw invalid("Field schema.title must be string");
        }
        if (schema.has("additionalProperties") && !schema.get("additionalProperties").isBoolean()) {
            throw invalid("Field schema.additionalProperties must be boolean");
        }
        fields(schema, "schema");
    }

    private static void fields(JsonNode schema, String at) {
        JsonNode properties = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            field(e.getValue(), at + ".properties." + e.getKey());
        }
        JsonNode required = schema.get("required");
        if (required == null) {
            return;
        }
        if (!required.isArray()) {
            throw invalid("Field " + at + ".required must be array");
        }
        for (JsonNode key : required) {
            if (!key.isTextual()) {
                throw invalid("Field " + at + ".required must contain only strings");
            }
            if (!properties.has(key.asText())) {
                throw invalid("Field " + at + ".properties." + key.asText() + " does not exist, but it is specified in "
                        + at + ".required. Either define the field or remove it from " + at + ".required.");
            }
        }
    }

    private static void field(JsonNode field, String at) {
        if (!field.isObject() || !knownType(field.get("type"))) {
            throw invalid("Field " + at + " is not matching any input schema type definition. Please make sure that"
                    + " it's type is valid.");
        }
        NUMBERS.forEach(k -> expect(field, k, field.path(k).isNumber(), at, "number"));
        COUNTS.forEach(k -> expect(field, k, field.path(k).canConvertToInt() && field.path(k).isIntegralNumber()
                && field.path(k).asInt() >= 0, at, "a non-negative integer"));
        FLAGS.forEach(k -> expect(field, k, field.path(k).isBoolean(), at, "boolean"));
        TEXTS.forEach(k -> expect(field, k, field.path(k).isTextual(), at, "string"));
        PATTERNS.forEach(k -> {
            expect(field, k, field.path(k).isTextual(), at, "string");
            if (field.has(k)) {
                try {
                    Pattern.compile(field.get(k).asText());
                } catch (PatternSyntaxException ex) {
                    throw invalid("Field " + at + "." + k + " must be a valid regular expression: "
                            + ex.getDescription());
                }
            }
        });
        expect(field, "enum", field.path("enum").isArray() && !field.get("enum").isEmpty(), at, "a non-empty array");
        if (field.path("isSecret").asBoolean(false) && !SECRET_TYPES.contains(field.path("type").asText())) {
            throw invalid("Field " + at + ".isSecret is allowed only for string, object and array fields");
        }
        if (field.has("properties")) {
            expect(field, "properties", field.get("properties").isObject(), at, "object");
            fields(field, at);
        }
        if (field.has("items")) {
            expect(field, "items", field.get("items").isObject(), at, "object");
            if (field.get("items").has("type")) {
                field(field.get("items"), at + ".items");
            }
        }
    }

    private static boolean knownType(JsonNode type) {
        if (type == null) {
            return false;
        }
        if (type.isTextual()) {
            return TYPES.contains(type.asText());
        }
        if (!type.isArray() || type.isEmpty()) {
            return false;
        }
        for (JsonNode t : type) {
            if (!t.isTextual() || !TYPES.contains(t.asText())) {
                return false;
            }
        }
        return true;
    }

    private static void expect(JsonNode field, String key, boolean ok, String at, String what) {
        if (field.has(key) && !ok) {
            throw invalid("Field " + at + "." + key + " must be " + what);
        }
    }

    static InvalidSchemaException invalid(String why) {
        return new InvalidSchemaException("Input schema is not valid (" + why + ")");
    }
}
