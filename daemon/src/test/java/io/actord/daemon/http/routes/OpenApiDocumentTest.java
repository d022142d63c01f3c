package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.http.Route;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document ({@code GET /v2/openapi.json}, a maintained resource) against the daemon's own route table:
 * every route documented, nothing documented that no route serves, each operation with a summary and its path
 * parameters. Parameter names may differ ({@code {actorId}} and {@code {id}} are one segment); a route's
 * {@code {key+}} (the rest of the path) is written {@code {key}}, as OpenAPI has no multi-segment parameter. A
 * failure lists the operations to add or remove, as {@code METHOD /path} lines.
 */
class OpenApiDocumentTest {
    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+?)\\+?}");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    @StartDaemon
    TestDaemon daemon;

    @Test
    void shouldDocumentEveryRouteAndNothingElse() throws Exception {
        Map<String, String> routes = new TreeMap<>();
        for (Route r : daemon.daemon().routes()) {
            routes.put(r.method().name() + " " + normalise(r.template().pattern()),
                    r.method().name() + " " + r.template().pattern());
        }
        Set<String> documented = new TreeSet<>();
        document().get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                documented.add(m.toUpperCase() + " " + normalise(path.getKey()));
            }
        }));
        Set<String> undocumented = new TreeSet<>();
        routes.forEach((shape, route) -> {
            if (!documented.contains(shape)) {
                undocumented.add(route);
            }
        });
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(routes.keySet());
        assertTrue(undocumented.isEmpty() && unserved.isEmpty(), "openapi.json and the route table differ:\n"
                + "routes without documentation (add them):\n  " + String.join("\n  ", undocumented)
                + "\ndocumented operations no route serves (remove them):\n  " + String.join("\n  ", unserved));
    }

    @Test
    void shouldGiveEachOperationASummaryAndItsPathParameters() throws Exception {
        JsonNode doc = document();
        assertTrue(doc.get("openapi").asText().startsWith("3."), "an OpenAPI 3 document");
        assertTrue(doc.path("info").hasNonNull("title") && doc.path("info").hasNonNull("version"));
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            Set<String> inPath = new TreeSet<>();
            Matcher m = PARAM.matcher(path.getKey());
            while (m.find()) {
                inPath.add(m.group(1));
            }
            path.getValue().fields().forEachRemaining(op -> {
                if (!METHODS.contains(op.getKey())) {
                    return;
                }
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                if (op.getValue().path("summary").asText().isBlank()) {
                    problems.add(name + ": no summary");
                }
                Set<String> declared = new TreeSet<>();
                List<JsonNode> params = new ArrayList<>();
                path.getValue().path("parameters").forEach(params::add);
                op.getValue().path("parameters").forEach(params::add);
                params.stream().filter(p -> "path".equals(p.path("in").asText()))
                        .forEach(p -> declared.add(p.path("name").asText()));
                if (!declared.equals(inPath)) {
                    problems.add(name + ": path parameters " + declared + ", the path has " + inPath);
                }
                if (!op.getValue().has("responses")) {
                    problems.add(name + ": no responses");
                }
            });
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void shouldServeTheDocumentToAnyone() {
        TestDaemon.Response r = daemon.anonymous().get(OpenApiRoutes.PATH).expect(200);
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertArrayEquals(OpenApiRoutes.load(), r.body());
        assertEquals("actord", r.json().path("info").path("title").asText());
    }

    private static JsonNode document() throws Exception {
        return Json.MAPPER.readTree(OpenApiRoutes.load());
    }

    /** A path with each parameter written {@code {}}: the shape both sides must share. */
    private static String normalise(String path) {
        String p = PARAM.matcher(path).replaceAll("{}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
