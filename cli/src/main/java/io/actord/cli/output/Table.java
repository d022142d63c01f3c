package io.actord.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows under upper-case headers, each column as wide as its widest cell and three spaces apart (as
 * kubectl prints). Widths are measured on the plain text, so colours never shift the columns.
 */
public final class Table {
    private static final String GAP = "   ";

    private final List<String> headers;
    private final List<Object[]> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row; a cell is a {@link Styled} or anything whose {@code toString()} is the text (null prints "-"). */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of "
                    + headers.size() + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void render(PrintStream out, Style style) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = width(headers.get(c));
        }
        for (Object[] row : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], width(text(row[c])));
            }
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            cell(line, new Styled(headers.get(c), Style.Tone.BOLD), widths[c], c == widths.length - 1, style);
        }
        out.println(line.toString().stripTrailing());
        for (Object[] row : rows) {
            line.setLength(0);
            for (int c = 0; c < widths.length; c++) {
                cell(line, row[c], widths[c], c == widths.length - 1, style);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static void cell(StringBuilder line, Object cell, int width, boolean last, Style style) {
        String text = text(cell);
        line.append(cell instanceof Styled s ? style.apply(s) : text);
        if (!last) {
            line.append(" ".repeat(width - width(text))).append(GAP);
        }
    }

    static String text(Object cell) {
        if (cell == null) {
            return "-";
        }
        String s = cell.toString();
        return s.isEmpty() ? "-" : s.replace('\n', ' ').replace('\t', ' ');
    }

    /** Columns a string takes, counting code points (no East Asian width tables: the data is mostly ASCII). */
    static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    @Override
    public String toString() {
        return headers + " " + rows.stream().map(Arrays::toString).toList();
    }
}
