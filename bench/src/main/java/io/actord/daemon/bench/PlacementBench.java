package io.actord.daemon.bench;

import io.actord.daemon.cluster.ClusterRoutes;
import io.actord.daemon.cluster.EtcdServer;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The placement benchmark (not a test; {@code daemon/bench/placement}): the latency from {@code POST …/runs} to the
 * run's container being created, on one daemon without a cluster (the host admits the run itself), on a cluster of one
 * host and on a cluster of three (#26: the run is stored unplaced and a host claims it, woken by the store's signal),
 * all on one PostgreSQL database the benchmark starts as the tests do and, for the clusters, a local etcd. Runs are
 * posted one at a time to the first host, each after the previous one's container was made, with fake containers
 * ({@code exit 0}, 128 MB), so what is measured is the daemons' path, not a container's start. Prints p50 and p95 of
 * each setup and the ratios to the daemon without a cluster.
 *
 * <p>Usage: {@code PlacementBench [runs=200] [warmup=20]}
 */
public final class PlacementBench {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private PlacementBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        PostgresServer pg = PostgresServer.jvm().server().orElseThrow(() -> new IllegalStateException(
                "placement benchmark: " + PostgresServer.jvm().reason()));
        Path dir = Files.createTempDirectory("actord-placement-bench-");
        try (EtcdServer etcd = EtcdServer.start()) {
            double[] alone = measure(dir.resolve("alone"), pg.database("bench_alone"), null, 1, runs, warmup);
            double[] one = measure(dir.resolve("one"), pg.database("bench_one"), etcd, 1, runs, warmup);
            double[] three = measure(dir.resolve("three"), pg.database("bench_three"), etcd, 3, runs, warmup);
            System.out.printf("actord placement benchmark: POST -> container created, fake containers (exit 0, 128 MB),"
                    + " %d runs one at a time after %d warm-up, PostgreSQL state, cores=%d%n", runs, warmup,
                    Runtime.getRuntime().availableProcessors());
            print("1 host, no cluster", alone, alone);
            print("cluster of 1 host", one, alone);
            print("cluster of 3 hosts", three, alone);
        } finally {
            delete(dir);
        }
    }

    /** p50 and p95 in milliseconds of {@code runs} runs posted to the first of {@code hosts} daemons. */
    private static double[] measure(Path dir, String state, EtcdServer etcd, int hosts, int runs, int warmup)
            throws Exception {
        Map<String, CompletableFuture<Long>> created = new ConcurrentHashMap<>();
        List<TestDaemon> daemons = new ArrayList<>();
        try {
            for (int i = 0; i < hosts; i++) {
                FakeRuntime runtime = new FakeRuntime().onCreate(spec -> created.computeIfAbsent(
                        spec.env().get("ACTOR_RUN_ID"), id -> new CompletableFuture<>()).complete(System.nanoTime()));
                List<String> flags = new ArrayList<>(List.of("--state", state, "--host-memory-mb", "4096"));
                if (etcd != null) {
                    flags.addAll(List.of("--cluster", etcd.url(), "--host-id", "host" + i));
                }
                daemons.add(TestDaemon.start(dir.resolve("host" + i), runtime, Duration.ofSeconds(1), flags));
            }
            TestDaemon first = daemons.get(0);
            if (etcd != null) {
                awaitMembers(first, hosts);
            }
            String actor = first.actor("bench", "exit", "0");
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long posted = System.nanoTime();
                String runId = first.api().post("/v2/acts/" + actor + "/runs?memory=128", "").expect(201).data()
                        .get("id").asText();
                long made = created.computeIfAbsent(runId, id -> new CompletableFuture<>())
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (i >= warmup) {
                    millis.add((made - posted) / 1e6);
                }
            }
            Collections.sort(millis);
            return new double[] {percentile(millis, 50), percentile(millis, 95)};
        } finally {
            for (int i = daemons.size() - 1; i >= 0; i--) {
                daemons.get(i).close();
            }
        }
    }

    private static void awaitMembers(TestDaemon daemon, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            TestDaemon.Response hosts = daemon.admin("GET", ClusterRoutes.PATH, null);
            if (hosts.status() == 200 && hosts.data().get("phase").asText().equals("MEMBER")
                    && hosts.data().get("total").asInt() == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(count + " hosts did not join within " + WAIT);
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static void print(String setup, double[] figures, double[] base) {
        System.out.printf("  %-20s p50 %7.2f ms  p95 %7.2f ms  (x%.2f, x%.2f of 1 host without a cluster)%n", setup,
                figures[0], figures[1], figures[0] / base[0], figures[1] / base[1]);
    }

    private static void delete(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
