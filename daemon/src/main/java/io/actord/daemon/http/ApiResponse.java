package io.actord.daemon.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.common.Json;
import io.netty.channel.ChannelHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a handler answers: a full body, a body streamed in chunks (a followed log), or the connection itself
 * (101 Switching Protocols, an exec's stream).
 */
public sealed interface ApiResponse {
    String JSON = "application/json; charset=utf-8";
    String TEXT = "text/plain; charset=utf-8";

    int status();

    Map<String, String> headers();

    ApiResponse withHeader(String name, String value);

    /** A complete body. */
    record Full(int status, String contentType, byte[] body, Map<String, String> headers) implements ApiResponse {
        public Full {
            headers = Map.copyOf(headers);
        }

        @Override
        public Full withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Full(status, contentType, body, h);
        }
    }

    /** A chunked body: {@code producer} is called once the headers are written and feeds the sink until it closes it. */
    record Streamed(int status, String contentType, Consumer<ResponseSink> producer,
                    Map<String, String> headers) implements ApiResponse {
        public Streamed {
            headers = Map.copyOf(headers);
        }

        @Override
        public Streamed withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Streamed(status, contentType, producer, h);
        }
    }

    /**
     * 101 Switching Protocols: once it is written, HTTP is done on the connection and {@code handler} makes
     * what takes the place of the pipeline's HTTP handlers, reading and writing the raw bytes ({@link
     * ConnectionUpgrade}). {@code abandoned} runs instead when the connection closed before that.
     */
    record Upgrade(String protocol, Supplier<ChannelHandler> handler, Runnable abandoned,
                   Map<String, String> headers) implements ApiResponse {
        public Upgrade {
            headers = Map.copyOf(headers);
        }

        @Override
        public int status() {
            return 101;
        }

        @Override
        public Upgrade withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Upgrade(protocol, handler, abandoned, h);
        }
    }

    /** Apify's envelope: {@code {"data": value}} as JSON. Serialises now, on the calling (worker) thread. */
    static Full data(int status, Object value) {
        return json(status, Map.of("data", value));
    }

    /** {@code value} as JSON, with no envelope. */
    static Full json(int status, Object value) {
        try {
            return new Full(status, JSON, Json.MAPPER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialise response of type " + value.getClass().getSimpleName(), e);
        }
    }

    static Full bytes(int status, String contentType, byte[] body) {
        return new Full(status, contentType, body, Map.of());
    }

    static Full noContent() {
        return new Full(204, null, new byte[0], Map.of());
    }
}
