package io.actord.daemon.standby;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class StandbyCredentialsTest {
    @Test
    void shouldTakeTheBearerHeaderOut() {
        HttpHeaders h = new DefaultHttpHeaders().add("Authorization", "Bearer abc_1").add("X-Other", "1");
        StandbyCredentials.Taken t = StandbyCredentials.take(h, "/a?b=1");
        assertEquals(Optional.of("abc_1"), t.token());
        assertEquals("/a?b=1", t.uri());
        assertNull(h.get("Authorization"));
        assertEquals("1", h.get("X-Other"));
    }

    @Test
    void shouldLeaveAnotherAuthorizationSchemeToTheActor() {
        HttpHeaders h = new DefaultHttpHeaders().add("Authorization", "Basic dTpw");
        assertEquals(Optional.empty(), StandbyCredentials.take(h, "/").token());
        assertEquals("Basic dTpw", h.get("Authorization"));
    }

    @Test
    void shouldTakeEveryTokenParameterOutAndKeepTheRestAsSent() {
        StandbyCredentials.Taken t = StandbyCredentials.take(new DefaultHttpHeaders(),
                "/search?q=a%20b&token=tok&x=&token=other#frag");
        assertEquals(Optional.of("tok"), t.token());
        assertEquals("/search?q=a%20b&x=#frag", t.uri());
        assertEquals("/p", StandbyCredentials.take(new DefaultHttpHeaders(), "/p?token=t").uri());
        assertEquals("/p?tokens=1", StandbyCredentials.take(new DefaultHttpHeaders(), "/p?tokens=1").uri());
    }

    @Test
    void shouldPreferTheHeaderAndStillStripTheParameter() {
        HttpHeaders h = new DefaultHttpHeaders().add("Authorization", "bearer head");
        StandbyCredentials.Taken t = StandbyCredentials.take(h, "/?token=query");
        assertEquals(Optional.of("head"), t.token());
        assertEquals("/", t.uri());
    }

    @Test
    void shouldRefuseWhatNoTokenLooksLike() {
        assertFalse(StandbyCredentials.wellFormed(""));
        assertFalse(StandbyCredentials.wellFormed("a b"));
        assertFalse(StandbyCredentials.wellFormed("x".repeat(513)));
    }
}
