package io.actord.daemon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.HostProcessRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The storage benchmark (not a test; run it with {@code daemon/bench/storage}): bench-actor.mjs, an SDK
 * actor, runs the same dataset and key-value workload through its run's in-run API endpoint and through
 * crawlee's default local file storage in one process, and prints both with their ratios.
 */
public final class StorageBench {
    private StorageBench() {
    }

    public static void main(String[] args) throws Exception {
        NodeScripts.install();
        Path dir = Files.createTempDirectory("actord-storage-bench-");
        HostProcessRuntime runtime = new HostProcessRuntime(NodeScripts.WORK);
        try (TestDaemon daemon = TestDaemon.start(dir, runtime, Duration.ofSeconds(30))) {
            System.out.println("runtime: " + runtime.description() + " (the in-run endpoint listens on host loopback;"
                    + " in a container it listens inside the run's network namespace)");
            String actor = daemon.actor("storage-bench", "node", NodeScripts.WORK.resolve("bench-actor.mjs").toString());
            String input = args.length > 0 ? args[0] : "{}";
            String runId = daemon.api().post("/v2/acts/" + actor + "/runs", input).expect(201).data().get("id").asText();
            JsonNode run;
            do {
                run = daemon.api().get("/v2/actor-runs/" + runId + "?waitForFinish=60").expect(200).data();
            } while (run.get("finishedAt").isNull());
            String log = daemon.api().get("/v2/actor-runs/" + runId + "/log").text();
            if (!run.get("status").asText().equals("SUCCEEDED")) {
                System.out.println(log);
                throw new IllegalStateException("the benchmark run ended " + run.get("status").asText());
            }
            log.lines().filter(l -> l.contains(" BENCH ")).map(l -> l.substring(l.indexOf(" BENCH ") + 7))
                    .forEach(System.out::println);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
