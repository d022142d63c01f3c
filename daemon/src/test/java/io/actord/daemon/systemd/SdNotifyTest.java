package io.actord.daemon.systemd;

import io.actord.daemon.testing.NotifySocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sd_notify messages as a service manager receives them: on a real AF_UNIX datagram socket. */
class SdNotifyTest {
    private static final long PID = 4242;

    @TempDir
    Path dir;

    private NotifySocket manager;

    @AfterEach
    void close() throws IOException {
        if (manager != null) {
            manager.close();
        }
    }

    private String receive() throws Exception {
        return manager.receive(Duration.ofSeconds(10));
    }

    @Test
    void shouldSendTheProtocolsAssignmentsToAPathSocket() throws Exception {
        Path path = dir.resolve("notify");
        manager = NotifySocket.bind(path.toString());
        SdNotify notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", path.toString()), PID);

        notify.ready("serving;\n2 active runs");
        assertEquals("READY=1\nSTATUS=serving; 2 active runs", receive(), "one line of status");
        notify.status("recovering");
        assertEquals("STATUS=recovering", receive());
        notify.stopping("stopping");
        assertEquals("STOPPING=1\nSTATUS=stopping", receive());
        notify.extendTimeout(Duration.ofSeconds(30));
        assertEquals("EXTEND_TIMEOUT_USEC=30000000", receive());
        notify.watchdog();
        assertEquals("WATCHDOG=1", receive());
    }

    @Test
    void shouldReachAnAbstractSocket() throws Exception {
        String name = "actord-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        manager = NotifySocket.bind("\0" + name);
        SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name), PID).ready("up");
        assertEquals("READY=1\nSTATUS=up", receive());
    }

    @Test
    void shouldDoNothingWithoutNotifySocket() {
        SdNotify notify = SdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "1000000"), PID);
        assertFalse(notify.enabled());
        assertEquals(Optional.empty(), notify.watchdogPeriod());
        notify.ready("up");
        notify.watchdog();
    }

    @Test
    void shouldKeepRunningWhenNobodyListens() {
        SdNotify notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", dir.resolve("gone").toString()), PID);
        assertTrue(notify.enabled());
        notify.ready("up");
        notify.status("still up");
    }

    @Test
    void shouldFeedTheWatchdogOnlyForItsOwnPid() {
        String socket = dir.resolve("notify").toString();
        assertEquals(Optional.of(Duration.ofSeconds(20)), SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket,
                "WATCHDOG_USEC", "20000000"), PID).watchdogPeriod());
        assertEquals(Optional.of(Duration.ofMillis(1500)), SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket,
                "WATCHDOG_USEC", "1500000", "WATCHDOG_PID", Long.toString(PID)), PID).watchdogPeriod());
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket,
                "WATCHDOG_USEC", "20000000", "WATCHDOG_PID", "1"), PID).watchdogPeriod(), "inherited from a parent");
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket,
                "WATCHDOG_USEC", "soon"), PID).watchdogPeriod());
    }
}
