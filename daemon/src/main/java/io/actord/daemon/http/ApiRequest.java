package io.actord.daemon.http;

import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request, decoded and detached from Netty's buffers so handlers may keep it on any thread.
 *
 * @param path       the decoded path, without the query
 * @param query      query parameters, decoded
 * @param body       the body after Content-Encoding was undone
 * @param pathParams values of the matched route's {@code {name}} segments
 * @param runId      the run whose in-run endpoint the request came in on ({@link Listener#RUN}), else null
 * @param caller     who the request comes from, once {@link Authenticator} has said (null before)
 */
public record ApiRequest(String requestId, HttpMethod method, String path, Map<String, List<String>> query,
                         HttpHeaders headers, byte[] body, Map<String, String> pathParams, Listener listener,
                         String runId, Caller caller) {
    public ApiRequest {
        query = Map.copyOf(query);
        pathParams = Map.copyOf(pathParams);
    }

    public ApiRequest withPathParams(Map<String, String> params) {
        return new ApiRequest(requestId, method, path, query, headers, body, params, listener, runId, caller);
    }

    public ApiRequest withBody(byte[] decoded) {
        return new ApiRequest(requestId, method, path, query, headers, decoded, pathParams, listener, runId, caller);
    }

    public ApiRequest withCaller(Caller who) {
        return new ApiRequest(requestId, method, path, query, headers, body, pathParams, listener, runId, who);
    }

    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return v;
    }

    /** The last value of a query parameter; empty when absent or empty (clients drop undefined values). */
    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        String v = values.get(values.size() - 1);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** An integer query parameter; a value that is not one is a 400 invalid-value naming the parameter. */
    public Optional<Long> queryLong(String name) {
        return query(name).map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(v.trim());
                    if (d == Math.rint(d) && !Double.isInfinite(d)) {
                        return (long) d;
                    }
                } catch (NumberFormatException ignored) {
                    // falls through to the error below
                }
                throw new ApiException(ErrorType.INVALID_VALUE, "parameter '" + name + "' must be an integer, got '"
                        + v + "'");
            }
        });
    }

    /** A boolean query parameter: {@code true}/{@code 1} and {@code false}/{@code 0}, as apify-client sends them. */
    public boolean queryBool(String name) {
        return query(name).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new ApiException(ErrorType.INVALID_VALUE, "parameter '" + name
                    + "' must be true, false, 1 or 0, got '" + v + "'");
        }).orElse(false);
    }

    /** The Content-Type header, or empty. */
    public Optional<String> contentType() {
        return Optional.ofNullable(headers.get(HttpHeaderNames.CONTENT_TYPE)).filter(s -> !s.isBlank());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
