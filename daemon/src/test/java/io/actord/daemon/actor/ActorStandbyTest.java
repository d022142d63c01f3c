package io.actord.daemon.actor;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.common.Json;
import io.actord.daemon.run.StartRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActorStandbyTest {
    @Test
    void shouldRefuseEachBrokenFieldNamingIt() {
        ActorStandby ok = ActorStandby.ENABLED;
        assertEquals(ok, ok.validated());
        assertInvalid("desiredRequestsPerActorRun", with(ok, 0, 4, 300, "latest", 1024, null));
        assertInvalid("maxRequestsPerActorRun", with(ok, 5, 4, 300, "latest", 1024, null));
        assertInvalid("idleTimeoutSecs", with(ok, 3, 4, 0, "latest", 1024, null));
        assertInvalid("idleTimeoutSecs", with(ok, 3, 4, ActorStandby.MAX_IDLE_TIMEOUT_SECS + 1, "latest", 1024, null));
        assertInvalid("build", with(ok, 3, 4, 300, "has space", 1024, null));
        assertInvalid("build", with(ok, 3, 4, 300, "", 1024, null));
        assertInvalid("memoryMbytes", with(ok, 3, 4, 300, "latest", 1000, null));
        assertInvalid("tenancy", with(ok, 3, 4, 300, "latest", 1024, "any tenant"));
        with(ok, 1, 1, 1, "0.0.3", 128, "MULTI_TENANT").validated();
    }

    @Test
    void shouldReadAnActorStoredBeforeStandbyAsDisabled() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Actor old = new Actor(1, "actorId0000000001", "user", "ann", "srv", null, null, now, now,
                DefaultRunOptions.STANDARD, Map.of(), 0);
        String json = Json.MAPPER.writeValueAsString(old).replace(",\"actorStandby\":null", "");
        assertFalse(json.contains("actorStandby"), json);
        Actor read = Json.MAPPER.readValue(json, Actor.class);
        assertNull(read.actorStandby());
        assertEquals(ActorStandby.DISABLED, read.standby());
        Actor enabled = read.withDetails("srv", null, null, read.defaultRunOptions(), ActorStandby.ENABLED, now);
        Actor again = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(enabled), Actor.class);
        assertTrue(again.standby().isEnabled());
        assertEquals(ActorStandby.ENABLED, again.actorStandby());
    }

    @Test
    void shouldStartStandbyRunsWithOriginStandbyTheOptionsBuildAndMemoryAndNoTimeout() {
        StartRequest r = StartRequest.standby(with(ActorStandby.ENABLED, 3, 4, 300, "beta", 512, null));
        assertEquals("STANDBY", r.origin());
        assertEquals(Optional.of("beta"), r.build());
        assertEquals(Optional.of(512L), r.memoryMbytes());
        assertEquals(Optional.of(0L), r.timeoutSecs());
        assertEquals(0, r.input().length);
    }

    private static ActorStandby with(ActorStandby s, int desired, int max, int idle, String build, int memory,
                                     String tenancy) {
        return new ActorStandby(s.isEnabled(), desired, max, idle, build, memory, false, false, tenancy, null);
    }

    private static void assertInvalid(String field, ActorStandby s) {
        ApiException e = assertThrows(ApiException.class, s::validated);
        assertEquals("invalid-value", e.type().type());
        assertTrue(e.getMessage().startsWith("actorStandby." + field + " "), e.getMessage());
    }
}
