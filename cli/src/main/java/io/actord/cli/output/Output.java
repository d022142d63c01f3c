package io.actord.cli.output;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Where a command prints: results on stdout (a table, details or the daemon's JSON unchanged), notes and
 * the live status line on stderr. Holds the decisions made once per invocation: JSON or human, colour or
 * not on each stream, whether stderr can carry a status line.
 */
public final class Output {
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final OutputMode mode;
    private final Style style;
    private final Style errStyle;
    private final boolean outIsTerminal;
    private final boolean errIsTerminal;
    private final boolean unicode;

    public Output(PrintStream out, PrintStream err, Clock clock, OutputMode mode, Style style, Style errStyle,
                  boolean outIsTerminal, boolean errIsTerminal, boolean unicode) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.mode = mode;
        this.style = style;
        this.errStyle = errStyle;
        this.outIsTerminal = outIsTerminal;
        this.errIsTerminal = errIsTerminal;
        this.unicode = unicode;
    }

    /**
     * Whether the daemon's answer is printed as data ({@link #json(byte[])}: the JSON, filtered by jq, or only its
     * ids or names) instead of the command's own table or text.
     */
    public boolean json() {
        return mode.data();
    }

    /** Whether a table should show its wide columns ({@code -o wide}). */
    public boolean wide() {
        return mode.kind() == OutputMode.Kind.WIDE;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Style style() {
        return style;
    }

    public boolean outIsTerminal() {
        return outIsTerminal;
    }

    public boolean errIsTerminal() {
        return errIsTerminal;
    }

    public Instant now() {
        return clock.instant();
    }

    public ZoneId zone() {
        return clock.getZone();
    }

    /**
     * JSON from the daemon as the output mode asks: byte for byte (ending with a newline), through the jq filter,
     * or only the ids or names of what it holds (see {@link Records}).
     */
    public void json(byte[] body) {
        switch (mode.kind()) {
            case IDS -> Records.of(body).forEach(r -> Records.id(r).ifPresent(out::println));
            case NAMES -> Records.of(body).forEach(r -> Records.name(r).ifPresent(out::println));
            default -> {
                if (mode.jq().isPresent()) {
                    mode.jq().get().apply(Records.parse(body)).forEach(v -> out.println(JqFilter.text(v)));
                } else {
                    raw(body);
                }
            }
        }
        out.flush();
    }

    private void raw(byte[] body) {
        out.write(body, 0, body.length);
        if (body.length == 0 || body[body.length - 1] != '\n') {
            out.println();
        }
        out.flush();
    }

    /** JSON from the daemon, if it sent any (a 204 has none). */
    public void jsonIfAny(byte[] body) {
        if (body.length > 0) {
            json(body);
        }
    }

    /** Whether stdout is gone (its reader closed the pipe, as {@code head} does). */
    public boolean outClosed() {
        return out.checkError();
    }

    /**
     * Bytes as they are (a record's value). On a terminal a missing final newline is added so the prompt
     * starts on its own line; piped, the bytes are unchanged.
     */
    public void bytes(byte[] body) {
        out.write(body, 0, body.length);
        if (outIsTerminal && body.length > 0 && body[body.length - 1] != '\n') {
            out.println();
        }
        out.flush();
    }

    public void print(Table table) {
        table.render(out, style);
        out.flush();
    }

    public void print(Details details) {
        details.render(out, style);
        out.flush();
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A line whose parts may be {@link Styled}. */
    public void line(Object... parts) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            b.append(p instanceof Styled s ? style.apply(s) : String.valueOf(p));
        }
        line(b.toString());
    }

    /** A remark for people on stderr (a hint, a paging note): never mixed into the result on stdout. */
    public void note(String text) {
        err.println(errStyle.apply(text, Style.Tone.DIM));
        err.flush();
    }

    /** The live status line on stderr; a pass-through that draws nothing when stderr is not a terminal. */
    public StatusLine statusLine() {
        return errIsTerminal ? StatusLine.live(err, errStyle, unicode) : StatusLine.off(err);
    }
}
