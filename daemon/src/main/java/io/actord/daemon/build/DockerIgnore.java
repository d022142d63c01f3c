package io.actord.daemon.build;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code .dockerignore}, read and matched as moby/patternmatcher does ({@code ignorefile.ReadAll} and
 * {@code MatchesOrParentMatches}): one pattern a line; a line starting with {@code #} is a comment; blanks around a
 * pattern are trimmed; a leading {@code !} makes an exception; patterns are cleaned as Go's {@code filepath.Clean}
 * does and a leading {@code /} is dropped (so {@code /foo} and {@code ./foo} are {@code foo}). A path is excluded
 * when the last pattern that matches it or one of its parent directories is not an exception.
 */
public final class DockerIgnore {
    private final List<IgnorePattern> patterns;
    private final boolean exclusions;

    private DockerIgnore(List<IgnorePattern> patterns) {
        this.patterns = List.copyOf(patterns);
        this.exclusions = patterns.stream().anyMatch(IgnorePattern::exclusion);
    }

    /** Nothing excluded. */
    public static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    /** The patterns of a {@code .dockerignore} file's text. */
    public static DockerIgnore parse(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<IgnorePattern> patterns = new ArrayList<>();
        for (String raw : body.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean invert = pattern.charAt(0) == '!';
            if (invert) {
                pattern = pattern.substring(1).strip();
            }
            if (!pattern.isEmpty()) {
                pattern = clean(pattern);
                if (pattern.length() > 1 && pattern.charAt(0) == '/') {
                    pattern = pattern.substring(1);
                }
            } else if (invert) {
                throw new DockerfileException(".dockerignore: illegal exclusion pattern: \"!\"");
            }
            try {
                patterns.add(new IgnorePattern(pattern, invert));
            } catch (DockerfileException e) {
                throw new DockerfileException(".dockerignore: " + e.getMessage());
            }
        }
        return new DockerIgnore(patterns);
    }

    /** Whether some pattern is an exception ({@code !...}), so an excluded directory may still hold included files. */
    public boolean hasExceptions() {
        return exclusions;
    }

    /** Whether {@code path} (relative to the context, '/'-separated) is left out of the context. */
    public boolean excludes(String path) {
        String file = clean(path);
        int slash = file.lastIndexOf('/');
        String[] parents = slash < 0 ? new String[0] : file.substring(0, slash).split("/");
        boolean matched = false;
        for (IgnorePattern pattern : patterns) {
            if (pattern.exclusion() != matched) {
                continue;
            }
            boolean match = pattern.matches(file);
            for (int i = 0; !match && i < parents.length; i++) {
                match = pattern.matches(String.join("/", Arrays.asList(parents).subList(0, i + 1)));
            }
            if (match) {
                matched = !pattern.exclusion();
            }
        }
        return matched;
    }

    /** Go's {@code filepath.Clean}: no '.' or empty elements, '..' resolved lexically, no trailing '/'. */
    static String clean(String path) {
        boolean rooted = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                    parts.remove(parts.size() - 1);
                    continue;
                }
                if (rooted) {
                    continue;
                }
            }
            parts.add(part);
        }
        String joined = String.join("/", parts);
        return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
