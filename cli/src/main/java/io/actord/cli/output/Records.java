package io.actord.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.CliException;
import io.actord.cli.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The records an answer of the daemon holds, for {@code -q} and {@code -o name}: the items of Apify's list
 * envelope {@code {"data": {"items": [...]}}}, the elements of a bare array (dataset items), or the one object
 * in {@code data} (a get).
 */
final class Records {
    private Records() {
    }

    static JsonNode parse(byte[] body) {
        try {
            return Json.parse(body);
        } catch (JsonProcessingException e) {
            throw new CliException("the daemon's answer is not JSON: " + Json.describe(e));
        } catch (IOException e) {
            throw new CliException("read the daemon's answer: " + e.getMessage(), e);
        }
    }

    static List<JsonNode> of(byte[] body) {
        JsonNode answer = parse(body);
        JsonNode data = answer.has("data") ? answer.get("data") : answer;
        JsonNode list = data.isArray() ? data : data.path("items");
        List<JsonNode> records = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(records::add);
        } else if (data.isObject()) {
            records.add(data);
        }
        return records;
    }

    /** The record's id; an image's name and a record's key are their ids. */
    static Optional<String> id(JsonNode record) {
        return first(record, "id", "name", "key");
    }

    /** The record's name (a user's username); its id when it has none. */
    static Optional<String> name(JsonNode record) {
        return first(record, "name", "username", "key", "id");
    }

    private static Optional<String> first(JsonNode record, String... fields) {
        for (String f : fields) {
            JsonNode v = record.get(f);
            if (v != null && v.isValueNode() && !v.isNull()) {
                return Optional.of(v.asText());
            }
        }
        return Optional.empty();
    }
}
