package io.actord.daemon.logging;

import io.actord.daemon.testing.NotifySocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run lines under systemd: journald's native protocol with {@code RUN_ID=}, to a datagram socket standing in for
 * {@code /run/systemd/journal/socket}.
 */
class JournalSocketTest {
    private static final ZonedDateTime TIME = ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    @Test
    void shouldEncodeFieldsAsTheNativeProtocolDoes() {
        byte[] simple = JournalSocket.encode(Map.of("RUN_ID", "abc"));
        assertEquals("RUN_ID=abc\n", new String(simple, StandardCharsets.UTF_8));

        byte[] multi = JournalSocket.encode(Map.of("MESSAGE", "a\nb"));
        ByteBuffer expected = ByteBuffer.allocate(8 + 8 + 3 + 1).order(ByteOrder.LITTLE_ENDIAN)
                .put("MESSAGE\n".getBytes(StandardCharsets.US_ASCII)).putLong(3).put("a\nb\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected.array(), multi, "a value with a line break goes with its length, 64-bit LE");
    }

    @Test
    void shouldSendRunLinesToTheJournalWithTheirRunIdAndOthersToStderr(@TempDir Path dir) throws Exception {
        String path = dir.resolve("journal.socket").toString();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (NotifySocket journal = NotifySocket.bind(path)) {
            LogOutput output = new LogOutput(LogFormat.JOURNAL, new PrintStream(stderr, true, StandardCharsets.UTF_8),
                    new JournalSocket(path));

            output.write(new LogEvent(TIME, Level.WARN, "RunSupervisor", "run=K3Wc status=FAILED", null), false);
            output.write(new LogEvent(TIME, Level.INFO, "ApiServer", "api listening", null), false);

            String entry = journal.receive(Duration.ofSeconds(5));
            assertTrue(entry.contains("MESSAGE=RunSupervisor - run=K3Wc status=FAILED\n"), entry);
            assertTrue(entry.contains("PRIORITY=4\n"), entry);
            assertTrue(entry.contains("SYSLOG_IDENTIFIER=actord\n"), entry);
            assertTrue(entry.contains("RUN_ID=K3Wc\n"), entry);
            assertEquals("<6>ApiServer - api listening\n", stderr.toString(StandardCharsets.UTF_8),
                    "a line about no run stays on the stream");
        }
    }
}
