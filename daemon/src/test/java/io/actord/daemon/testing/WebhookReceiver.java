package io.actord.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.actord.daemon.common.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A loopback HTTP server that keeps the webhook requests it gets and answers them as told. */
public final class WebhookReceiver implements AutoCloseable {
    public record Received(String path, Map<String, List<String>> headers, JsonNode body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String dispatchId() {
            return header("X-Apify-Webhook-Dispatch-Id");
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** Statuses to answer with, in order; {@link #otherwise} once they are used up. */
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private volatile int otherwise = 200;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                        Json.MAPPER.readTree(in.readAllBytes())));
            }
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? otherwise : status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next requests get {@code status}, in order. */
    public void answer(int... statuses) {
        for (int status : statuses) {
            answers.add(status);
        }
    }

    /** Every request that {@link #answer} does not cover gets {@code status} (at first 200). */
    public void answerOtherwise(int status) {
        otherwise = status;
    }

    /** The next request; fails when none comes within 20 s. */
    public Received next() throws InterruptedException {
        Received r = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(r, "a webhook request arrives");
        return r;
    }

    /** The next request within {@code wait}, or null. */
    public Received poll(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
