package io.actord.cli.output;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TableTest {
    @Test
    void shouldAlignColumnsOnThePlainTextWhateverTheColours() {
        Table t = new Table("ID", "STATUS", "NOTE").row("a", Style.status("SUCCEEDED"), "x")
                .row("bbbb", Style.status("FAILED"), null);
        assertEquals("ID     STATUS      NOTE\na      SUCCEEDED   x\nbbbb   FAILED      -\n", render(t, Style.of(false)));
        assertEquals("\u001B[1mID\u001B[0m     \u001B[1mSTATUS\u001B[0m      \u001B[1mNOTE\u001B[0m\n"
                + "a      \u001B[32mSUCCEEDED\u001B[0m   x\n"
                + "bbbb   \u001B[31mFAILED\u001B[0m      -\n", render(t, Style.of(true)));
    }

    @Test
    void shouldKeepACellOnOneLine() {
        Table t = new Table("A", "B").row("two\nlines", "tab\there");
        assertEquals("A           B\ntwo lines   tab here\n", render(t, Style.of(false)));
    }

    @Test
    void shouldAlignDetails() {
        Details d = new Details().add("ID", "x").add("Container URL", Style.status("RUNNING")).add("None", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.render(new PrintStream(out, true, StandardCharsets.UTF_8), Style.of(false));
        assertEquals("ID:             x\nContainer URL:  RUNNING\nNone:           -\n", out.toString(StandardCharsets.UTF_8));
    }

    private static String render(Table t, Style style) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.render(new PrintStream(out, true, StandardCharsets.UTF_8), style);
        return out.toString(StandardCharsets.UTF_8);
    }
}
