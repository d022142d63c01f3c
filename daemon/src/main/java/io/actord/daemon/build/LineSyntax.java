package io.actord.daemon.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The word-level rules of BuildKit's line parsers: the instruction word, the leading {@code --flags}, words that keep
 * their quotes ({@code ENV}, {@code LABEL}, {@code ARG}), whitespace-separated words and the JSON (exec) form.
 */
final class LineSyntax {
    /** Go's {@code [\t\v\f\r ]+}, the separator BuildKit splits on. */
    static final Pattern WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private LineSyntax() {
    }

    /** The instruction word, its flags (without the leading dashes' quotes) and the rest of the line, trimmed. */
    record Command(String keyword, List<String> flags, String rest) {
    }

    static Command splitCommand(String line) {
        String[] parts = WHITESPACE.split(line.strip(), 2);
        if (parts.length < 2) {
            return new Command(parts[0], List.of(), "");
        }
        List<String> flags = new ArrayList<>();
        String rest = extractFlags(parts[1], flags);
        return new Command(parts[0], flags, rest.strip());
    }

    /** Moves the leading {@code --name[=value]} words into {@code flags} and returns what follows them. */
    private static String extractFlags(String line, List<String> flags) {
        int pos = 0;
        while (true) {
            while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
                pos++;
            }
            if (!line.startsWith("--", pos)) {
                return line.substring(pos);
            }
            StringBuilder word = new StringBuilder();
            boolean blankOk = false;
            char quote = 0;
            for (; pos < line.length(); pos++) {
                char ch = line.charAt(pos);
                if (quote == 0 && Character.isWhitespace(ch)) {
                    break;
                }
                if (quote == 0 && (ch == '\'' || ch == '"')) {
                    quote = ch;
                    blankOk = true;
                } else if (quote != 0 && ch == quote) {
                    quote = 0;
                } else if (ch == '\\' && pos + 1 < line.length()) {
                    word.append(line.charAt(++pos));
                } else if (ch != '\\') {
                    word.append(ch);
                }
            }
            if (word.toString().equals("--")) {
                return line.substring(pos);
            }
            if (blankOk || word.length() > 0) {
                flags.add(word.toString());
            }
        }
    }

    /**
     * BuildKit's {@code parseWords}: splits on whitespace outside quotes, keeping quotes and escapes in the words
     * (variable substitution removes them later). An escape character at the end of the text is dropped.
     */
    static List<String> words(String rest, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean blankOk = false;
        char quote = 0;
        for (int pos = 0; pos < rest.length(); pos++) {
            char ch = rest.charAt(pos);
            if (!inWord) {
                if (Character.isWhitespace(ch)) {
                    continue;
                }
                inWord = true;
            }
            if (quote == 0 && Character.isWhitespace(ch)) {
                addWord(words, word, blankOk);
                inWord = false;
                blankOk = false;
                continue;
            }
            if (quote == 0 && (ch == '\'' || ch == '"')) {
                quote = ch;
                blankOk = true;
            } else if (quote != 0 && ch == quote) {
                quote = 0;
            } else if (ch == escape && (quote == 0 || quote == '"')) {
                if (pos + 1 == rest.length()) {
                    continue;
                }
                word.append(ch);
                ch = rest.charAt(++pos);
            }
            word.append(ch);
        }
        if (inWord) {
            addWord(words, word, blankOk);
        }
        return words;
    }

    private static void addWord(List<String> words, StringBuilder word, boolean blankOk) {
        if (blankOk || word.length() > 0) {
            words.add(word.toString());
        }
        word.setLength(0);
    }

    /** Whitespace-separated words (FROM, EXPOSE and the non-JSON COPY, ADD, VOLUME). */
    static List<String> fields(String rest) {
        String trimmed = rest.strip();
        return trimmed.isEmpty() ? List.of() : List.of(WHITESPACE.split(trimmed));
    }

    /**
     * The exec form: {@code rest} as a JSON array of strings, or empty when it is not JSON (BuildKit then takes the
     * text as the shell form, so {@code RUN [ -f x ] && y} stays a shell command). A JSON array holding anything but
     * strings is an error, as in BuildKit.
     */
    static Optional<List<String>> jsonArray(String rest, int line) {
        String text = rest.stripLeading();
        if (!text.startsWith("[")) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null || !node.isArray()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw DockerfileException.at(line, "when using JSON array syntax, arrays must be comprised of strings"
                        + " only: " + text);
            }
            values.add(element.textValue());
        }
        return Optional.of(values);
    }
}
