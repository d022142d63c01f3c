package io.actord.daemon.systemd;

import io.actord.daemon.http.InheritedListeners;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LISTEN_* parsing and socket checks, with the kernel's answers given by the test. */
class ListenFdsTest {
    private static final long PID = 777;
    private static final int UNIX = 1;
    private static final int INET = 2;
    private static final int INET6 = 10;
    private static final int STREAM = 1;
    private static final int DGRAM = 2;

    private final Map<Integer, ListenFds.Probed> sockets = new HashMap<>();
    private final List<Integer> prepared = new ArrayList<>();

    private ListenFds.Probed probe(int fd) throws IOException {
        ListenFds.Probed s = sockets.get(fd);
        if (s == null) {
            throw new IOException("EBADF");
        }
        return s;
    }

    private void socket(int fd, int family, int type, boolean listening) {
        sockets.put(fd, new ListenFds.Probed(fd, family, type, listening));
    }

    private InheritedListeners parse(Map<String, String> env) {
        return ListenFds.fromEnvironment(env, PID, this::probe, prepared::add);
    }

    @Test
    void shouldTellTheUnixSocketFromTheTcpListenerByFamily() {
        socket(3, INET6, STREAM, true);
        socket(4, UNIX, STREAM, true);

        InheritedListeners passed = parse(Map.of("LISTEN_PID", "777", "LISTEN_FDS", "2",
                "LISTEN_FDNAMES", "actord:actord"));

        assertEquals(new InheritedListeners(OptionalInt.of(4), OptionalInt.of(3)), passed);
        assertEquals(List.of(4, 3), prepared, "made ready for an event loop");
    }

    @Test
    void shouldIgnoreSocketsMeantForAnotherProcess() {
        socket(3, UNIX, STREAM, true);

        assertEquals(InheritedListeners.NONE, parse(Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1")));
        assertEquals(InheritedListeners.NONE, parse(Map.of("LISTEN_FDS", "1")));
        assertEquals(InheritedListeners.NONE, parse(Map.of()));
        assertEquals(List.of(), prepared);
    }

    @Test
    void shouldAcceptOneKindAlone() {
        socket(3, INET, STREAM, true);

        assertEquals(new InheritedListeners(OptionalInt.empty(), OptionalInt.of(3)),
                parse(Map.of("LISTEN_PID", "777", "LISTEN_FDS", "1")));
    }

    @Test
    void shouldRefuseWhatItCannotServe() {
        socket(3, UNIX, DGRAM, false);
        var e = assertThrows(IllegalStateException.class, () -> parse(Map.of("LISTEN_PID", "777", "LISTEN_FDS", "1",
                "LISTEN_FDNAMES", "notify")));
        assertTrue(e.getMessage().contains("fd 3 (notify) is not a listening stream socket"), e.getMessage());

        socket(3, 17, STREAM, true);
        e = assertThrows(IllegalStateException.class, () -> parse(Map.of("LISTEN_PID", "777", "LISTEN_FDS", "1")));
        assertTrue(e.getMessage().contains("address family 17"), e.getMessage());

        socket(3, UNIX, STREAM, true);
        socket(4, UNIX, STREAM, true);
        e = assertThrows(IllegalStateException.class, () -> parse(Map.of("LISTEN_PID", "777", "LISTEN_FDS", "2")));
        assertTrue(e.getMessage().contains("at most one of each"), e.getMessage());

        e = assertThrows(IllegalStateException.class, () -> parse(Map.of("LISTEN_PID", "777", "LISTEN_FDS", "3")));
        assertTrue(e.getMessage().contains("fd 5: EBADF"), e.getMessage());

        e = assertThrows(IllegalStateException.class, () -> parse(Map.of("LISTEN_PID", "777", "LISTEN_FDS", "x")));
        assertTrue(e.getMessage().contains("LISTEN_FDS=x"), e.getMessage());
    }
}
