package io.actord.daemon.http;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PathTemplateRestTest {
    private final PathTemplate records = PathTemplate.parse("/v2/key-value-stores/{storeId}/records/{key+}");

    @Test
    void shouldTakeOneSegmentAsTheRest() {
        assertEquals(Optional.of(Map.of("storeId", "s", "key", "INPUT")), records.match("/v2/key-value-stores/s/records/INPUT"));
    }

    @Test
    void shouldJoinSeveralSegmentsWithSlashes() {
        assertEquals(Optional.of(Map.of("storeId", "s", "key", "a/b/c")),
                records.match("/v2/key-value-stores/s/records/a/b/c"));
        assertEquals(Optional.of(Map.of("storeId", "s", "key", "a/b")), records.match("/v2/key-value-stores/s/records/a%2Fb"));
    }

    @Test
    void shouldNeedAtLeastOneSegment() {
        assertEquals(Optional.empty(), records.match("/v2/key-value-stores/s/records"));
        assertEquals(Optional.empty(), records.match("/v2/key-value-stores/s/records/"));
        assertEquals(Optional.empty(), records.match("/v2/key-value-stores/s/keys/x"));
    }

    @Test
    void shouldCountOnlyLiteralSegments() {
        assertEquals(3, records.literals());
    }
}
