package io.actord.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.Cgroups;
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
import java.util.List;
import java.util.stream.Stream;

/**
 * The storage benchmark (not a test; run it with {@code daemon/bench/storage}): bench-actor.mjs, an SDK
 * actor, runs the same dataset and key-value workload through its run's in-run API endpoint and through
 * crawlee's default local file storage in one process, alternating the two over 3 rounds each way (input
 * {@code rounds}), and prints the medians with their ratios. As root the
 * actor runs in an isolated container (1 core, 4096 MB) and reaches the endpoint inside its network
 * namespace; otherwise it runs as a host process and the endpoint is on host loopback.
 */
public final class StorageBench {

    private StorageBench() {
    }

    public static void main(String[] args) throws Exception {
        NodeScripts.install();
        Path dir = Files.createTempDirectory("actord-storage-bench-");
        boolean containers = "root".equals(System.getProperty("user.name"));
        CgroupConfig cgroups = new CgroupConfig("actord-bench-" + ProcessHandle.current().pid());
        ContainerRuntime runtime;
        List<String> cmd;
        Path rootfs;
        if (containers) {
            runtime = LinuxContainerRuntime.open(RuntimeConfig.defaults().withCgroups(cgroups).withLibDir(dir.resolve("lib")));
            cmd = List.of("/usr/bin/node", "/app/bench-actor.mjs");
            rootfs = NodeScripts.rootfs();
        } else {
            runtime = FakeRuntime.hostProcesses(NodeScripts.WORK);
            cmd = List.of("node", NodeScripts.WORK.resolve("bench-actor.mjs").toString());
            rootfs = null;
        }
        System.out.println("runtime: " + runtime.description());
        System.out.println(containers ? "the actor runs in an isolated container (1 core, 4096 MB); the in-run endpoint"
                + " listens at 127.0.0.1:7070 inside its network namespace"
                : "the actor runs as a host process (not root); the in-run endpoint listens on host loopback");
        try (TestDaemon daemon = TestDaemon.start(dir, runtime, Duration.ofSeconds(30))) {
            String actor = rootfs == null ? daemon.actor("storage-bench", cmd.toArray(String[]::new))
                    : daemon.actor("storage-bench", rootfs, cmd);
            String input = args.length > 0 ? args[0] : "{}";
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
        } finally {
            if (containers) {
                Cgroups.detect(cgroups).release();
            }
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
