package io.actord.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.Cgroups;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.RuntimeConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The storage benchmark (not a test; run it with {@code daemon/bench/storage}): bench-actor.mjs, an SDK
 * actor, runs the same dataset and key-value workload through its run's in-run API endpoint and through
 * crawlee's default local file storage in one process, alternating the two over 3 rounds each way (input
 * {@code rounds}), and prints the medians with their ratios. As root the
 * actor runs in an isolated container (1 core, 4096 MB) and reaches the endpoint inside its network
 * namespace; otherwise it runs as a host process and the endpoint is on host loopback. It does so once per state
 * store ({@code -Dactord.bench.states}, default {@code rocksdb,postgres}: a daemon on RocksDB, then one on a database
 * of a PostgreSQL server the benchmark starts as the tests do), each against crawlee's local storage, and ends with
 * the stores side by side: each one's medians, crawlee's local storage (as measured beside the first store) and the
 * ratio of PostgreSQL to RocksDB.
 */
public final class StorageBench {

    private StorageBench() {
    }

    public static void main(String[] args) throws Exception {
        NodeScripts.install();
        Path dir = Files.createTempDirectory("actord-storage-bench-");
        boolean containers = "root".equals(System.getProperty("user.name"));
        List<String> cmd = containers ? List.of("/usr/bin/node", "/app/bench-actor.mjs")
                : List.of("node", NodeScripts.WORK.resolve("bench-actor.mjs").toString());
        Path rootfs = containers ? NodeScripts.rootfs() : null;
        System.out.println(containers ? "the actor runs in an isolated container (1 core, 4096 MB); the in-run endpoint"
                + " listens at 127.0.0.1:7070 inside its network namespace"
                : "the actor runs as a host process (not root); the in-run endpoint listens on host loopback");
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        try {
            for (String state : System.getProperty("actord.bench.states", "rocksdb,postgres").split(",")) {
                if (state.equals("postgres") && PostgresServer.jvm().server().isEmpty()) {
                    System.out.println("state postgres: skipped, " + PostgresServer.jvm().reason());
                    continue;
                }
                System.setProperty("actord.test.state", state);
                Path stateDir = Files.createDirectories(dir.resolve(state));
                CgroupConfig cgroups = new CgroupConfig("actord-bench-" + ProcessHandle.current().pid() + "-" + state);
                ContainerRuntime runtime = containers ? LinuxContainerRuntime.open(RuntimeConfig.defaults()
                        .withCgroups(cgroups).withLibDir(stateDir.resolve("lib")))
                        : FakeRuntime.hostProcesses(NodeScripts.WORK);
                System.out.println("state " + state + ", runtime: " + runtime.description());
                try {
                    outputs.put(state, bench(stateDir, runtime, rootfs, cmd, args.length > 0 ? args[0] : "{}"));
                } finally {
                    if (containers) {
                        Cgroups.detect(cgroups).release();
                    }
                }
            }
            sideBySide(outputs);
        } finally {
            delete(dir);
        }
    }

    /** The stores' medians in columns, then crawlee's local storage as run beside the first, then PostgreSQL/RocksDB. */
    private static void sideBySide(Map<String, JsonNode> outputs) {
        if (outputs.isEmpty()) {
            return;
        }
        JsonNode first = outputs.values().iterator().next();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-46s", "workload"));
        outputs.keySet().forEach(state -> head.append(String.format(Locale.ROOT, "%13s", state)));
        head.append(String.format(Locale.ROOT, "%15s", "crawlee local"));
        boolean ratio = outputs.containsKey("rocksdb") && outputs.containsKey("postgres");
        System.out.println("side by side (medians):");
        System.out.println(head + (ratio ? "  postgres/rocksdb" : ""));
        for (JsonNode row : first.get("rows")) {
            String key = row.get(1).asText();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-46s", row.get(0).asText()));
            outputs.values().forEach(o -> line.append(String.format(Locale.ROOT, "%13.2f", o.get("actord").get(key)
                    .asDouble())));
            line.append(String.format(Locale.ROOT, "%15.2f", first.get("local").get(key).asDouble()));
            if (ratio) {
                double r = outputs.get("postgres").get("actord").get(key).asDouble()
                        / outputs.get("rocksdb").get("actord").get(key).asDouble();
                line.append(String.format(Locale.ROOT, "%17.2fx%s", r, row.get(2).asBoolean() ? ""
                        : " (lower is better)"));
            }
            System.out.println(line);
        }
    }

    /** One daemon keeping its state in {@code actord.test.state}, one benchmark run on it; its OUTPUT record. */
    private static JsonNode bench(Path dir, ContainerRuntime runtime, Path rootfs, List<String> cmd, String input)
            throws IOException {
        try (TestDaemon daemon = TestDaemon.start(dir, runtime, Duration.ofSeconds(30))) {
            String actor = rootfs == null ? daemon.actor("storage-bench", cmd.toArray(String[]::new))
                    : daemon.actor("storage-bench", rootfs, cmd);
            String runId = daemon.api().post("/v2/acts/" + actor + "/runs?memory=4096", input).expect(201).data()
                    .get("id").asText();
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
            return daemon.api().get("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId").asText()
                    + "/records/OUTPUT").expect(200).json();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
