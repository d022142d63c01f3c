package io.actord.daemon.metrics;

import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunListener;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.RunStatus;
import io.actord.runtime.Container;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The runs' metrics, from the run service's listeners: a new run (stored READY) counts a start; leaving READY for
 * RUNNING observes the start latency (from the start request); its container being made observes the queue wait;
 * a finished status counts an end. Each run's own events come in order, on its own thread; only runs still READY
 * are remembered.
 */
final class RunMetrics implements RunListener {
    /** Seconds: a run may wait for the host's memory for minutes. */
    private static final double[] WAIT_BOUNDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
            600, 1800};

    private final Clock clock;
    private final ActorLabels actors;
    private final Counter starts;
    private final Counter ends;
    private final Histogram startLatency;
    private final Histogram queueWait;
    /** The runs that are READY: since when, and whether their queue wait was observed. */
    private final Map<String, Pending> ready = new ConcurrentHashMap<>();

    private record Pending(Instant since, boolean admitted) {
    }

    RunMetrics(PrometheusRegistry registry, RunService runs, ActorLabels actors, Clock clock) {
        this.clock = clock;
        this.actors = actors;
        this.starts = Counter.builder().name("actord_run_starts_total")
                .help("Runs started (stored READY after a start request), by actor").labelNames("actor")
                .register(registry);
        this.ends = Counter.builder().name("actord_run_ends_total")
                .help("Runs that finished, by actor and final status").labelNames("actor", "status")
                .register(registry);
        this.startLatency = Histogram.builder().name("actord_run_start_latency_seconds")
                .help("From a run's start request to its workload running (RUNNING)").classicOnly()
                .classicUpperBounds(WAIT_BOUNDS).register(registry);
        this.queueWait = Histogram.builder().name("actord_run_queue_wait_seconds")
                .help("How long a new run was READY before its container existed: the wait for the host's memory"
                        + " (when it was full) and the making of the container")
                .classicOnly().classicUpperBounds(WAIT_BOUNDS).register(registry);
        GaugeWithCallback.builder().name("actord_runs")
                .help("Runs the daemon supervises now, by status (READY, RUNNING, TIMING-OUT, ABORTING) and actor;"
                        + " finished runs are counted by actord_run_ends_total")
                .labelNames("status", "actor")
                .callback(cb -> active(runs).forEach((key, n) -> cb.call(n, key.status(), key.actor())))
                .register(registry);
    }

    private record Key(String status, String actor) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = status.compareTo(o.status);
            return c != 0 ? c : actor.compareTo(o.actor);
        }
    }

    private Map<Key, Long> active(RunService runs) {
        Map<String, String> labels = new ConcurrentHashMap<>();
        Function<Run, Key> key = r -> new Key(r.status().wireName(), labels.computeIfAbsent(r.actId(), actors::of));
        return runs.activeRuns().stream().filter(r -> !r.status().isTerminal())
                .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    /** After each stored status change of a run, and when a new run is stored. */
    void statusChanged(Run run) {
        RunStatus status = run.status();
        if (status == RunStatus.READY) {
            if (ready.putIfAbsent(run.id(), new Pending(run.startedAt(), false)) == null) {
                starts.labelValues(actors.of(run.actId())).inc();
            }
            return;
        }
        Pending pending = ready.remove(run.id());
        if (pending != null && status == RunStatus.RUNNING) {
            startLatency.observe(seconds(pending.since()));
        }
        if (status.isTerminal()) {
            ends.labelValues(actors.of(run.actId()), status.wireName()).inc();
        }
    }

    @Override
    public void containerStarting(Run run, Container container) {
        Pending pending = ready.get(run.id());
        if (pending != null && !pending.admitted()) {
            ready.put(run.id(), new Pending(pending.since(), true));
            queueWait.observe(seconds(pending.since()));
        }
    }

    private double seconds(Instant since) {
        return Math.max(0, Duration.between(since, clock.instant()).toNanos() / 1e9);
    }
}
