package io.actord.cli.output;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusLineTest {
    @Test
    void shouldPrintWholeLogLinesAboveTheLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StatusLine line = StatusLine.live(new PrintStream(err, true, StandardCharsets.UTF_8), Style.of(false), false);
        line.show(s -> "RUNNING");
        line.above(bytes("first li"), 0, 8);
        line.above(bytes("ne\nsecond"), 0, 9);
        line.close();
        String text = err.toString(StandardCharsets.UTF_8);
        String withoutLine = text.replaceAll("\r\u001B\\[2K([|/\\\\-] RUNNING)?", "");
        assertEquals("first line\nsecond\n", withoutLine, text);
        assertTrue(text.contains("| RUNNING") || text.contains("/ RUNNING") || text.contains("- RUNNING"), text);
    }

    @Test
    void shouldPassTheLogStraightThroughWhenOff() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StatusLine line = StatusLine.off(new PrintStream(err, true, StandardCharsets.UTF_8));
        line.show(s -> "RUNNING");
        line.above(bytes("partial"), 0, 7);
        line.close();
        assertEquals("partial", err.toString(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
