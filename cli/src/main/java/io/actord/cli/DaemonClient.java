package io.actord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.http.HttpClient;
import io.actord.cli.http.HttpRequest;
import io.actord.cli.http.HttpResponse;
import io.actord.cli.http.UnreachableException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The daemon's Apify v2 API over HTTP: one method per verb, answers as {@link ApiResponse}, failures as
 * {@link CliException}s whose message is fit to print after {@code error: } (unreachable daemon, refused
 * token, Apify error bodies). Over TCP it sends the token as {@code Authorization: Bearer}; the Unix
 * socket needs none (access to it is the permission).
 */
public final class DaemonClient {
    private final HttpClient http;
    private final Optional<String> token;
    private final String unreachableHint;

    /**
     * @param unreachableHint what to suggest when no connection can be made ("is actord running? ...")
     */
    public DaemonClient(HttpClient http, Optional<String> token, String unreachableHint) {
        this.http = http;
        this.token = token;
        this.unreachableHint = unreachableHint;
    }

    public ApiResponse get(Query target) {
        return exchange(HttpRequest.of("GET", target.toString()));
    }

    /** A POST without a body, as apify-client sends for abort and resurrect. */
    public ApiResponse post(Query target) {
        return exchange(HttpRequest.of("POST", target.toString()));
    }

    public ApiResponse post(Query target, String contentType, byte[] body) {
        return exchange(HttpRequest.of("POST", target.toString()).withBody(contentType, body));
    }

    public ApiResponse postJson(Query target, JsonNode body) {
        return post(target, "application/json", Json.bytes(body));
    }

    public ApiResponse put(Query target, String contentType, byte[] body) {
        return exchange(HttpRequest.of("PUT", target.toString()).withBody(contentType, body));
    }

    public ApiResponse delete(Query target) {
        return exchange(HttpRequest.of("DELETE", target.toString()));
    }

    /**
     * A GET whose body is read as it arrives (a followed log). The caller closes the response; closing it
     * from another thread ends a blocked read.
     */
    public HttpResponse open(Query target) {
        HttpResponse response = send(HttpRequest.of("GET", target.toString()));
        if (response.status() / 100 != 2) {
            byte[] body;
            try {
                body = response.readAll();
            } catch (IOException e) {
                throw failed(e);
            }
            throw error(response, body);
        }
        return response;
    }

    /**
     * A POST of {@code body} (JSON) that asks to switch the connection to {@code protocol} (actorctl exec): the
     * answer is the 101 whose body is the new protocol's stream, read from the response and written to its
     * connection (a blocking {@link java.nio.channels.SocketChannel}). Any other answer is thrown as an error.
     */
    public HttpResponse upgrade(Query target, String protocol, JsonNode body) {
        HttpResponse response = send(HttpRequest.of("POST", target.toString())
                .withBody("application/json", Json.bytes(body))
                .withHeader("Connection", "Upgrade").withHeader("Upgrade", protocol));
        if (response.status() != 101) {
            byte[] answer;
            try {
                answer = response.readAll();
            } catch (IOException e) {
                throw failed(e);
            }
            throw response.status() / 100 == 2
                    ? new CliException("the daemon answered HTTP " + response.status() + " where it should have"
                    + " switched to " + protocol + " (is it an older actord?)")
                    : error(response, answer);
        }
        return response;
    }

    private ApiResponse exchange(HttpRequest request) {
        HttpResponse response = send(request);
        byte[] body;
        try {
            body = response.readAll();
        } catch (IOException e) {
            throw failed(e);
        }
        if (response.status() / 100 != 2) {
            throw error(response, body);
        }
        return new ApiResponse(response.status(), response.mediaType(), response.headers(), body);
    }

    /**
     * Sends {@code request} as it is (with the token) and returns the response whatever its status, its body still
     * on the wire ({@code actorctl api}). The caller closes it.
     */
    public HttpResponse send(HttpRequest request) {
        HttpRequest authorised = token.isPresent() ? request.withHeader("Authorization", "Bearer " + token.get())
                : request;
        try {
            return http.send(authorised);
        } catch (UnreachableException e) {
            throw new CliException(e.getMessage() + " (" + unreachableHint + ")", e);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** A failure while reading an answer, as a CliException naming the daemon. */
    public CliException failed(IOException e) {
        return new CliException("the connection to actord at " + http.endpoint() + " failed: " + e.getMessage(), e);
    }

    /** Turns an error answer into an {@link ApiError} whose message says what went wrong in one line. */
    public static ApiError error(HttpResponse response, byte[] body) {
        int status = response.status();
        String type = "";
        String message = null;
        if (response.mediaType().equals("application/json")) {
            try {
                JsonNode error = Json.parse(body).path("error");
                type = error.path("type").asText("");
                message = error.path("message").isTextual() ? error.path("message").asText() : null;
            } catch (IOException e) {
                message = null;
            }
        }
        if (message == null || message.isBlank()) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            int newline = text.indexOf('\n');
            text = newline < 0 ? text : text.substring(0, newline);
            message = "the daemon answered HTTP " + status + (text.isEmpty() ? "" : ": " + abbreviate(text));
        }
        if (status == 401 || status == 403) {
            message = "the daemon refused the request (" + (type.isEmpty() ? "HTTP " + status : type) + "): "
                    + message + "; check --token or APIFY_TOKEN";
        }
        return new ApiError(status, type, message, body);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
