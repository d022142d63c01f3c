package io.actord.daemon.run;

import io.actord.daemon.runlog.LogPump;
import io.actord.daemon.runlog.RunLog;
import io.actord.runtime.Container;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The container a supervisor holds for its run, if any: the container, its output pump, its resource
 * sampler, and its generation. Each container the run gets has the next generation, so an exit reported
 * for an earlier one is recognised as stale. Confined to the supervisor's serial executor, but for {@link #kill}, which
 * an eviction calls from its own thread (#26: the host leaves the cluster while a task may hold the executor).
 */
final class CurrentContainer {
    /** It logs as the supervisor it belongs to: a run's log lines keep one name (STYLE.md §10). */
    private static final Logger LOG = LoggerFactory.getLogger(RunSupervisor.class);

    private final String runId;
    private final UsageSampler sampler;
    private final RunSteps steps;
    private volatile Container container;
    private LogPump pump;
    private int generation;

    CurrentContainer(String runId, UsageSampler sampler, RunSteps steps) {
        this.runId = runId;
        this.sampler = sampler;
        this.steps = steps;
    }

    /** Takes charge of {@code c}: its output goes to {@code log}, its counters start. Returns its generation. */
    int take(Container c, RunLog log) {
        int gen = ++generation;
        container = c;
        sampler.reset(c);
        pump = c.output().map(in -> LogPump.start(runId, in, log)).orElse(null);
        return gen;
    }

    boolean present() {
        return container != null;
    }

    /** Whether {@code gen} is the generation of the container held now. */
    boolean isCurrent(int gen) {
        return container != null && gen == generation;
    }

    int generation() {
        return generation;
    }

    String id() {
        return container.id();
    }

    /** Where the container's {@link RunFiles#MOUNT} can be read, until it is released; empty without one. */
    Optional<Path> exchangeDirectory() {
        return container == null ? Optional.empty() : container.exchangeDirectory();
    }

    /** The run's usage with a sample of the container added. */
    RunUsage sample(Run run) {
        return sampler.sample(run, container);
    }

    /** Waits at most {@code max} for the rest of the container's output; false when it is still open. */
    boolean drain(Duration max) {
        return pump == null || pump.awaitEof(max);
    }

    /** Waits at most {@code max} for the container to exit (it was killed). */
    Optional<ExitStatus> awaitExit(Duration max) {
        return container.awaitExit(max);
    }

    /** Kills the container and waits at most {@code max} for it to exit; SIGKILL's status if it did not say. */
    ExitStatus killAndAwait(Duration max) {
        steps.reached(RunStep.KILLING, runId);
        container.kill();
        return container.awaitExit(max).orElse(ExitStatus.killed(Signal.SIGKILL));
    }

    /** Sends {@code signal} to the workload; true when it was sent. */
    boolean signal(Signal signal) {
        if (container == null) {
            return false;
        }
        steps.reached(RunStep.SIGNALLING, runId);
        try {
            container.signal(signal);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("run={} signal={} failed: {}", runId, signal, e.getMessage());
            return false;
        }
    }

    void kill() {
        Container c = container;
        if (c == null) {
            return;
        }
        steps.reached(RunStep.KILLING, runId);
        try {
            c.kill();
        } catch (RuntimeException e) {
            LOG.warn("run={} kill failed: {}", runId, e.getMessage(), e);
        }
        steps.reached(RunStep.KILLED, runId);
    }

    /** Tears the container down (cgroup, mounts, scratch files) and lets it go. */
    void release(ExitStatus exit) {
        steps.reached(RunStep.RELEASING, runId);
        try {
            container.close();
        } catch (RuntimeException e) {
            LOG.warn("run={} release container={} failed: {}", runId, container.id(), e.getMessage(), e);
        }
        steps.reached(RunStep.RELEASED, runId);
        LOG.debug("run={} container={} released exit={}", runId, container.id(), exit);
        forget();
    }

    /** Lets the container go without tearing it down: it keeps running for the next daemon. */
    void forget() {
        container = null;
        pump = null;
    }

    /** How the run's log tells an exit. */
    static String describe(ExitStatus exit) {
        return "exit code " + exit.code() + exit.signal().map(s -> " (signal " + s.name() + ")").orElse("")
                + (exit.oomKilled() ? ", out of memory (OOM-killed)" : "");
    }
}
