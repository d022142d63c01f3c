package io.actord.cli.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request. {@code target} is the path and query, already encoded.
 *
 * @param body the body, or {@code null} for none (a POST without a body still sends Content-Length: 0)
 */
public record HttpRequest(String method, String target, Map<String, String> headers, byte[] body) {
    public HttpRequest {
        headers = Map.copyOf(headers);
    }

    public static HttpRequest of(String method, String target) {
        return new HttpRequest(method, target, Map.of(), null);
    }

    public HttpRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpRequest(method, target, h, body);
    }

    public HttpRequest withBody(String contentType, byte[] bytes) {
        return new HttpRequest(method, target, headers, bytes).withHeader("Content-Type", contentType);
    }
}
