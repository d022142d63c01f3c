package io.actord.daemon.build;

import java.util.Map;

/**
 * Docker's variable substitution (BuildKit's {@code shell} lexer, {@code ProcessWord}): one word in, one word out,
 * quotes removed.
 * <ul>
 * <li>{@code $V}, {@code ${V}}; an unset variable gives the empty string; {@code $} not followed by a name stays.</li>
 * <li>{@code ${V:-word}} (word when V is unset or empty), {@code ${V-word}} (when unset), {@code ${V:+word}} (word
 * when V is set and not empty), {@code ${V+word}} (when set), {@code ${V:?msg}} and {@code ${V?msg}} (an error).
 * The word is itself substituted. Pattern forms ({@code #}, {@code %}, {@code /}) are not supported.</li>
 * <li>The escape character takes the next character literally; at the end of the word it is dropped.</li>
 * <li>Single quotes stop everything until the closing quote. Double quotes keep substitution; inside them the
 * escape character only escapes {@code "}, {@code $} and itself.</li>
 * </ul>
 */
public final class Substitution {
    private final char escape;

    public Substitution(char escape) {
        this.escape = escape;
    }

    /**
     * {@code word} with the variables of {@code env} substituted and quotes removed.
     *
     * @throws DockerfileException (without a line: the caller adds it) when the word is malformed
     */
    public String apply(String word, Map<String, String> env) {
        return new Scan(word, env).until((char) 0);
    }

    private final class Scan {
        private static final char END = 0;
        private final String text;
        private final Map<String, String> env;
        private int pos;

        Scan(String text, Map<String, String> env) {
            this.text = text;
            this.env = env;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : END;
        }

        private char next() {
            return pos < text.length() ? text.charAt(pos++) : END;
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        String until(char stop) {
            StringBuilder result = new StringBuilder();
            while (!atEnd()) {
                char ch = peek();
                if (stop != END && ch == stop) {
                    pos++;
                    return result.toString();
                }
                switch (ch) {
                    case '\'' -> result.append(singleQuoted());
                    case '"' -> result.append(doubleQuoted());
                    case '$' -> result.append(dollar());
                    default -> {
                        pos++;
                        if (ch == escape) {
                            if (atEnd()) {
                                break;
                            }
                            ch = next();
                        }
                        result.append(ch);
                    }
                }
            }
            if (stop != END) {
                throw new DockerfileException("unexpected end of statement while looking for matching " + stop);
            }
            return result.toString();
        }

        private String singleQuoted() {
            pos++;
            int close = text.indexOf('\'', pos);
            if (close < 0) {
                throw new DockerfileException("unexpected end of statement while looking for matching single-quote");
            }
            String value = text.substring(pos, close);
            pos = close + 1;
            return value;
        }

        private String doubleQuoted() {
            pos++;
            StringBuilder result = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new DockerfileException(
                            "unexpected end of statement while looking for matching double-quote");
                }
                char ch = peek();
                if (ch == '"') {
                    pos++;
                    return result.toString();
                }
                if (ch == '$') {
                    result.append(dollar());
                    continue;
                }
                pos++;
                if (ch == escape) {
                    if (atEnd()) {
                        continue;
                    }
                    char escaped = peek();
                    if (escaped == '"' || escaped == '$' || escaped == escape) {
                        ch = next();
                    }
                }
                result.append(ch);
            }
        }

        private String dollar() {
            pos++;
            if (peek() != '{') {
                String name = name();
                return name.isEmpty() ? "$" : env.getOrDefault(name, "");
            }
            pos++;
            char first = peek();
            if (atEnd()) {
                throw new DockerfileException("syntax error: missing '}'");
            }
            if (first == '{' || first == '}' || first == ':') {
                throw new DockerfileException("syntax error: bad substitution");
            }
            String name = name();
            char ch = next();
            if (ch == '}') {
                return env.getOrDefault(name, "");
            }
            boolean nullIsUnset = false;
            String modifier = String.valueOf(ch);
            if (ch == ':') {
                nullIsUnset = true;
                ch = next();
                modifier += ch;
            }
            if (ch != '-' && ch != '+' && ch != '?') {
                throw new DockerfileException(ch == END ? "syntax error: missing '}'"
                        : "unsupported modifier (" + modifier + ") in substitution of " + name);
            }
            String word;
            try {
                word = until('}');
            } catch (DockerfileException e) {
                throw atEnd() ? new DockerfileException("syntax error: missing '}'") : e;
            }
            String value = env.get(name);
            boolean unset = value == null || (nullIsUnset && value.isEmpty());
            return switch (ch) {
                case '-' -> unset ? word : value;
                case '+' -> unset ? "" : word;
                default -> {
                    if (unset) {
                        throw new DockerfileException(name + ": " + (!word.isEmpty() ? word
                                : value == null ? "is not allowed to be unset" : "is not allowed to be empty"));
                    }
                    yield value;
                }
            };
        }

        /** A name: letters, digits and '_'; or a run of digits; or one special parameter character. */
        private String name() {
            int start = pos;
            if (Character.isDigit(peek())) {
                while (Character.isDigit(peek())) {
                    pos++;
                }
                return text.substring(start, pos);
            }
            if ("@*#?-$!0".indexOf(peek()) >= 0 && !atEnd()) {
                pos++;
                return text.substring(start, pos);
            }
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
                pos++;
            }
            return text.substring(start, pos);
        }
    }
}
