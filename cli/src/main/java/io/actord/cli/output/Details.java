package io.actord.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** One record as aligned {@code Label:  value} lines (for {@code get} commands). */
public final class Details {
    private final List<String> labels = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /** Adds a line; a null value prints "-". */
    public Details add(String label, Object value) {
        labels.add(label);
        values.add(value);
        return this;
    }

    public void render(PrintStream out, Style style) {
        int width = labels.stream().mapToInt(String::length).max().orElse(0) + 1;
        for (int i = 0; i < labels.size(); i++) {
            Object value = values.get(i);
            String text = Table.text(value);
            String label = labels.get(i) + ":";
            out.println(style.apply(label, Style.Tone.BOLD) + " ".repeat(width - label.length() + 2)
                    + (value instanceof Styled s ? style.apply(new Styled(text, s.tone())) : text));
        }
    }
}
