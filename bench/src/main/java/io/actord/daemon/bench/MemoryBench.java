package io.actord.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.DaemonProcess;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The daemon's memory benchmark (not a test; {@code daemon/bench/memory} runs it, as root): starts the real daemon
 * as its own process through {@code bin/actord} (so with exactly the JVM settings it ships with, plus
 * {@code ACTORD_JAVA_OPTS} if set) on a temporary state directory, TCP and admin socket, isolated runs of the
 * payload rootfs, and prints its resident memory and its heap after full collections: fresh and idle; after one
 * run; with LIVE sleeping runs (128 MB each); after they ended; after RUNS short runs came and went, BATCH at a
 * time. Then the daemon's heap per live run. Each reading follows a settling time with nothing to do (default
 * 10 s). Aborts every run it started, stops the daemon (by its pid), removes its cgroups and the directory.
 *
 * <p>Usage: {@code MemoryBench [runs=1000] [batch=50] [live=100]}. {@code -Dactord.bench.memory.dumps=DIR} also
 * writes each reading's class histogram, NMT summary (with {@code ACTORD_JAVA_OPTS=-XX:NativeMemoryTracking=summary}),
 * {@code pmap -x} and thread names to DIR.
 */
public final class MemoryBench {
    private static final int RUN_MEMORY_MB = 128;
    /** How long the daemon is left alone before each reading (-Dactord.bench.memory.settle, seconds). */
    private final Duration settle = Duration.ofSeconds(Long.getLong("actord.bench.memory.settle", 10));

    private final Path dir;
    private final List<String> started = new ArrayList<>();
    private final Map<String, Integer> ended = new TreeMap<>();
    private TestDaemon.Api api;

