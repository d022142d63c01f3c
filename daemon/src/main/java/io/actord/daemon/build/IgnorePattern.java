package io.actord.daemon.build;

import java.util.regex.Pattern;

/**
 * One pattern of moby/patternmatcher: Go {@code filepath.Match} syntax ({@code *} and {@code ?} within one path
 * element, {@code [...]} classes, the escape {@code \}) plus {@code **} for any number of elements. Like the
 * original, plain patterns compare as strings, {@code x/**} as a prefix and {@code **}{@code /x} as a suffix; the
 * rest become a regular expression.
 */
final class IgnorePattern {
    private enum MatchType { EXACT, PREFIX, SUFFIX, REGEXP }

    private final String cleaned;
    private final boolean exclusion;
    private final MatchType type;
    private final Pattern regexp;

    IgnorePattern(String cleaned, boolean exclusion) {
        this(cleaned, exclusion, true);
    }

    /** A COPY source pattern: Go's {@code filepath.Match}, where {@code **} is just two stars. */
    static IgnorePattern glob(String pattern) {
        return new IgnorePattern(pattern, false, false);
    }

    private IgnorePattern(String cleaned, boolean exclusion, boolean doubleStar) {
        this.cleaned = cleaned;
        this.exclusion = exclusion;
        StringBuilder regex = new StringBuilder("^");
        MatchType matchType = MatchType.EXACT;
        for (int i = 0; i < cleaned.length(); i++) {
            char ch = cleaned.charAt(i);
            if (ch == '*') {
                if (doubleStar && i + 1 < cleaned.length() && cleaned.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < cleaned.length() && cleaned.charAt(i + 1) == '/') {
                        i++;
                    }
                    if (i + 1 == cleaned.length()) {
                        if (matchType == MatchType.EXACT) {
                            matchType = MatchType.PREFIX;
                        } else {
                            regex.append(".*");
                            matchType = MatchType.REGEXP;
                        }
                    } else {
                        regex.append("(.*/)?");
                        matchType = MatchType.REGEXP;
                    }
                    if (i <= 2 && cleaned.startsWith("**")) {
                        matchType = MatchType.SUFFIX;
                    }
                } else {
                    regex.append("[^/]*");
                    matchType = MatchType.REGEXP;
                }
            } else if (ch == '?') {
                regex.append("[^/]");
                matchType = MatchType.REGEXP;
            } else if (ch == '\\') {
                if (i + 1 == cleaned.length()) {
                    throw badPattern(cleaned);
                }
                regex.append(literal(cleaned.charAt(++i)));
                matchType = MatchType.REGEXP;
            } else if (ch == '[') {
                i = characterClass(cleaned, i, regex);
                matchType = MatchType.REGEXP;
            } else {
                regex.append(literal(ch));
            }
        }
        this.type = matchType;
        this.regexp = matchType == MatchType.REGEXP ? Pattern.compile(regex.append('$').toString()) : null;
    }

    /**
     * Go's {@code filepath.Match} class {@code [^lo-hi\c...]} starting at {@code open}, appended to {@code regex};
     * returns the index of its ']'. An empty class, an unescaped '-' at an end, a range of ranges or no ']' is bad.
     */
    private static int characterClass(String pattern, int open, StringBuilder regex) {
        int i = open + 1;
        regex.append('[');
        if (i < pattern.length() && pattern.charAt(i) == '^') {
            regex.append('^');
            i++;
        }
        boolean empty = true;
        while (i < pattern.length() && (pattern.charAt(i) != ']' || empty)) {
            int[] lo = classChar(pattern, i);
            regex.append(literal((char) lo[0]));
            i = lo[1];
            if (i < pattern.length() && pattern.charAt(i) == '-') {
                int[] hi = classChar(pattern, i + 1);
                if (hi[0] < lo[0]) {
                    throw badPattern(pattern);
                }
                regex.append('-').append(literal((char) hi[0]));
                i = hi[1];
            }
            empty = false;
        }
        if (i >= pattern.length()) {
            throw badPattern(pattern);
        }
        regex.append(']');
        return i;
    }

    /** One class character at {@code at}: its value and the index after it. */
    private static int[] classChar(String pattern, int at) {
        if (at >= pattern.length()) {
            throw badPattern(pattern);
        }
        char ch = pattern.charAt(at);
        if (ch == '-' || ch == ']') {
            throw badPattern(pattern);
        }
        if (ch == '\\') {
            if (at + 1 >= pattern.length()) {
                throw badPattern(pattern);
            }
            return new int[] {pattern.charAt(at + 1), at + 2};
        }
        return new int[] {ch, at + 1};
    }

    private static String literal(char ch) {
        return Character.isLetterOrDigit(ch) || ch == '/' ? String.valueOf(ch) : "\\x{" + Integer.toHexString(ch) + "}";
    }

    private static DockerfileException badPattern(String pattern) {
        return new DockerfileException("syntax error in pattern \"" + pattern + "\"");
    }

    boolean exclusion() {
        return exclusion;
    }

    boolean matches(String path) {
        return switch (type) {
            case EXACT -> path.equals(cleaned);
            case PREFIX -> path.startsWith(cleaned.substring(0, cleaned.length() - 2));
            case SUFFIX -> {
                String suffix = cleaned.substring(2);
                yield path.endsWith(suffix) || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
            }
            case REGEXP -> regexp.matcher(path).matches();
        };
    }

    @Override
    public String toString() {
        return (exclusion ? "!" : "") + cleaned;
    }
}
