package io.actord.daemon.build;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
        boolean inClass = false;
        for (int i = 0; i < cleaned.length(); i++) {
            char ch = cleaned.charAt(i);
            if (ch == '*' && !inClass) {
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
            } else if (ch == '?' && !inClass) {
                regex.append("[^/]");
                matchType = MatchType.REGEXP;
            } else if (ch == '\\') {
                regex.append(i + 1 < cleaned.length() ? Pattern.quote(String.valueOf(cleaned.charAt(++i))) : "\\\\");
            } else if (ch == '[' && !inClass) {
                inClass = true;
                regex.append('[');
                matchType = MatchType.REGEXP;
            } else if (ch == ']' && inClass) {
                inClass = false;
                regex.append(']');
            } else if (Character.isLetterOrDigit(ch) || (inClass && (ch == '^' || ch == '-'))) {
                regex.append(ch);
            } else {
                regex.append('\\').append(ch);
            }
        }
        if (inClass) {
            throw new DockerfileException("syntax error in pattern \"" + cleaned + "\"");
        }
        this.type = matchType;
        try {
            this.regexp = matchType == MatchType.REGEXP ? Pattern.compile(regex.append('$').toString()) : null;
        } catch (PatternSyntaxException e) {
            throw new DockerfileException("syntax error in pattern \"" + cleaned + "\"");
        }
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
