package io.actord.daemon.build;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Dockerfile into logical lines as BuildKit's parser does: parser directives at the top, comments, line
 * continuations (with comment and empty lines inside a continuation skipped), the escape character.
 * <ul>
 * <li>Directives ({@code # escape=`}, {@code # syntax=...}, {@code # check=...}) count only before the first line
 * that is not one (a blank line, a plain comment or an unknown directive ends them); each may appear once.</li>
 * <li>A comment is a line whose first non-blank character is {@code #}; inside a continuation it is skipped.</li>
 * <li>A line continues when it ends with the escape character and optional blanks, unless that character is itself
 * escaped ({@code \\} at the end of a line ends it).</li>
 * <li>Unlike BuildKit, which takes the text as it is, a continuation still open at the end of the file is an
 * error (#21 asks for it: such a file was almost always cut short).</li>
 * </ul>
 */
final class DockerfileLines {
    private static final Pattern DIRECTIVE = Pattern.compile("([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*");
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");

    private final List<LogicalLine> lines = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> seenDirectives = new HashSet<>();
    private boolean directivesDone;
    private char escape = '\\';
    private Pattern continuation = continuationFor('\\');

    private DockerfileLines() {
    }

    /** The logical lines of {@code text}, with the escape character and warnings found on the way. */
    static DockerfileLines split(String text) {
        DockerfileLines result = new DockerfileLines();
        result.read(physicalLines(text));
        return result;
    }

    List<LogicalLine> lines() {
        return lines;
    }

    char escape() {
        return escape;
    }

    List<String> warnings() {
        return warnings;
    }

    private void read(List<String> physical) {
        int next = 0;
        while (next < physical.size()) {
            int startLine = next + 1;
            String first = physical.get(next++).stripLeading();
            directive(first, startLine);
            String text = isComment(first) ? "" : first;
            Joined joined = trimContinuation(text);
            if (joined.ended && joined.text.isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder(joined.text);
            boolean ended = joined.ended;
            boolean emptyContinuation = false;
            while (!ended && next < physical.size()) {
                String raw = physical.get(next++);
                if (isComment(raw)) {
                    continue;
                }
                if (raw.isBlank()) {
                    emptyContinuation = true;
                    continue;
                }
                Joined part = trimContinuation(raw);
                line.append(part.text);
                ended = part.ended;
            }
            if (!ended) {
                throw DockerfileException.at(startLine, "unterminated line continuation at the end of the file");
            }
            if (emptyContinuation) {
                warnings.add("Dockerfile line " + startLine
                        + ": empty continuation line (Docker will make it an error)");
            }
            lines.add(new LogicalLine(line.toString(), startLine, next));
        }
    }

    private void directive(String line, int lineNumber) {
        if (directivesDone) {
            return;
        }
        Matcher m = line.startsWith("#") ? DIRECTIVE.matcher(line.substring(1).stripLeading()) : null;
        String name = m != null && m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
        if (name == null || !DIRECTIVES.contains(name)) {
            directivesDone = true;
            return;
        }
        if (!seenDirectives.add(name)) {
            throw DockerfileException.at(lineNumber, "only one " + name + " parser directive can be used");
        }
        String value = m.group(2);
        switch (name) {
            case "escape" -> {
                if (!value.equals("\\") && !value.equals("`")) {
                    throw DockerfileException.at(lineNumber, "invalid escape token '" + value
                            + "' does not match ` or \\");
                }
                escape = value.charAt(0);
                continuation = continuationFor(escape);
            }
            case "syntax" -> warnings.add("Dockerfile line " + lineNumber + ": the syntax directive is ignored ("
                    + value
                    + "): actord parses the Dockerfile itself");
            default -> warnings.add("Dockerfile line " + lineNumber + ": the " + name + " directive is ignored");
        }
    }

    private Joined trimContinuation(String line) {
        Matcher m = continuation.matcher(line);
        if (m.find()) {
            return new Joined(m.replaceFirst("$1"), false);
        }
        return new Joined(line, true);
    }

    private static boolean isComment(String line) {
        return line.stripLeading().startsWith("#");
    }

    private static Pattern continuationFor(char escape) {
        String e = escape == '\\' ? "\\\\" : "`";
        return Pattern.compile("([^" + e + "])" + e + "[ \\t]*$|^" + e + "[ \\t]*$");
    }

    private static List<String> physicalLines(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> result = new ArrayList<>(List.of(body.split("\n", -1)));
        if (!result.isEmpty() && result.get(result.size() - 1).isEmpty()) {
            result.remove(result.size() - 1);
        }
        result.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        return result;
    }

    private record Joined(String text, boolean ended) {
    }
}
