package io.actord.daemon.cluster;

import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caller a relayed request names: each kind survives the trip, and a header that names none is refused. */
class RelayHeadersTest {
    @Test
    void shouldCarryEachKindOfCallerUnchanged() {
        Caller admin = RelayHeaders.decode(RelayHeaders.encode(Caller.admin("u1", "local")));
        assertTrue(admin.isAdmin());
        assertEquals("u1", admin.userId());

        Caller user = RelayHeaders.decode(RelayHeaders.encode(Caller.user("u2", "a&b=c d")));
        assertFalse(user.isAdmin());
        assertEquals("a&b=c d", user.username(), "a name with the separators in it");
        assertEquals(Optional.empty(), user.run());

        Caller ofRun = RelayHeaders.decode(RelayHeaders.encode(Caller.ofRun("u3", "bob", "run7")));
        assertEquals(Optional.of("run7"), ofRun.run());
        assertEquals("u3", ofRun.userId());

        assertTrue(RelayHeaders.decode(RelayHeaders.encode(Caller.anonymous())).isAnonymous());
    }

    @Test
    void shouldRefuseAHeaderThatNamesNoCaller() {
        for (String bad : new String[] {null, "", "kind=root&user=u&name=n", "kind=user&user=u",
            "kind=admin&user=u&user=v&name=n"}) {
            ApiException e = assertThrows(ApiException.class, () -> RelayHeaders.decode(bad), String.valueOf(bad));
            assertEquals("invalid-request", e.type().type());
        }
    }
}
