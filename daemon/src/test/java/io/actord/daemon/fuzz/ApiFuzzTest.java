package io.actord.daemon.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.DaemonConfig;
import io.actord.daemon.http.Route;
import io.actord.daemon.testing.FuzzClient;
import io.actord.daemon.testing.FuzzSeed;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of generated requests ({@link ApiRequests}) against a whole daemon, as anonymous, as a user and
 * as the admin (over TCP and the admin socket): none may get a 5xx (but the 503s the daemon gives by design
 * when it is full or stopping), each is answered within {@link #DEADLINE}, every error answer has Apify's
 * shape {@code {"error":{"type","message"}}}, and the daemon still answers {@code /healthz} at the end. Runs
 * in the fuzz execution, at {@code -Xmx256m} with the daemon in the same JVM; the seed is printed, and a
 * failure names the case and how to replay it.
 */
@Tag("fuzz")
class ApiFuzzTest {
    private static final int CASES = 4000;
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Set<String> BY_DESIGN_503 = Set.of("service-unavailable", "host-capacity-exceeded");

    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldAnswerEveryGeneratedRequestWithoutServerErrorOrHang() throws Exception {
        FuzzSeed seed = FuzzSeed.start("ApiFuzzTest", CASES);
        ApiRequests requests = requests();
        InetSocketAddress tcp = daemon.daemon().tcpAddress().orElseThrow();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        long started = System.nanoTime();
        int ran = 0;
        try (FuzzClient client = new FuzzClient(DEADLINE)) {
            for (int i : seed.indices().toArray()) {
                ApiRequests.Request req = requests.next(seed.random(i));
                boolean halfClose = !req.complete();
                FuzzClient.Answer a = req.caller() == ApiRequests.Caller.ADMIN_SOCKET
                        ? client.unix(daemon.socket(), req.bytes(), halfClose, req.head())
                        : client.tcp(tcp, req.bytes(), halfClose, req.head());
                ran++;
                outcomes.merge(a.outcome() == FuzzClient.Outcome.ANSWERED ? Integer.toString(a.status())
                        : a.outcome().name(), 1, Integer::sum);
                String problem = problem(req, a);
                if (problem != null) {
                    failures.add(seed.replay(i) + ": " + req.summary() + " -> " + problem);
                }
            }
        }
        seed.report(ran, failures.size());
        System.out.println("fuzz ApiFuzzTest: answers " + outcomes + " in "
                + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
        assertEquals(200, daemon.anonymous().get("/healthz").status(), "the daemon answers after the fuzzing");
        assertTrue(failures.isEmpty(), failures.size() + " of " + ran + " requests failed (seed " + seed.seed()
                + "):\n" + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
    }

    /** What is wrong with the answer, or null; an incomplete request may be closed without one. */
    private static String problem(ApiRequests.Request req, FuzzClient.Answer a) {
        if (a.outcome() == FuzzClient.Outcome.CLOSED
                && (!req.complete() || req.bytes().length >= DaemonConfig.DEFAULT_MAX_BODY)) {
            return null;
        }
        return a.problem(req.head(), BY_DESIGN_503);
    }

    /** The generator over the daemon's own route table, with real resources of each kind to aim at. */
    private ApiRequests requests() throws IOException {
        TestDaemon.Api admin = daemon.api();
        // Runs that end at once: a waitForFinish (up to 60 s) or run-sync (300 s) on a run that goes on is a wait by
        // design, not a hang, and would only slow the fuzzing down.
        String actor = daemon.actor("fuzz-echo", "echo", "hi");
        JsonNode run = admin.post("/v2/acts/" + actor + "/runs", "{}").expect(201).data();
        String store = run.get("defaultKeyValueStoreId").asText();
        String queue = run.get("defaultRequestQueueId").asText();
        admin.put("/v2/key-value-stores/" + store + "/records/fuzz-key", "{\"a\":1}").expect(201);
        String request = admin.post("/v2/request-queues/" + queue + "/requests",
                "{\"url\":\"http://127.0.0.1:9/a\",\"uniqueKey\":\"a\"}").expect(201).data().get("requestId").asText();
        String schedule = admin.post("/v2/schedules", "{\"name\":\"fuzz-schedule\",\"cronExpression\":\"@yearly\","
                + "\"actions\":[{\"type\":\"RUN_ACTOR\",\"actorId\":\"" + actor + "\"}]}").expect(201).data()
                .get("id").asText();
        TestDaemon.Api user = daemon.user("fuzz-user");
        String own = daemon.actor(user, "fuzz-own", "echo", "hi");
        Map<String, List<String>> ids = new LinkedHashMap<>();
        ids.put("actor", List.of(actor, own, "fuzz-echo", "fuzz-user~fuzz-own"));
        ids.put("build", List.of(run.get("buildId").asText(), "latest"));
        ids.put("run", List.of(run.get("id").asText(), "last"));
        ids.put("dataset", List.of(run.get("defaultDatasetId").asText()));
        ids.put("store", List.of(store));
        ids.put("queue", List.of(queue));
        ids.put("request", List.of(request));
        ids.put("key", List.of("fuzz-key", "INPUT", "OUTPUT"));
        ids.put("user", List.of("me", "fuzz-user", "local"));
        ids.put("schedule", List.of(schedule));
        FuzzValues values = new FuzzValues(ids, daemon.dir().toString());
        List<ApiRequests.RouteShape> routes = new ArrayList<>();
        for (Route r : daemon.daemon().routes()) {
            routes.add(new ApiRequests.RouteShape(r.method().name(), r.template().pattern()));
        }
        System.out.println("fuzz ApiFuzzTest: " + routes.size() + " routes");
        return new ApiRequests(routes, values, new JsonBodies(values, DaemonConfig.DEFAULT_MAX_BODY), daemon.token(),
                user.token().orElseThrow());
    }
}
