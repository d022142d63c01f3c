package io.actord.daemon.runlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLogsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.006Z"), ZoneOffset.UTC);
    private static final String TS = "2026-01-02T03:04:05.006Z ";

    @TempDir
    Path dir;

    @Test
    void shouldPrefixEveryLineWithATimestampAcrossChunks() {
        RunLogs logs = new RunLogs(dir, 1 << 20, CLOCK);
        RunLog log = logs.open("r1");
        append(log, "hel");
        append(log, "lo\nwor");
        append(log, "ld\n\n");
        assertEquals(TS + "hello\n" + TS + "world\n" + TS + "\n", text(logs.read("r1")));
    }

    @Test
    void shouldStartASystemLineOnALineOfItsOwn() {
        RunLogs logs = new RunLogs(dir, 1 << 20, CLOCK);
        RunLog log = logs.open("r1");
        append(log, "partial");
        log.system("Sent SIGTERM to the actor");
        append(log, "next\n");
        assertEquals(TS + "partial\n" + TS + "ACTOR: Sent SIGTERM to the actor\n" + TS + "next\n", text(logs.read("r1")));
    }

    @Test
    void shouldStopAtTheCapAndSaySo() {
        RunLogs logs = new RunLogs(dir, 100, CLOCK);
        RunLog log = logs.open("r1");
        for (int i = 0; i < 50; i++) {
            append(log, "0123456789\n");
        }
        String text = text(logs.read("r1"));
        assertTrue(text.contains("ACTOR: the log reached its limit of 100 bytes; later output is dropped\n"), text);
        assertTrue(text.length() < 100 + 120, text);
        log.system("The container exited, exit code 0");
        assertTrue(text(logs.read("r1")).endsWith("ACTOR: The container exited, exit code 0\n"),
                "the daemon's own lines still get in");
    }

    @Test
    void shouldFollowFromTheStartThenLiveThenEnd() {
        RunLogs logs = new RunLogs(dir, 1 << 20, CLOCK);
        RunLog log = logs.open("r1");
        append(log, "before\n");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicBoolean ended = new AtomicBoolean();
        logs.follow("r1", new LogFollower() {
            @Override
            public void chunk(byte[] bytes) {
                got.writeBytes(bytes);
            }

            @Override
            public void end() {
                ended.set(true);
            }
        });
        append(log, "after\n");
        assertEquals(TS + "before\n" + TS + "after\n", got.toString(StandardCharsets.UTF_8));
        logs.finish("r1");
        assertTrue(ended.get());
    }

    @Test
    void shouldSendAFinishedLogAndEndAtOnce() {
        RunLogs logs = new RunLogs(dir, 1 << 20, CLOCK);
        append(logs.open("r1"), "done\n");
        logs.finish("r1");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicBoolean ended = new AtomicBoolean();
        logs.follow("r1", new LogFollower() {
            @Override
            public void chunk(byte[] bytes) {
                got.writeBytes(bytes);
            }

            @Override
            public void end() {
                ended.set(true);
            }
        });
        assertEquals(TS + "done\n", got.toString(StandardCharsets.UTF_8));
        assertTrue(ended.get());
    }

    @Test
    void shouldContinueTheLogOfAResurrectedRunOnANewLine() {
        RunLogs logs = new RunLogs(dir, 1 << 20, CLOCK);
        append(logs.open("r1"), "first life, no newline");
        logs.finish("r1");
        RunLog again = logs.open("r1");
        again.system("Starting the container");
        append(again, "second life\n");
        assertEquals(TS + "first life, no newline\n" + TS + "ACTOR: Starting the container\n" + TS + "second life\n",
                text(logs.read("r1")));
    }

    private static void append(RunLog log, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        log.append(b, 0, b.length);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
