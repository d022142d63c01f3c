package io.actord.runtime;

/** A terminal's window size in character cells (struct winsize's ws_row and ws_col). */
public record TerminalSize(int rows, int columns) {
    public static final int MAX = 0xFFFF;

    public TerminalSize {
        if (rows < 1 || rows > MAX || columns < 1 || columns > MAX) {
            throw new IllegalArgumentException("a terminal size needs 1 to " + MAX + " rows and columns, got " + rows
                    + "x" + columns);
        }
    }
}
