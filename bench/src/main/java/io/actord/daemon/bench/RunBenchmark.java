package io.actord.daemon.bench;

import io.actord.daemon.run.Run;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A benchmark, not a test (bin/bench runs it): how many runs per second the daemon starts and finishes
 * with a trivial payload ({@code exit 0}, 128 MB), and the latency from {@code POST …/runs} to RUNNING
 * and to SUCCEEDED. Closed loop: {@code concurrency} clients each start a run over HTTP (TCP loopback)
 * and start the next when it has finished. Status times come from the daemon's status listener, so they
 * are exact, not polled. It measures real containers only: without root it says why and exits 1 rather
 * than measure the in-process fake runtime.
 *
 * <p>Usage: {@code RunBenchmark [runs=200] [concurrency=4] [warmup=20]}
 */
public final class RunBenchmark {
    private RunBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String reason = ItRuntime.unavailableReason().orElse(null);
        if (reason != null) {
            System.err.println("run benchmark: " + reason);
            System.exit(1);
        }
        Path dir = Files.createTempDirectory("actord-bench");
        ItRuntime.Choice runtime = ItRuntime.real(dir);
        Map<String, Long> running = new ConcurrentHashMap<>();
        Map<String, CountDownLatch> done = new ConcurrentHashMap<>();
        Map<String, Long> finished = new ConcurrentHashMap<>();
        try (TestDaemon daemon = TestDaemon.start(dir, runtime.runtime(), Duration.ofSeconds(30))) {
            daemon.daemon().runs().onStatusChange(run -> record(run, running, finished, done));
            String actor = runtime.actor(daemon, "bench", "exit", "0");
            measure(daemon, actor, warmup, concurrency, running, finished, done);
            running.clear();
            finished.clear();
            Result r = measure(daemon, actor, runs, concurrency, running, finished, done);
            System.out.printf("actord run benchmark: runtime=%s cores=%d runs=%d concurrency=%d payload=\"exit 0\""
                            + " memory=128MB warmup=%d%n", runtime.description(),
                    Runtime.getRuntime().availableProcessors(), runs, concurrency, warmup);
            System.out.printf("throughput: %.1f runs/s started and finished (%d runs in %.2f s, %d failed)%n",
                    r.ok / r.seconds, r.ok, r.seconds, runs - r.ok);
            System.out.printf("POST -> RUNNING:   p50 %6.1f ms   p95 %6.1f ms%n", pct(r.toRunning, 50), pct(r.toRunning, 95));
            System.out.printf("POST -> SUCCEEDED: p50 %6.1f ms   p95 %6.1f ms%n", pct(r.toDone, 50), pct(r.toDone, 95));
        } finally {
            runtime.close();
            new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start().waitFor();
        }
    }

    private record Result(int ok, double seconds, List<Double> toRunning, List<Double> toDone) {
    }

    private static void record(Run run, Map<String, Long> running, Map<String, Long> finished,
                               Map<String, CountDownLatch> done) {
        long now = System.nanoTime();
        switch (run.status()) {
            case RUNNING -> running.putIfAbsent(run.id(), now);
            case SUCCEEDED, FAILED, ABORTED, TIMED_OUT -> {
                finished.putIfAbsent(run.id(), now);
                done.computeIfAbsent(run.id(), k -> new CountDownLatch(1)).countDown();
            }
            default -> {
            }
        }
    }

    private static Result measure(TestDaemon daemon, String actor, int runs, int concurrency, Map<String, Long> running,
                                  Map<String, Long> finished, Map<String, CountDownLatch> done) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<Double> toRunning = Collections.synchronizedList(new ArrayList<>());
        List<Double> toDone = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger left = new AtomicInteger(runs);
        AtomicInteger ok = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            futures.add(clients.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    long posted = System.nanoTime();
                    String id = daemon.api().post("/v2/acts/" + actor + "/runs?memory=128", "").expect(201).data()
                            .get("id").asText();
                    if (!done.computeIfAbsent(id, k -> new CountDownLatch(1)).await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("run " + id + " did not finish in 60 s");
                    }
                    String status = daemon.api().get("/v2/actor-runs/" + id).data().get("status").asText();
                    if (status.equals("SUCCEEDED")) {
                        ok.incrementAndGet();
                        toRunning.add((running.get(id) - posted) / 1e6);
                        toDone.add((finished.get(id) - posted) / 1e6);
                    } else {
                        System.err.println("run " + id + " ended " + status);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        clients.shutdown();
        return new Result(ok.get(), seconds, toRunning, toDone);
    }

    private static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
