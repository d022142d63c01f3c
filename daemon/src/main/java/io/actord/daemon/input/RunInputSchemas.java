package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Json;
import io.actord.daemon.run.RunInputFilter;
import io.actord.daemon.storage.KvRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A run's input under its build's input schema ({@code actorDefinition.input}): JSON input is checked (400
 * invalid-input {@code Input is not valid: Field input.x ...}, every bad field named), the fields it leaves out
 * get their {@code default}, and its secret fields are encrypted with the daemon's key before INPUT is stored.
 * Input that is not JSON, and builds without a schema, pass as they are.
 */
public final class RunInputSchemas implements RunInputFilter {
    private static final String JSON = "application/json; charset=utf-8";

    private final InputSecretKeys keys;

    public RunInputSchemas(InputSecretKeys keys) {
        this.keys = keys;
    }

    /** The build's input schema, checked; 400 invalid-input when it is not a valid one. */
    public static Optional<InputSchema> schemaOf(Build build) {
        JsonNode definition = build.actorDefinition();
        JsonNode schema = definition == null ? null : definition.get("input");
        if (schema == null || schema.isNull() || schema.isMissingNode()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InputSchema.parse(schema));
        } catch (InvalidSchemaException e) {
            throw new ApiException(ErrorType.INVALID_INPUT, "build " + build.buildNumber() + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<KvRecord> apply(Build build, Optional<KvRecord> input) {
        Optional<InputSchema> schema = schemaOf(build);
        if (schema.isEmpty() || input.isPresent() && !isJson(input.get().contentType())) {
            return input;
        }
        ObjectNode checked = check(schema.get(), input);
        List<String> secrets = schema.get().secretFields();
        if (input.isEmpty() && checked.isEmpty()) {
            return input;
        }
        for (String key : secrets) {
            JsonNode value = checked.get(key);
            if (isTruthy(value) && !(value.isTextual() && SecretFormat.ENCRYPTED.matcher(value.asText()).matches())) {
                checked.put(key, SecretFormat.encrypt(value, schema.get().field(key), keys.publicKey()));
            }
        }
        return Optional.of(new KvRecord(input.map(KvRecord::contentType).orElse(JSON), bytes(checked)));
    }

    /**
     * {@code POST /v2/acts/{id}/validate-input}: whether {@code body} is input a run of {@code build} could start
     * with; 400 invalid-input naming each bad field when it is not.
     */
    public static void validate(Build build, byte[] body, Optional<String> contentType) {
        Optional<InputSchema> schema = schemaOf(build);
        if (schema.isPresent() && (body.length == 0 || isJson(contentType.orElse("application/json")))) {
            check(schema.get(), body.length == 0 ? Optional.empty()
                    : Optional.of(new KvRecord(contentType.orElse("application/json"), body)));
        }
    }

    /** The input with its defaults, once it has been found valid. */
    private static ObjectNode check(InputSchema schema, Optional<KvRecord> input) {
        JsonNode parsed = input.map(r -> parse(r.value())).orElse(Json.MAPPER.createObjectNode());
        if (!(parsed instanceof ObjectNode object)) {
            throw new ApiException(ErrorType.INVALID_INPUT, "Input is not valid: the input must be a JSON object");
        }
        ObjectNode filled = schema.withDefaults(object);
        List<String> errors = schema.errors(filled);
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorType.INVALID_INPUT, "Input is not valid: " + String.join("; ", errors));
        }
        return filled;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiException(ErrorType.RUN_INPUT_BODY_NOT_VALID_JSON, "the input is not valid JSON");
        }
    }

    private static byte[] bytes(ObjectNode input) {
        return input.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isJson(String contentType) {
        return contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** JavaScript's truthiness, which decides in @apify/input_secrets whether a secret is encrypted. */
    private static boolean isTruthy(JsonNode value) {
        return value != null && (value.isContainerNode() || value.isTextual() && !value.asText().isEmpty());
    }
}
