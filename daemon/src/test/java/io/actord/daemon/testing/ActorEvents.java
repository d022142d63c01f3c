package io.actord.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;

import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects the platform events a run's events WebSocket receives, as an SDK actor's socket would. */
public final class ActorEvents implements WebSocket.Listener {
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(Json.MAPPER.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    /** The next event named {@code name}, skipping others (systemInfo keeps coming); fails after 5 s. */
    public JsonNode next(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode e = received.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.get("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name + " event within 5 s");
    }

    /** The name of the next event that is not {@code systemInfo}; fails after 5 s. */
    public String nextOtherThanSystemInfo() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode e = received.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && !e.get("name").asText().equals("systemInfo")) {
                return e.get("name").asText();
            }
        }
        throw new AssertionError("no event but systemInfo within 5 s");
    }
}
