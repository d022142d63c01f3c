package io.actord.cli.output;

import java.util.Locale;

/** ANSI SGR styling (ECMA-48), or none: one instance decides for the whole invocation. */
public final class Style {
    /** The tones the CLI uses; each maps to one SGR sequence. */
    public enum Tone {
        PLAIN(""), BOLD("1"), DIM("2"), RED("31"), GREEN("32"), YELLOW("33"), BLUE("34"), CYAN("36"), MAGENTA("35");

        private final String sgr;

        Tone(String sgr) {
            this.sgr = sgr;
        }
    }

    private static final Style NONE = new Style(false);
    private static final Style ANSI = new Style(true);

    private final boolean enabled;

    private Style(boolean enabled) {
        this.enabled = enabled;
    }

    public static Style of(boolean enabled) {
        return enabled ? ANSI : NONE;
    }

    public boolean enabled() {
        return enabled;
    }

    public String apply(Styled s) {
        return apply(s.text(), s.tone());
    }

    public String apply(String text, Tone tone) {
        if (!enabled || tone == Tone.PLAIN || text.isEmpty()) {
            return text;
        }
        return "\u001B[" + tone.sgr + "m" + text + "\u001B[0m";
    }

    /** A run status in its colour: green done, red failed, yellow stopped by someone, blue still going. */
    public static Styled status(String status) {
        return new Styled(status, toneOf(status));
    }

    static Tone toneOf(String status) {
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "SUCCEEDED" -> Tone.GREEN;
            case "FAILED", "TIMED-OUT" -> Tone.RED;
            case "ABORTED", "ABORTING", "TIMING-OUT" -> Tone.YELLOW;
            case "RUNNING" -> Tone.BLUE;
            case "READY" -> Tone.CYAN;
            default -> Tone.PLAIN;
        };
    }
}
