package io.actord.daemon.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Json;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The INPUT of a task's run, as the platform makes it (Apify's "Run task": a JSON object in the body overrides the
 * task's input property by property; a property the body does not name keeps the task's value). A body that is
 * not a JSON object (an array, another content type) replaces the task's input whole; no body leaves it as it is.
 */
final class TaskInputs {
    static final String JSON = "application/json; charset=utf-8";

    /** The bytes and content type a run gets as INPUT. */
    record Input(byte[] body, Optional<String> contentType) {
    }

    private TaskInputs() {
    }

    static Input merge(JsonNode taskInput, byte[] body, Optional<String> contentType) {
        if (body.length == 0) {
            return taskInput == null ? new Input(body, contentType) : new Input(bytes(taskInput), Optional.of(JSON));
        }
        if (!contentType.orElse(JSON).toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return new Input(body, contentType);
        }
        JsonNode override = parse(body);
        if (taskInput != null && taskInput.isObject() && override.isObject()) {
            ObjectNode merged = taskInput.deepCopy();
            merged.setAll((ObjectNode) override);
            return new Input(bytes(merged), Optional.of(JSON));
        }
        return new Input(body, contentType);
    }

    /** A task's input as the API sets it: a JSON object or array, or nothing (null). */
    static JsonNode check(JsonNode input) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            return null;
        }
        if (!input.isObject() && !input.isArray()) {
            throw ApiException.invalidValue("a task's input must be a JSON object (or an array), got "
                    + input.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return input;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorType.RUN_INPUT_BODY_NOT_VALID_JSON, "the input is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("parse run input", e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("write task input", e);
        }
    }
}
