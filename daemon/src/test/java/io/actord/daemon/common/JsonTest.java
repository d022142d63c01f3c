package io.actord.daemon.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {
    @Test
    void shouldWriteInstantsWithMillisecondsAlways() throws Exception {
        assertEquals("{\"at\":\"2026-01-02T03:04:05.000Z\"}",
                Json.MAPPER.writeValueAsString(Map.of("at", Instant.parse("2026-01-02T03:04:05Z"))));
        assertEquals("{\"at\":\"2026-01-02T03:04:05.123Z\"}",
                Json.MAPPER.writeValueAsString(Map.of("at", Instant.parse("2026-01-02T03:04:05.123456Z"))));
    }

    @Test
    void shouldReadInstantsBack() throws Exception {
        record R(Instant at) {
        }
        assertEquals(Instant.parse("2026-01-02T03:04:05.120Z"),
                Json.MAPPER.readValue("{\"at\":\"2026-01-02T03:04:05.120Z\",\"extra\":1}", R.class).at());
    }
}
