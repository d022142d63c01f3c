package io.actord.daemon.run;

import io.actord.cgroups.CgroupStats;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.log.LogPump;
import io.actord.daemon.log.RunLog;
import io.actord.daemon.run.RunEvent.ContainerLost;
import io.actord.daemon.run.RunEvent.Exited;
import io.actord.daemon.run.RunEvent.StartFailed;
import io.actord.daemon.run.RunEvent.Started;
import io.actord.daemon.storage.KvRecord;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.network.NetCounters;
import io.actord.runtime.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Owns one active run: its container, log pump, timeout and grace timers, and resource samples. Every
 * event is handled on the run's {@link SerialExecutor}: it asks {@link RunStateMachine} what the event
 * means, <b>stores the new status first</b>, and only then performs the effects (signal, kill, start), so
 * a crash between the two leaves a stored status that recovery can finish from.
 *
 * <p>Fields other than {@link #run} are touched only on the serial executor. {@link #run} is volatile so
 * API threads can read the live view.
 */
final class RunSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(RunSupervisor.class);
    /** How long a resurrection waits for the previous container to die after killing it. */
    private static final Duration OLD_CONTAINER_WAIT = Duration.ofSeconds(10);
    /** How long a stopping daemon waits for a container it already killed. */
    private static final Duration DETACH_WAIT = Duration.ofSeconds(5);

    private final RunService service;
    private final RunContext ctx;
    private final String runId;
    private final SerialExecutor executor;
    private volatile Run run;

    private Container container;
    private int generation;
    private LogPump pump;
    private RunLog log;
    private final RunTimers timers;
    private long lastCpuMicros;
    private long lastSampleNanos;
    private Resurrection pendingResurrection;
    /** Completed once the service has retired this supervisor (the run no longer needs one). */
    private final CompletableFuture<Void> retired = new CompletableFuture<>();

    RunSupervisor(RunService service, RunContext ctx, Run run) {
        this.service = service;
        this.ctx = ctx;
        this.runId = run.id();
        this.run = run;
        this.executor = new SerialExecutor(ctx.pool());
        this.timers = new RunTimers(runId, ctx.timers(), ctx.clock(), (epoch, event) ->
                service.dispatchTimer(runId, epoch, event));
    }

    String runId() {
        return runId;
    }

    /** The run as it is now, with the latest resource samples (not all of which are stored yet). */
    Run current() {
        return run;
    }

    /** Completes once this supervisor has been retired; a copy, so a caller's timeout cannot complete it for others. */
    CompletableFuture<Void> whenRetired() {
        return retired.copy();
    }

    /** The service removed this supervisor from its active runs. */
    void retired() {
        retired.complete(null);
    }

    /** True when nothing is left to supervise: the run has ended, its container is released, no event is queued. */
    boolean idle() {
        return run.status().isTerminal() && container == null && executor.pending() == 0;
    }

    /**
     * Creates the container of a new (READY) run, once the host has room for it; a run aborted while it
     * waited is left as it is. Its timeout counts from now, not from when it was queued.
     */
    void start() {
        execute(() -> {
            if (run.status() == RunStatus.READY) {
                int timeout = run.options().timeoutSecs();
                run = run.toBuilder().timeoutAt(timeout > 0 ? ctx.clock().instant().plusSeconds(timeout) : null).build();
                startContainer();
            }
        });
    }

    /** Handles an event on the run's executor; the future completes with the run afterwards. */
    CompletableFuture<Run> submit(RunEvent event) {
        return call(() -> apply(event));
    }

    /** Stores a status message the run sets while it is active; a finished run's message is final (409). */
    CompletableFuture<Run> setStatusMessage(String message, boolean terminal) {
        return call(() -> {
            if (run.status().isTerminal()) {
                throw statusMessageIsFinal(run);
            }
            store(run.toBuilder().statusMessage(message, terminal).build());
        });
    }

    static ApiException statusMessageIsFinal(Run finished) {
        return new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run has already finished with status "
                + finished.status().wireName() + "; its status message can no longer change");
    }

    /** Resurrects the (finished) run with {@code options}. */
    CompletableFuture<Run> resurrect(Resurrection options) {
        return call(() -> {
            pendingResurrection = options;
            try {
                apply(new RunEvent.ResurrectRequested());
            } finally {
                pendingResurrection = null;
            }
        });
    }

    /**
     * Turns the running run into a run of {@code target}'s {@code build}: its input goes to the next
     * INPUT-METAMORPH-n record of the default key-value store, then the container is replaced as on a reboot.
     * 409 when the run is not running, 400 max-metamorphs-exceeded past Apify's limit.
     */
    CompletableFuture<Run> metamorph(Actor target, Build build, Optional<KvRecord> input) {
        return call(() -> {
            int n = run.metamorphs().size() + 1;
            RunEvent event = new RunEvent.MetamorphRequested(new Metamorph(ctx.clock().instant(), target.id(),
                    build.id(), Metamorph.inputKey(n)), build.buildNumber());
            if (RunStateMachine.next(run.status(), event) instanceof Transition.Move) {
                if (n > Metamorph.MAX_PER_RUN) {
                    throw new ApiException(ErrorType.MAX_METAMORPHS_EXCEEDED, "A run can be metamorphed at most "
                            + Metamorph.MAX_PER_RUN + " times");
                }
                input.ifPresent(r -> ctx.storages().putRecord(run.defaultKeyValueStoreId(), Metamorph.inputKey(n), r));
                log.system("Metamorphing into actor " + target.fullName() + " (build " + build.buildNumber() + ")");
            }
            apply(event);
        });
    }

    /** Runs {@code task} on the run's executor; the future completes with the run after it, or with its failure. */
    private CompletableFuture<Run> call(Runnable task) {
        CompletableFuture<Run> result = new CompletableFuture<>();
        execute(() -> {
            try {
                task.run();
                result.complete(run);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Recovery: the run's container outlived the previous daemon; watch it again. */
    void attach(Container living) {
        execute(() -> {
            watch(living);
            log.system("The daemon restarted and re-attached to the running container");
            switch (run.status()) {
                case READY -> apply(new Started(living.pid()));
                case RUNNING -> armTimeout();
                case TIMING_OUT, ABORTING -> timers.armGrace(run.graceUntil() == null ? ctx.clock().instant()
                        : run.graceUntil());
                default -> LOG.warn("run={} attached in status={}", runId, run.status());
            }
        });
    }

    /** Recovery: the container ended while no daemon watched it; finish the run from what it recorded. */
    void finishFromRecord(ExitStatus exit) {
        execute(() -> {
            log = ctx.logs().open(runId);
            log.system("The container ended while the daemon was down, " + describe(exit));
            finishExit(exit);
        });
    }

    /** Recovery: the container is gone and left no exit status. */
    void finishLost(String reason) {
        execute(() -> {
            log = ctx.logs().open(runId);
            log.system("The container was lost: " + reason);
            apply(new ContainerLost(reason));
            ctx.logs().finish(runId);
        });
    }

    /** The container's init exited (or its exit could not be watched). */
    void exited(int gen, ExitStatus exit, Throwable error) {
        execute(() -> {
            if (gen != generation || container == null) {
                LOG.debug("run={} stale exit of container generation={} current={}", runId, gen, generation);
                return;
            }
            if (error != null) {
                LOG.warn("run={} lost track of container={} error=\"{}\"", runId, container.id(), error.getMessage());
                releaseContainer(null);
                apply(new ContainerLost("watching the container failed: " + error.getMessage()));
                ctx.logs().finish(runId);
                return;
            }
            finishExit(exit);
        });
    }

    /** A timer fired: handle its event unless the timers were cancelled since it was armed. */
    void timer(int epoch, RunEvent event) {
        execute(() -> {
            if (timers.current(epoch)) {
                apply(event);
            }
        });
    }

    /** Takes a resource sample from the container's cgroup (periodic). */
    void sample() {
        execute(() -> {
            if (container != null) {
                sampleFrom(readStats());
            }
        });
    }

    /**
     * Daemon shutdown: stop timers and watching; the container keeps running for the next daemon to
     * re-attach. A container already killed (its run has ended) is waited for briefly and released, so a
     * clean stop leaves nothing for the next daemon to clean up.
     */
    void detach() {
        execute(() -> {
            timers.cancel();
            if (container != null && run.status().isTerminal()) {
                container.awaitExit(DETACH_WAIT).ifPresent(this::finishExit);
            }
            container = null;
            pump = null;
        });
    }

    private void execute(Runnable task) {
        executor.execute(() -> {
            try {
                task.run();
            } finally {
                service.retireIfIdle(this);
            }
        });
    }

    private void apply(RunEvent event) {
        Transition t = RunStateMachine.next(run.status(), event);
        if (t instanceof Transition.Reject reject) {
            throw new ApiException(ErrorType.RUN_STATE_CONFLICT, reject.reason());
        }
        if (t instanceof Transition.Ignore ignore) {
            LOG.debug("run={} status={} event={} ignored: {}", runId, run.status().wireName(), event.kind(),
                    ignore.reason());
            return;
        }
        Transition.Move move = (Transition.Move) t;
        Run next = next(move, event, ctx.clock().instant()).build();
        store(next);
        LOG.info("run={} status={} event={} message=\"{}\"", runId, next.status().wireName(), event.kind(),
                next.statusMessage() == null ? "" : next.statusMessage());
        perform(move);
    }

    /** The stored run after a move: status and message, and what the move implies for times and options. */
    private Run.Builder next(Transition.Move move, RunEvent event, Instant now) {
        Run.Builder b = run.toBuilder().status(move.to(), move.statusMessage());
        if (event.kind() == RunEvent.Kind.RESURRECT_REQUESTED) {
            Resurrection r = pendingResurrection;
            int timeout = r.options().timeoutSecs();
            b.newStretch(run, now).resurrectCount(run.resurrectCount() + 1).finishedAt(null).exitCode(null)
                    .container(null).options(r.options()).build(r.buildId(), r.buildNumber())
                    .timeoutAt(timeout > 0 ? now.plusSeconds(timeout) : null).graceUntil(null);
        }
        if (event.kind() == RunEvent.Kind.REBOOT_REQUESTED) {
            b.rebootCount(run.rebootCount() + 1);
        }
        if (event instanceof RunEvent.MetamorphRequested m) {
            b.metamorph(m.metamorph(), m.buildNumber());
        }
        if (move.to().isTerminal()) {
            b.finishedAt(now).graceUntil(null).usage(run.usage().stopped());
        }
        if (move.effects().contains(Effect.ARM_GRACE)) {
            b.graceUntil(now.plus(ctx.grace()));
        }
        return b;
    }

    private void perform(Transition.Move move) {
        for (Effect effect : move.effects()) {
            if (run.status() != move.to()) {
                return;
            }
            switch (effect) {
                case START_CONTAINER -> startContainer();
                case ARM_TIMEOUT -> armTimeout();
                case SEND_SIGTERM -> askToStop();
                case ARM_GRACE -> timers.armGrace(run.graceUntil());
                case KILL -> kill();
                case CANCEL_TIMERS -> timers.cancel();
            }
        }
    }

    /** Stores the run's next version, makes it the current one, then tells whoever waits for it. */
    private void store(Run next) {
        Run previous = run;
        service.save(previous, next);
        run = next;
        service.changed(previous, next);
        if (next.status().isTerminal()) {
            service.ended(next);
        }
    }

    private void startContainer() {
        releaseOldContainer();
        log = ctx.logs().open(runId);
        Container created;
        try {
            Actor actor = ctx.actors().byId(run.actId()).orElseThrow(() -> new IllegalStateException(
                    "actor " + run.actId() + " no longer exists"));
            Build build = ctx.actors().getBuild(run.buildId());
            Path kvDir = ctx.files().prepare(runId, ctx.storages().record(run.defaultKeyValueStoreId(),
                    run.inputKey()));
            ContainerSpec spec = ctx.specs().create(run, actor, build, kvDir, ctx.inRun().access(run));
            log.system("Starting the container (build " + build.buildNumber() + ", " + run.options().memoryMbytes()
                    + " MB memory" + (run.timeoutAt() == null ? "" : ", timeout " + run.options().timeoutSecs() + " s")
                    + ")");
            Run starting = run;
            created = ctx.runtime().create(spec, c -> tell(l -> l.containerStarting(starting, c)));
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof ContainerException || e instanceof ApiException) {
                LOG.warn("run={} container start failed: {}", runId, reason);
            } else {
                LOG.error("run={} container start failed", runId, e);
            }
            log.system("The container failed to start: " + reason);
            apply(new StartFailed(reason));
            if (run.status().isTerminal()) {
                ctx.logs().finish(runId);
            }
            return;
        }
        run = run.toBuilder().usage(run.usage().newContainer()).build();
        watch(created);
        if (run.status() == RunStatus.READY) {
            run = run.toBuilder().container(ContainerRef.of(created.state())).build();
            apply(new Started(created.pid()));
        } else {
            store(run.toBuilder().container(ContainerRef.of(created.state())).build());
        }
    }

    /** Takes charge of a container: its output, its exit, its resource counters. */
    private void watch(Container c) {
        int gen = ++generation;
        container = c;
        log = ctx.logs().open(runId);
        lastSampleNanos = System.nanoTime();
        lastCpuMicros = readStats().cpuUsageMicros();
        pump = c.output().map(in -> LogPump.start(runId, in, log)).orElse(null);
        c.onExit().whenComplete((exit, error) -> service.dispatchExit(runId, gen, exit, error));
        tell(l -> l.containerStarted(run, c));
    }

    /**
     * The container exited: drain its output, keep its files and counters, store the outcome, then release
     * the container (its teardown takes tens of milliseconds; whoever waits for the status need not).
     */
    private void finishExit(ExitStatus exit) {
        if (pump != null && !pump.awaitEof(ctx.exitDrain())) {
            LOG.warn("run={} output still open {} after the exit; the log may miss its end", runId, ctx.exitDrain());
        }
        if (container != null) {
            sampleFrom(readStats());
        }
        collectFiles();
        if (log != null) {
            log.system("The container exited, " + describe(exit));
        }
        Transition t = RunStateMachine.next(run.status(), new Exited(exit));
        Run.Builder next = t instanceof Transition.Move move
                ? next(move, new Exited(exit), ctx.clock().instant()) : run.toBuilder();
        next.exitCode(exit.code());
        Run stored = next.build();
        store(stored);
        releaseContainer(exit);
        LOG.info("run={} status={} exitCode={} oom={}", runId, stored.status().wireName(), exit.code(), exit.oomKilled());
        if (t instanceof Transition.Move move) {
            perform(move);
        }
        if (run.status().isTerminal()) {
            ctx.logs().finish(runId);
        }
    }

    private void collectFiles() {
        Map<String, KvRecord> files = ctx.files().collect(runId);
        files.forEach((key, record) -> ctx.storages().putRecord(run.defaultKeyValueStoreId(), key, record));
    }

    /** Tears the container down (cgroup, mounts, scratch files). */
    private void releaseContainer(ExitStatus exit) {
        if (container == null) {
            return;
        }
        tell(l -> l.containerStopped(runId));
        try {
            container.close();
        } catch (RuntimeException e) {
            LOG.warn("run={} release container={} failed: {}", runId, container.id(), e.getMessage(), e);
        }
        LOG.debug("run={} container={} released exit={}", runId, container.id(), exit);
        container = null;
        pump = null;
    }

    /**
     * A reboot replaces a live container, and a resurrection can arrive right after an immediate abort,
     * before the killed container's exit was handled: finish the old container first, so a run never has
     * two. Its exit code is not the run's, which goes on.
     */
    private void releaseOldContainer() {
        if (container == null) {
            return;
        }
        Container old = container;
        old.kill();
        ExitStatus exit = old.awaitExit(OLD_CONTAINER_WAIT).orElse(ExitStatus.killed(Signal.SIGKILL));
        if (pump != null) {
            pump.awaitEof(ctx.exitDrain());
        }
        sampleFrom(readStats());
        collectFiles();
        releaseContainer(exit);
    }

    /**
     * A graceful abort tells an actor that listens for platform events with {@code aborting} and
     * {@code persistState}, and it exits by itself (Apify sends no signal); any other actor, and every
     * timeout, gets SIGTERM. The grace timer kills what is still running either way.
     */
    private void askToStop() {
        if (run.status() == RunStatus.ABORTING && service.listener().abortRequested(run)) {
            log.system("Sent the aborting and persistState events to the actor");
            return;
        }
        signal(Signal.SIGTERM);
    }

    private void tell(java.util.function.Consumer<RunListener> call) {
        try {
            call.accept(service.listener());
        } catch (RuntimeException e) {
            LOG.warn("run={} run listener failed: {}", runId, e.getMessage(), e);
        }
    }

    private void signal(Signal signal) {
        if (container == null) {
            return;
        }
        try {
            container.signal(signal);
            log.system("Sent " + signal.name() + " to the actor");
        } catch (RuntimeException e) {
            LOG.warn("run={} signal={} failed: {}", runId, signal, e.getMessage());
        }
    }

    private void kill() {
        if (container == null) {
            return;
        }
        try {
            container.kill();
        } catch (RuntimeException e) {
            LOG.warn("run={} kill failed: {}", runId, e.getMessage(), e);
        }
    }

    private void armTimeout() {
        if (run.timeoutAt() != null) {
            timers.armTimeout(run.timeoutAt());
        }
    }

    private CgroupStats readStats() {
        try {
            return container.stats();
        } catch (RuntimeException e) {
            LOG.debug("run={} stats unavailable: {}", runId, e.getMessage());
            return new CgroupStats(0, 0, lastCpuMicros, 0, 0, 0, 0);
        }
    }

    private void sampleFrom(CgroupStats stats) {
        long nanos = System.nanoTime();
        long cpuDelta = stats.cpuUsageMicros() - lastCpuMicros;
        long interval = (nanos - lastSampleNanos) / 1000;
        lastCpuMicros = stats.cpuUsageMicros();
        lastSampleNanos = nanos;
        RunUsage usage = run.usage().withSample(stats.memoryCurrentBytes(), stats.memoryPeakBytes(), cpuDelta, interval);
        Optional<NetCounters> net = container == null ? Optional.empty() : container.networkCounters();
        if (net.isPresent()) {
            usage = usage.withNetwork(net.get().rxBytes(), net.get().txBytes());
        }
        if (run.status().isTerminal()) {
            // The last sample of a run that has ended (an abort or timeout stores its status before the exit):
            // its counters count, but nothing is current any more.
            usage = usage.stopped();
        }
        run = run.toBuilder().usage(usage).build();
        ctx.samples().add(runId, ctx.clock().instant(), usage.cpuCurrentUsage(), usage.memCurrentBytes());
    }

    private static String describe(ExitStatus exit) {
        return "exit code " + exit.code() + exit.signal().map(s -> " (signal " + s.name() + ")").orElse("")
                + (exit.oomKilled() ? ", out of memory (OOM-killed)" : "");
    }
}
