package io.actord.daemon.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path with {@code {name}} segments, e.g. {@code /v2/actor-runs/{runId}/log}. Matching splits the raw
 * path on '/' first and percent-decodes each segment after, so an id containing an encoded '/' or '~'
 * stays one segment. A trailing '/' is ignored. A last segment {@code {name+}} takes the rest of the path,
 * one or more segments joined by '/' (a record key sent unencoded as {@code records/a/b} is then seen, and
 * refused, as the key "a/b" instead of as an unknown path).
 */
public final class PathTemplate {
    private final String pattern;
    private final List<String> segments;
    private final int literals;

    private PathTemplate(String pattern, List<String> segments) {
        this.pattern = pattern;
        this.segments = segments;
        this.literals = (int) segments.stream().filter(s -> !isParam(s)).count();
    }

    public static PathTemplate parse(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + pattern);
        }
        return new PathTemplate(pattern, split(pattern));
    }

    /** The parameters when {@code rawPath} matches, else empty. */
    public Optional<Map<String, String>> match(String rawPath) {
        List<String> parts = split(rawPath);
        boolean rest = !segments.isEmpty() && isRest(segments.get(segments.size() - 1));
        if (rest ? parts.size() < segments.size() : parts.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        if (rest) {
            int last = segments.size() - 1;
            List<String> tail = new ArrayList<>();
            parts.subList(last, parts.size()).forEach(p -> tail.add(decode(p)));
            String value = String.join("/", tail);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            String want = segments.get(last);
            params.put(want.substring(1, want.length() - 2), value);
            parts = parts.subList(0, last);
        }
        for (int i = 0; i < parts.size(); i++) {
            String want = segments.get(i);
            String got = decode(parts.get(i));
            if (isParam(want)) {
                if (got.isEmpty()) {
                    return Optional.empty();
                }
                params.put(want.substring(1, want.length() - 1), got);
            } else if (!want.equals(got)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** How many literal segments the template has: the more, the more specific. */
    public int literals() {
        return literals;
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static boolean isRest(String segment) {
        return segment.length() > 3 && segment.startsWith("{") && segment.endsWith("+}");
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>(List.of(path.split("/", -1)));
        parts.remove(0);
        if (!parts.isEmpty() && parts.get(parts.size() - 1).isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
