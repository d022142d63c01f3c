package io.actord.daemon.run;

import io.actord.daemon.api.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RunChargesTest {
    @Test
    void shouldAddCountsPerEvent() {
        RunCharges c = RunCharges.NONE.charge("page", 2, "a").charge("start", 1, null).charge("page", 5, "b");
        assertEquals(Map.of("page", 7L, "start", 1L), c.eventCounts());
        assertEquals(List.of("a", "b"), c.recentKeys());
    }

    @Test
    void shouldChargeAKeyOnce() {
        RunCharges once = RunCharges.NONE.charge("page", 2, "a");
        assertSame(once, once.charge("page", 2, "a"));
        assertSame(once, once.charge("other", 9, "a"), "a key names one charge, whatever it says");
    }

    @Test
    void shouldForgetOnlyTheOldestKeys() {
        RunCharges c = RunCharges.NONE;
        for (int i = 0; i <= RunCharges.KEPT_KEYS; i++) {
            c = c.charge("e", 1, "k" + i);
        }
        assertEquals(RunCharges.KEPT_KEYS, c.recentKeys().size());
        assertEquals("k1", c.recentKeys().get(0));
        assertSame(c, c.charge("e", 1, "k" + RunCharges.KEPT_KEYS));
        assertEquals(RunCharges.KEPT_KEYS + 2, c.charge("e", 1, "k0").eventCounts().get("e"));
    }

    @Test
    void shouldRefuseBadCharges() {
        assertThrows(ApiException.class, () -> RunCharges.NONE.charge(null, 1, null));
        assertThrows(ApiException.class, () -> RunCharges.NONE.charge(" ", 1, null));
        assertThrows(ApiException.class, () -> RunCharges.NONE.charge("e", 0, null));
        assertThrows(ApiException.class, () -> RunCharges.NONE.charge("e", 1, "k".repeat(201)));
        RunCharges full = RunCharges.NONE;
        for (int i = 0; i < RunCharges.MAX_EVENTS; i++) {
            full = full.charge("e" + i, 1, null);
        }
        RunCharges atCap = full;
        assertThrows(ApiException.class, () -> atCap.charge("one-more", 1, null));
        assertEquals(2L, atCap.charge("e0", 1, null).eventCounts().get("e0"), "a known event still counts");
    }

    @Test
    void shouldNotOverflow() {
        assertEquals(Long.MAX_VALUE, RunCharges.NONE.charge("e", Long.MAX_VALUE, null).charge("e", 5, null)
                .eventCounts().get("e"));
    }
}
