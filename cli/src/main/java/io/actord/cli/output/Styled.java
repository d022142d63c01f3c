package io.actord.cli.output;

/** Text with a colour or weight, applied only when the output allows escape codes. */
public record Styled(String text, Style.Tone tone) {
    @Override
    public String toString() {
        return text;
    }
}
