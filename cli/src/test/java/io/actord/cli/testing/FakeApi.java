package io.actord.cli.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP API on 127.0.0.1 (an ephemeral port), for checking exactly what a command sends and for
 * failures a real daemon will not produce on demand (a refused token, a broken body). It records every
 * request; unscripted ones get Apify's 404.
 */
public final class FakeApi implements AutoCloseable {
    /** A request as it arrived. */
    public record Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A scripted answer. */
    public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        public static Answer json(int status, String json) {
            return new Answer(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> h = new java.util.HashMap<>(headers);
            h.put(name, value);
            return new Answer(status, contentType, body, h);
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeApi(HttpServer server) {
        this.server = server;
    }

    public static FakeApi start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeApi api = new FakeApi(server);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD target} (the path with its query, as sent) with {@code answer}. */
    public FakeApi on(String method, String target, Answer answer) {
        answers.put(method + " " + target, answer);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request last() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(exchange.getRequestMethod(), target, Map.copyOf(exchange.getRequestHeaders()), body));
            Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + target, Answer.json(404,
                    "{\"error\":{\"type\":\"page-not-found\",\"message\":\"no route for " + target + "\"}}"));
            if (answer.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
