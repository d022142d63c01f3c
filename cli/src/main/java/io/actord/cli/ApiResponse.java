package io.actord.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * A whole 2xx answer from the daemon: the body exactly as sent (for {@code --json}, which prints it
 * unchanged) and, on demand, its JSON.
 *
 * @param mediaType the Content-Type without parameters, lower case
 * @param headers   header names in lower case
 */
public record ApiResponse(int status, String mediaType, Map<String, String> headers, byte[] body) {
    public JsonNode json() {
        try {
            return Json.parse(body);
        } catch (JsonProcessingException e) {
            throw new CliException("the daemon answered HTTP " + status + " with a body that is not JSON: "
                    + Json.describe(e));
        } catch (IOException e) {
            throw new CliException("read the daemon's answer: " + e.getMessage(), e);
        }
    }

    /** The {@code data} of Apify's {@code {"data": ...}} envelope. */
    public JsonNode data() {
        JsonNode data = json().get("data");
        if (data == null) {
            throw new CliException("the daemon's answer has no 'data' field (HTTP " + status + ")");
        }
        return data;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
