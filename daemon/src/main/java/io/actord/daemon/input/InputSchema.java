package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked Apify input schema: validates a run's input (every bad field named, in Apify's words:
 * {@code Field input.url is required}), fills the {@code default} of each field the input leaves out, and knows
 * the secret fields. {@code prefill} is not applied: the platform's documentation has it only prefill the
 * console's form ("does not affect the Actor functionality and API").
 */
public final class InputSchema {
    /**
     * The JSON Schema validator (thread-safe once built); the standard keywords as draft 7 reads them, patterns
     * matched with a time limit ({@link BoundedRegex}).
     */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .regularExpressionFactory(BoundedRegex.FACTORY).build()));

    private final ObjectNode schema;
    private final Schema validator;
    private final Map<String, JsonNode> fields = new LinkedHashMap<>();

    private InputSchema(ObjectNode schema, Schema validator) {
        this.schema = schema;
        this.validator = validator;
        schema.path("properties").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    }

    /** The schema {@code node}, checked; {@link InvalidSchemaException} when it is not an input schema. */
    public static InputSchema parse(JsonNode node) {
        SchemaCheck.check(node);
        ObjectNode schema = (ObjectNode) node;
        Schema validator = compile(SchemaFields.root(schema), "the input schema");
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String kind : List.of("default", "prefill")) {
                JsonNode value = e.getValue().get(kind);
                if (value != null) {
                    Schema field = compile(SchemaFields.field(e.getValue()), "field " + e.getKey());
                    List<String> bad;
                    try {
                        bad = messages(field.validate(value), "schema.properties." + e.getKey() + "." + kind);
                    } catch (RuntimeException ex) {
                        throw SchemaCheck.invalid("Field schema.properties." + e.getKey() + "." + kind + ": "
                                + BoundedRegex.TooSlow.in(ex).orElseThrow(() -> ex).getMessage());
                    }
                    if (!bad.isEmpty()) {
                        throw SchemaCheck.invalid(bad.get(0));
                    }
                }
            }
        }
        return new InputSchema(schema, validator);
    }

    private static Schema compile(ObjectNode jsonSchema, String what) {
        try {
            return REGISTRY.getSchema(jsonSchema);
        } catch (SchemaException | IllegalArgumentException e) {
            throw SchemaCheck.invalid(what + " cannot be compiled: " + e.getMessage());
        }
    }

    /** The fields the input must not carry in plain text at rest. */
    public List<String> secretFields() {
        List<String> secrets = new ArrayList<>();
        fields.forEach((k, f) -> {
            if (f.path("isSecret").asBoolean(false)) {
                secrets.add(k);
            }
        });
        return secrets;
    }

    private List<String> required() {
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(k -> required.add(k.asText()));
        return required;
    }

    /** The schema of field {@code key}, or null. */
    JsonNode field(String key) {
        return fields.get(key);
    }

    /** A copy of {@code input} with the {@code default} of each field it leaves out. */
    public ObjectNode withDefaults(ObjectNode input) {
        ObjectNode out = input.deepCopy();
        fields.forEach((k, f) -> {
            if (!out.has(k) && f.has("default")) {
                out.set(k, f.get("default").deepCopy());
            }
        });
        return out;
    }

    /**
     * What is wrong with {@code input}, one message per problem, each naming its field ({@code Field input.x ...});
     * empty when it is valid. A secret field that already holds an encrypted value is not checked (its type is
     * hidden until the run decrypts it).
     */
    public List<String> errors(ObjectNode input) {
        List<String> errors = new ArrayList<>();
        try {
            for (Error e : validator.validate(input)) {
                String key = fieldOf(e);
                if (!isEncryptedSecret(input, key)) {
                    errors.add(message(e, "input"));
                }
            }
            errors.addAll(ApifyKeywords.errors(fields, required(), input));
        } catch (RuntimeException e) {
            errors.add(BoundedRegex.TooSlow.in(e).orElseThrow(() -> e).getMessage());
        }
        return errors;
    }

    private boolean isEncryptedSecret(ObjectNode input, String key) {
        JsonNode f = fields.get(key);
        JsonNode v = input.get(key);
        return f != null && f.path("isSecret").asBoolean(false) && v != null && v.isTextual()
                && SecretFormat.isEncryptedFor(v.asText(), f.path("type").asText());
    }

    private static List<String> messages(List<Error> errors, String root) {
        return errors.stream().map(e -> message(e, root)).toList();
    }

    /** The top-level field an error is about ("" for the input itself). */
    private static String fieldOf(Error e) {
        String path = path(e);
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    /** The error's field path below the input, dot-separated ({@code a.b.0}), with a missing property appended. */
    private static String path(Error e) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < e.getInstanceLocation().getNameCount(); i++) {
            names.add(e.getInstanceLocation().getName(i));
        }
        if (("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword()))
                && e.getProperty() != null) {
            names.add(e.getProperty());
        }
        return String.join(".", names);
    }

    /** Apify's wording: {@code Field input.url is required}, {@code Field input.n must be >= 1}. */
    private static String message(Error e, String root) {
        String field = path(e);
        String at = field.isEmpty() ? root : root + "." + field;
        return switch (e.getKeyword() == null ? "" : e.getKeyword()) {
            case "required" -> "Field " + at + " is required";
            case "additionalProperties" -> "Property " + at + " is not allowed.";
            default -> "Field " + at + " " + ajvWording(e);
        };
    }

    /**
     * The platform's validator (Ajv) words its messages as "must be integer", "must be >= 1"; the same here for
     * the common keywords, the JSON Schema validator's own words for the rest.
     */
    private static String ajvWording(Error e) {
        JsonNode node = e.getSchemaNode();
        JsonNode v = node != null && node.isObject() && node.has(e.getKeyword()) ? node.get(e.getKeyword()) : node;
        if (v == null) {
            return detail(e);
        }
        return switch (e.getKeyword()) {
            case "type" -> "must be " + (v.isArray() ? join(v, ",") : v.asText());
            case "enum" -> "must be equal to one of the allowed values: " + join(v, ", ");
            case "pattern" -> "must match pattern \"" + v.asText() + "\"";
            case "minimum" -> "must be >= " + v.asText();
            case "maximum" -> "must be <= " + v.asText();
            case "minLength" -> "must NOT have fewer than " + v.asText() + " characters";
            case "maxLength" -> "must NOT have more than " + v.asText() + " characters";
            case "minItems" -> "must NOT have fewer than " + v.asText() + " items";
            case "maxItems" -> "must NOT have more than " + v.asText() + " items";
            default -> detail(e);
        };
    }

    private static String join(JsonNode values, String separator) {
        List<String> out = new ArrayList<>();
        values.forEach(n -> out.add(n.isTextual() ? (separator.equals(",") ? n.asText() : "\"" + n.asText() + "\"")
                : n.toString()));
        return String.join(separator, out);
    }

    /** The validator's message without the location it starts with. */
    private static String detail(Error e) {
        String m = e.getMessage() == null ? "is not valid" : e.getMessage();
        String location = e.getInstanceLocation().toString();
        if (m.startsWith(location + ": ")) {
            m = m.substring(location.length() + 2);
        } else if (m.startsWith(location + " ")) {
            m = m.substring(location.length() + 1);
        }
        return m;
    }

    /** The schema as the build has it. */
    public ObjectNode json() {
        return schema;
    }
}