    private MemoryBench(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int live = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String unavailable = ItRuntime.unavailableReason().orElse(Files.exists(DaemonProcess.JAR) ? null
                : DaemonProcess.JAR + " is not built (mvn -pl daemon -am package -DskipTests)");
        if (unavailable != null) {
            System.out.println("memory benchmark not run: " + unavailable);
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("actord-memory-bench-");
        String subtree = ItRuntime.subtree();
        Process daemon = null;
        MemoryBench bench = new MemoryBench(dir);
        try {
            daemon = bench.startDaemon(subtree);
            String dumps = System.getProperty("actord.bench.memory.dumps");
            bench.measure(new DaemonMemory(daemon.pid(), dumps == null ? null : Path.of(dumps)), runs, batch, live);
        } finally {
            bench.abortAll();
            stop(daemon);
            try {
                ItRuntime.releaseSubtree(subtree);
            } finally {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private Process startDaemon(String subtree) throws IOException, InterruptedException {
        Path launcher = ItRuntime.checkout().resolve("bin/actord");
        int port = DaemonProcess.freePort();
        List<String> cmd = List.of(launcher.toString(), "--state-dir", dir.resolve("state").toString(),
                "--socket", dir.resolve("api.sock").toString(), "--listen", "127.0.0.1:" + port,
                "--run-network", "isolated", "--cgroup-subtree", subtree);
        System.out.println("daemon: " + String.join(" ", cmd) + "  (ACTORD_JAVA_OPTS="
                + System.getenv().getOrDefault("ACTORD_JAVA_OPTS", "") + ")");
        // bin/actord execs java: the process started is the daemon's JVM.
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile())
                .start();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(90).toNanos();
        while (!Files.exists(dir.resolve("api.sock")) || TestDaemon.unixGet(dir.resolve("api.sock"), "/healthz")
                .status() != 200) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("the daemon did not start:\n" + Files.readString(dir.resolve("daemon.log")));
            }
            Thread.sleep(100);
        }
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        api = TestDaemon.localApi(dir.resolve("api.sock"), URI.create("http://127.0.0.1:" + port));
        System.out.println("daemon pid " + p.pid() + ", /healthz answered " + startMillis + " ms after the start; java: "
                + Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ').strip());
        return p;
    }

    private void measure(DaemonMemory memory, int runs, int batch, int live) throws Exception {
        System.out.println("each reading after " + settle.toSeconds() + " s idle and two full collections");
        DaemonMemory.Reading fresh = memory.read("1-fresh", settle);
        show(fresh, "fresh, idle");
        String sleeper = actor("sleeper", "sleep", "3600");
        String brief = actor("brief", "exit", "0");
        awaitEnd(List.of(start(brief)));
        DaemonMemory.Reading idle = memory.read("2-one-run", settle);
        show(idle, "after one run, idle");

        List<String> sleeping = new ArrayList<>();
        for (int i = 0; i < live; i++) {
            sleeping.add(start(sleeper));
        }
        awaitRunning(sleeping);
        DaemonMemory.Reading busy = memory.read("3-live", settle);
        show(busy, live + " sleeping runs");
        for (String run : sleeping) {
            api.post("/v2/actor-runs/" + run + "/abort").expect(200);
        }
        awaitEnd(sleeping);
        DaemonMemory.Reading after = memory.read("4-after-live", settle);
        show(after, "after they ended");

        long churnStart = System.nanoTime();
        for (int done = 0; done < runs; done += batch) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < Math.min(batch, runs - done); i++) {
                ids.add(start(brief));
            }
            awaitEnd(ids);
        }
        long churnSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - churnStart);
        DaemonMemory.Reading churned = memory.read("5-churned", settle);
        show(churned, "after " + runs + " more runs");
        System.out.printf("the %d runs took %d s, %d at a time; all runs ended so: %s%n", runs, churnSeconds, batch,
                ended);
        System.out.printf("daemon heap per live run: %.1f kB ((heap with %d runs - heap idle after one run) / %d)%n",
                (busy.heapUsedKb() - idle.heapUsedKb()) / (double) live, live, live);
        System.out.printf("RSS per live run: %.1f kB; growth after the %d runs: RSS %+.1f MB, heap %+.1f MB%n",
                (busy.rssKb() - idle.rssKb()) / (double) live, runs, (churned.rssKb() - after.rssKb()) / 1024.0,
                (churned.heapUsedKb() - after.heapUsedKb()) / 1024.0);
    }

    /** Prints a reading, with the state store's write buffers (RocksDB's mem-tables, native memory) from /metrics. */
    private void show(DaemonMemory.Reading reading, String label) throws IOException {
        String metrics = TestDaemon.unixGet(dir.resolve("api.sock"), "/metrics").expect(200).text();
        double memtables = metrics.lines().filter(l -> l.startsWith("actord_state_memtable_bytes "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).strip())).sum();
        System.out.println(reading.line(label) + String.format("%n    RocksDB mem-tables %.1f MB", memtables / 1048576));
    }

    /** An actor with one build of the payload rootfs running the payload command {@code cmd}; its id. */
    private String actor(String name, String... cmd) throws IOException {
        String id = api.post("/v2/acts", "{\"name\":\"" + name + "\"}").expect(201).data().get("id").asText();
        TestDaemon.unixPost(dir.resolve("api.sock"), "/v2/acts/" + id + "/builds", Json.MAPPER.writeValueAsString(
                Map.of("rootfs", ItRuntime.payloadRootfs().toString(), "cmd", ItRuntime.payloadCommand(cmd))))
                .expect(201);
        return id;
    }

    private String start(String actor) {
        String id = api.post("/v2/acts/" + actor + "/runs?memory=" + RUN_MEMORY_MB, "{}").expect(201).data().get("id")
                .asText();
        started.add(id);
        return id;
    }

    private void awaitRunning(List<String> runs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        for (String run : runs) {
            String status;
            while (!(status = run(run, 0).get("status").asText()).equals("RUNNING")) {
                if (System.nanoTime() > deadline || !status.equals("READY")) {
                    throw new IllegalStateException("run " + run + " is " + status + ", not RUNNING");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Waits until every run has finished and its container has gone (its exit code is known); counts their final
     * statuses in {@link #ended}.
     */
    private void awaitEnd(List<String> runs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        for (String run : runs) {
            JsonNode r;
            while ((r = run(run, 5)).get("exitCode").isNull()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + run + " did not end: " + r);
                }
                Thread.sleep(50);
            }
            ended.merge(r.get("status").asText(), 1, Integer::sum);
        }
    }

    /** The run object, once it has finished or after {@code waitSeconds}. */
    private JsonNode run(String id, int waitSeconds) {
        return api.get("/v2/actor-runs/" + id + "?waitForFinish=" + waitSeconds).expect(200).data();
    }

    /** Aborts whatever run this benchmark started that is still active (after a failure). */
    private void abortAll() {
        if (api == null) {
            return;
        }
        List<String> active = new ArrayList<>();
        for (String run : started) {
            try {
                if (run(run, 0).get("exitCode").isNull()) {
                    api.post("/v2/actor-runs/" + run + "/abort");
                    active.add(run);
                }
            } catch (RuntimeException e) {
                System.out.println("could not abort " + run + ": " + e.getMessage());
            }
        }
        try {
            awaitEnd(active);
        } catch (InterruptedException | RuntimeException e) {
            System.out.println("runs left: " + e.getMessage());
        }
    }

    private static void stop(Process daemon) throws InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
                daemon.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
