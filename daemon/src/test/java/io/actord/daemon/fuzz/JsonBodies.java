package io.actord.daemon.fuzz;

import io.actord.daemon.api.dto.CreateActorDto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Request bodies for the API fuzz test: objects shaped like the wire records of {@code api.dto} (read by
 * reflection, so a new field is fuzzed without a change here) with some fields of the wrong type, and JSON
 * that is random, truncated, deeply nested, huge or odd, and bytes that are no JSON at all. Strings come from
 * {@link FuzzValues}; nothing here names a host but the loopback address.
 */
final class JsonBodies {
    private static final int MAX_DEPTH = 4;
    private final List<Class<?>> records;
    private final FuzzValues values;
    private final long maxBodyBytes;

    JsonBodies(FuzzValues values, long maxBodyBytes) {
        this.records = dtoRecords();
        this.values = values;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The record classes of the wire package, found where its classes were compiled to. */
    private static List<Class<?>> dtoRecords() {
        String pkg = "io.actord.daemon.api.dto";
        try {
            Path root = Path.of(CreateActorDto.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(root)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class") && !n.contains("$"))
                        .sorted().<Class<?>>map(n -> load(pkg + "." + n.substring(0, n.length() - 6)))
                        .filter(Class::isRecord).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Class<?>> records() {
        return records;
    }

    /** The wire record a route reads, by its path, when it reads one. */
    private static final Map<String, String> ROUTE_RECORDS = new LinkedHashMap<>(Map.of(
            "/builds", "CreateBuildDto", "/metamorph", "RunMetamorphDto", "/sharing", "SharingDto",
            "/actord/users", "CreateUserDto", "/grants", "GrantDto", "/acts", "CreateActorDto",
            "/actors", "CreateActorDto", "/actor-runs/{runId}", "RunUpdateDto", "/charge", "ChargeDto"));
    /** The fields of a request queue's request, which routes read as a tree (no wire record). */
    private static final List<String> REQUEST_FIELDS = List.of("url", "uniqueKey", "method", "payload", "headers",
            "userData", "handledAt", "noRetry", "retryCount", "errorMessages", "id", "loadedUrl");

    /** A body for the route: half the time shaped as what it reads, else any ({@link #body(Random)}). */
    Body body(Random r, String template) {
        if ((template.endsWith("/items") || template.endsWith("/batch") || template.endsWith("/requests")
                || template.endsWith("/runs") || template.contains("/records/")) && r.nextInt(12) == 0) {
            return huge(r); // the routes that take many items or a large value, at their limits
        }
        if (r.nextBoolean()) {
            if (template.contains("request")) {
                StringBuilder s = new StringBuilder("{");
                for (String field : REQUEST_FIELDS) {
                    if (r.nextInt(3) != 0) {
                        sep(s);
                        s.append(FuzzValues.quote(field)).append(':').append(r.nextInt(3) == 0 ? value(r, 1)
                                : FuzzValues.quote(field.equals("url") ? "http://127.0.0.1:9/" + values.string(r)
                                : values.string(r)));
                    }
                }
                String one = s.append('}').toString();
                return json("request", r.nextBoolean() ? one : "[" + one + "," + one + "]");
            }
            if (template.contains("dataset") || template.contains("/items")) {
                return json("items", array(r, () -> value(r, 1)));
            }
            for (Map.Entry<String, String> e : ROUTE_RECORDS.entrySet()) {
                if (template.contains(e.getKey())) {
                    Class<?> type = records.stream().filter(c -> c.getSimpleName().equals(e.getValue())).findFirst()
                            .orElseThrow(() -> new IllegalStateException("no wire record " + e.getValue()));
                    return json("dto " + type.getSimpleName(), record(r, type, 0));
                }
            }
        }
        return body(r);
    }

    /** Any body, with what kind it is. */
    Body body(Random r) {
        int pick = r.nextInt(100);
        if (pick < 40) {
            Class<?> type = records.get(r.nextInt(records.size()));
            return json("dto " + type.getSimpleName(), record(r, type, 0));
        } else if (pick < 52) {
            return json("random json", value(r, 0));
        } else if (pick < 60) {
            String full = record(r, records.get(r.nextInt(records.size())), 0);
            return json("truncated json", full.substring(0, r.nextInt(full.length() + 1)));
        } else if (pick < 64) {
            return nested(r);
        } else if (pick < 67) {
            return huge(r);
        } else if (pick < 77) {
            byte[] b = new byte[r.nextInt(4) == 0 ? r.nextInt(70_000) : r.nextInt(64)];
            r.nextBytes(b);
            return new Body("random bytes", b);
        } else if (pick < 85) {
            return new Body("empty", new byte[0]);
        }
        return odd(r);
    }

    record Body(String kind, byte[] bytes) {
    }

    private static Body json(String kind, String text) {
        return new Body(kind, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An object with the record's fields: some left out, some of the wrong type, sometimes one unknown. */
    String record(Random r, Class<?> type, int depth) {
        StringBuilder s = new StringBuilder("{");
        for (RecordComponent c : type.getRecordComponents()) {
            if (r.nextInt(5) == 0) {
                continue;
            }
            sep(s);
            s.append(FuzzValues.quote(c.getName())).append(':');
            s.append(r.nextInt(4) == 0 ? value(r, depth + 1) : typed(r, c.getGenericType(), depth + 1));
        }
        if (r.nextInt(8) == 0) {
            sep(s);
            s.append(FuzzValues.quote(values.string(r))).append(':').append(value(r, depth + 1));
        }
        return s.append('}').toString();
    }

    private static void sep(StringBuilder s) {
        if (s.length() > 1) {
            s.append(',');
        }
    }

    /** A value of the declared type (an enum's constants, a record's fields, a list's elements). */
    private String typed(Random r, Type type, int depth) {
        if (depth > MAX_DEPTH) {
            return "null";
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return array(r, () -> typed(r, args[0], depth + 1));
            } else if (Map.class.isAssignableFrom(raw)) {
                StringBuilder s = new StringBuilder("{");
                for (int i = r.nextInt(4); i > 0; i--) {
                    sep(s);
                    s.append(FuzzValues.quote(values.string(r))).append(':').append(typed(r, args[1], depth + 1));
                }
                return s.append('}').toString();
            } else if (raw == Optional.class) {
                return typed(r, args[0], depth);
            }
            return value(r, depth);
        }
        if (!(type instanceof Class<?> c)) {
            return value(r, depth); // a type variable (ListPage<T>) or wildcard: anything
        }
        if (c == String.class) {
            return FuzzValues.quote(values.string(r));
        } else if (c == boolean.class || c == Boolean.class) {
            return r.nextBoolean() ? "true" : "false";
        } else if (c.isPrimitive() || Number.class.isAssignableFrom(c)) {
            return values.number(r);
        } else if (c == Instant.class) {
            return FuzzValues.quote(r.nextBoolean() ? "2026-01-01T00:00:00Z" : values.string(r));
        } else if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            Object e = constants[r.nextInt(constants.length)];
            return FuzzValues.quote(r.nextBoolean() ? e.toString() : ((Enum<?>) e).name());
        } else if (c.isRecord()) {
            return record(r, c, depth);
        }
        return value(r, depth);
    }

    private static String array(Random r, Supplier<String> element) {
        StringBuilder s = new StringBuilder("[");
        for (int i = r.nextInt(4); i > 0; i--) {
            sep(s);
            s.append(element.get());
        }
        return s.append(']').toString();
    }

    /** Any JSON value. */
    String value(Random r, int depth) {
        int pick = r.nextInt(depth > MAX_DEPTH ? 5 : 7);
        return switch (pick) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2 -> values.number(r);
            case 3, 4 -> FuzzValues.quote(values.string(r));
            case 5 -> array(r, () -> value(r, depth + 1));
            default -> {
                StringBuilder s = new StringBuilder("{");
                for (int i = r.nextInt(4); i > 0; i--) {
                    sep(s);
                    s.append(FuzzValues.quote(values.string(r))).append(':').append(value(r, depth + 1));
                }
                yield s.append('}').toString();
            }
        };
    }

    private static Body nested(Random r) {
        int depth = List.of(100, 999, 1000, 1001, 5_000, 200_000).get(r.nextInt(6));
        boolean arrays = r.nextBoolean();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            s.append(arrays ? "[" : "{\"a\":");
        }
        s.append('1');
        if (r.nextBoolean()) {
            for (int i = 0; i < depth; i++) {
                s.append(arrays ? ']' : '}');
            }
        }
        return json("nested " + depth, s.toString());
    }

    /** Large JSON, from a little under the body limit to a little over it. */
    private Body huge(Random r) {
        long size = maxBodyBytes - 64 + r.nextInt(128) - (r.nextBoolean() ? maxBodyBytes / 2 : 0);
        StringBuilder s = new StringBuilder((int) size + 16);
        switch (r.nextInt(4)) {
            case 0 -> {
                s.append("{\"name\":\"");
                while (s.length() < size - 2) {
                    s.append('x');
                }
                s.append("\"}");
            }
            case 1 -> {
                s.append('[');
                while (s.length() < size - 2) {
                    s.append("0,");
                }
                s.append("0]");
            }
            case 2 -> {
                s.append('{');
                for (int i = 0; s.length() < size - 16; i++) {
                    s.append('"').append(Integer.toString(i, 36)).append("\":0,");
                }
                s.append("\"z\":0}");
            }
            default -> {
                s.append("[");
                while (s.length() < size - 2) {
                    s.append("{},");
                }
                s.append("{}]");
            }
        }
        return json("huge " + s.length(), s.toString());
    }

    private Body odd(Random r) {
        String text = switch (r.nextInt(12)) {
            case 0 -> "\uFEFF{\"name\":\"bom\"}";
            case 1 -> "{\"memory\":NaN,\"timeout\":Infinity}";
            case 2 -> "{/* comment */\"name\":\"c\"}";
            case 3 -> "{\"name\":\"a\",\"name\":\"b\",\"name\":1}";
            case 4 -> "{\"memory\":1" + "0".repeat(r.nextInt(2000)) + "}";
            case 5 -> "{\"timeout\":1e" + r.nextInt(1_000_000) + "}";
            case 6 -> "{\"name\":\"x\"} trailing";
            case 7 -> "\"just a string\"";
            case 8 -> "{\"name\":\"\\ud800\\udc00\\ud800\"}";
            case 9 -> "{'name':'single'}";
            case 10 -> "{\"a\":" + "1".repeat(r.nextInt(100_000)) + "}";
            default -> "[" + "1,".repeat(r.nextInt(1000)) + "1]";
        };
        if (r.nextInt(6) == 0) {
            return new Body("odd utf-16", text.getBytes(StandardCharsets.UTF_16));
        }
        return json("odd", text);
    }
}
