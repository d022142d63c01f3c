package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Json;

import java.io.IOException;

/**
 * The actor definition an image or rootfs build is given in its request (an actord extension: a build from
 * source reads {@code .actor/actor.json}): {@code actorDefinition} as actor.json has it, or just its
 * {@code inputSchema} (an object, or a string of JSON as Apify's build object shows it). Its input schema is
 * checked before anything is imported.
 */
public final class BuildDefinitions {
    private BuildDefinitions() {
    }

    /** The definition to store with the build, or null for none; 400 invalid-input when it is not valid. */
    public static JsonNode fromRequest(JsonNode actorDefinition, JsonNode inputSchema) {
        boolean hasDefinition = actorDefinition != null && !actorDefinition.isNull();
        boolean hasSchema = inputSchema != null && !inputSchema.isNull();
        if (!hasDefinition && !hasSchema) {
            return null;
        }
        if (hasDefinition && !actorDefinition.isObject()) {
            throw new ApiException(ErrorType.INVALID_INPUT, "actorDefinition must be a JSON object (as"
                    + " .actor/actor.json)");
        }
        ObjectNode definition = hasDefinition ? ((ObjectNode) actorDefinition).deepCopy()
                : Json.MAPPER.createObjectNode();
        if (hasSchema) {
            definition.set("input", inputSchema.isTextual() ? parse(inputSchema.asText()) : inputSchema);
        }
        JsonNode input = definition.get("input");
        if (input != null && !input.isNull()) {
            try {
                InputSchema.parse(input);
            } catch (InvalidSchemaException e) {
                throw new ApiException(ErrorType.INVALID_INPUT, e.getMessage());
            }
        }
        return definition;
    }

    /** Throws {@link InvalidSchemaException} when the schema in a definition read from source is not valid. */
    public static void check(JsonNode definition) {
        JsonNode input = definition == null ? null : definition.get("input");
        if (input != null && !input.isNull()) {
            InputSchema.parse(input);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new ApiException(ErrorType.INVALID_INPUT, "inputSchema is not valid JSON: " + e.getMessage());
        }
    }
}
