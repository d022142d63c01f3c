package io.actord.cli.output;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * The bottom line of a terminal, redrawn in place ({@code CR} + {@code EL}): a spinner and what a run is
 * doing. Log text printed through {@link #above} scrolls above it, whole lines at a time, so the two never
 * mix. When stderr is not a terminal the line is never drawn and log text passes straight through.
 * Thread-safe: the ticker, the log reader and the poller all come through the monitor.
 */
public final class StatusLine implements AutoCloseable {
    private static final String ERASE = "\r\u001B[2K";
    private static final String[] UNICODE_FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final String[] ASCII_FRAMES = {"|", "/", "-", "\\"};
    private static final long TICK_MILLIS = 100;

    private final PrintStream err;
    private final Style style;
    private final String[] frames;
    private final boolean live;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private Function<Style, String> text = s -> "";
    private int frame;
    private boolean drawn;
    private boolean closed;
    private Thread ticker;

    private StatusLine(PrintStream err, Style style, boolean unicode, boolean live) {
        this.err = err;
        this.style = style;
        this.frames = unicode ? UNICODE_FRAMES : ASCII_FRAMES;
        this.live = live;
    }

    static StatusLine live(PrintStream err, Style style, boolean unicode) {
        StatusLine line = new StatusLine(err, style, unicode, true);
        line.ticker = new Thread(line::tick, "status-line");
        line.ticker.setDaemon(true);
        line.ticker.start();
        return line;
    }

    static StatusLine off(PrintStream err) {
        return new StatusLine(err, Style.of(false), false, false);
    }

    public boolean isLive() {
        return live;
    }

    /** What the line says; the function is called at each redraw, so it can show a running clock. */
    public synchronized void show(Function<Style, String> render) {
        this.text = render;
        redraw();
    }

    /** Prints log bytes above the line: complete lines now, a trailing partial line once it is complete. */
    public synchronized void above(byte[] bytes, int off, int len) {
        if (!live) {
            err.write(bytes, off, len);
            err.flush();
            return;
        }
        int lastNewline = -1;
        for (int i = off + len - 1; i >= off; i--) {
            if (bytes[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0) {
            partial.write(bytes, off, len);
            return;
        }
        erase();
        writeTo(partial, err);
        partial.reset();
        err.write(bytes, off, lastNewline - off + 1);
        partial.write(bytes, lastNewline + 1, off + len - lastNewline - 1);
        redraw();
    }

    /** Removes the line and prints any unfinished log line; the ticker stops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.interrupt();
        }
        erase();
        if (partial.size() > 0) {
            writeTo(partial, err);
            err.println();
            partial.reset();
        }
        err.flush();
    }

    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(TICK_MILLIS);
                synchronized (this) {
                    frame = (frame + 1) % frames.length;
                    redraw();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void redraw() {
        if (!live || closed) {
            return;
        }
        err.print(ERASE + style.apply(frames[frame], Style.Tone.CYAN) + " " + text.apply(style));
        err.flush();
        drawn = true;
    }

    private void erase() {
        if (drawn) {
            err.print(ERASE);
            drawn = false;
        }
    }

    private static void writeTo(ByteArrayOutputStream b, PrintStream out) {
        out.write(b.toByteArray(), 0, b.size());
    }
}
