package io.actord.daemon.run;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.runlog.RunLog;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.run.RunEvent.ContainerLost;
import io.actord.daemon.run.RunEvent.Exited;
import io.actord.daemon.run.RunEvent.StartFailed;
import io.actord.daemon.run.RunEvent.Started;
import io.actord.daemon.storage.KvRecord;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One active run as its supervisor's serial executor sees it: the run itself, its container, its log and its timers.
 * Each event asks {@link RunStateMachine} what it means, <b>stores the new status first</b>, and only then performs
 * the effects (signal, kill, start), so a crash between the two leaves a stored status that recovery can finish from.
 *
 * <p>Every method runs on the {@link RunSupervisor}'s executor, except {@link #current} ({@link #run} is volatile so
 * API threads can read the live view) and {@link #killNow} (an eviction's, see {@link CurrentContainer#kill}).
 */
final class SupervisedRun {
    /** It logs as the supervisor it belongs to: a run's log lines keep one name (STYLE.md §10). */
    private static final Logger LOG = LoggerFactory.getLogger(RunSupervisor.class);
    /** How long a resurrection waits for the previous container to die after killing it. */
    private static final Duration OLD_CONTAINER_WAIT = Duration.ofSeconds(10);
    /** How long a stopping daemon waits for a container it already killed. */
    private static final Duration DETACH_WAIT = Duration.ofSeconds(5);

    private final SupervisorHost host;
    private final RunContainers containers;
    private final RunLogs logs;
    private final RunSupervisor.Timing timing;
    private final ContainerExitSink exits;
    private final String runId;
    private volatile Run run;
    private final CurrentContainer container;
    private RunLog log;
    private final RunTimers timers;
    private Resurrection pendingResurrection;

    SupervisedRun(Run run, SupervisorHost host, RunContainers containers, RunLogs logs, RunSamples samples,
                  RunSupervisor.Timing timing, RunTimers.Sink timerSink, ContainerExitSink exits) {
        this.host = host;
        this.containers = containers;
        this.logs = logs;
        this.timing = timing;
        this.exits = exits;
        this.runId = run.id();
        this.run = run;
        this.timers = new RunTimers(runId, timing.timers(), timing.clock(), timerSink);
        this.container = new CurrentContainer(runId, new UsageSampler(runId, samples, timing.clock()), host.steps());
    }

    /** The run as it is now, with the latest resource samples (not all of which are stored yet); any thread. */
    Run current() {
        return run;
    }

    /** Whether the run has ended and its container is released. */
    boolean ended() {
        return run.status().isTerminal() && !container.present();
    }

    /** Starts a READY run's container now that the host has room (its timeout counts from now); else does nothing. */
    void startIfReady() {
        if (run.status() == RunStatus.READY) {
            int timeout = run.options().timeoutSecs();
            run = run.toBuilder().timeoutAt(timeout > 0 ? timing.clock().instant().plusSeconds(timeout) : null).build();
            startContainer();
        }
    }

    /** Stores what the active run records of itself; {@code finished}: why a finished one takes none (null: has it). */
    void change(UnaryOperator<Run> change, Function<Run, ApiException> finished) {
        ApiException refused = run.status().isTerminal() ? finished.apply(run) : null;
        if (!run.status().isTerminal()) {
            store(change.apply(run));
        } else if (refused != null) {
            throw refused;
        }
    }

    /** Resurrects the (finished) run with {@code options}. */
    void resurrect(Resurrection options) {
        pendingResurrection = options;
        try {
            apply(new RunEvent.ResurrectRequested());
        } finally {
            pendingResurrection = null;
        }
    }

    /**
     * Turns the running run into a run of {@code target}'s {@code build}: its input goes to the next
     * INPUT-METAMORPH-n record of the default key-value store, then the container is replaced as on a reboot.
     * 400 run-state-conflict when the run is not running, 400 max-metamorphs-exceeded past Apify's limit.
     */
    void metamorph(Actor target, Build build, Optional<KvRecord> input) {
        int n = run.metamorphs().size() + 1;
        RunEvent event = new RunEvent.MetamorphRequested(new Metamorph(timing.clock().instant(), target.id(),
                build.id(), Metamorph.inputKey(n)), build.buildNumber());
        if (RunStateMachine.next(run.status(), event) instanceof Transition.Move) {
            if (n > Metamorph.MAX_PER_RUN) {
                throw new ApiException(ErrorType.MAX_METAMORPHS_EXCEEDED, "A run can be metamorphed at most "
                        + Metamorph.MAX_PER_RUN + " times");
            }
            containers.putRecord(run, Metamorph.inputKey(n), input);
            log.system("Metamorphing into actor " + target.fullName() + " (build " + build.buildNumber() + ")");
        }
        apply(event);
    }

    /** Recovery: the run's container outlived the previous daemon; watch it again. */
    void attach(Container living) {
        watch(living);
        log.system("The daemon restarted and re-attached to the running container");
        switch (run.status()) {
            case READY -> apply(new Started(living.pid()));
            case RUNNING -> armTimeout();
            case TIMING_OUT, ABORTING -> timers.armGrace(run.graceUntil() == null ? timing.clock().instant()
                    : run.graceUntil());
            default -> LOG.warn("run={} attached in status={}", runId, run.status());
        }
    }

    /** Recovery: the container ended while no daemon watched it; finish the run from what it recorded. */
    void finishFromRecord(ExitStatus exit) {
        log = logs.open(runId);
        log.system("The container ended while the daemon was down, " + CurrentContainer.describe(exit));
        finishExit(exit);
    }

    /**
     * Recovery: a resurrection, reboot or metamorph was stored (RUNNING, no container; see {@link RunMoves}) but the
     * previous daemon stopped before the new container started. The run goes back to READY and waits for host
     * memory like a new run, instead of failing: the command was accepted, so it happens.
     */
    void restartUnstarted() {
        logs.open(runId).system("The daemon stopped before the run's new container started; it starts now");
        store(run.toBuilder().status(RunStatus.READY, "Starting the run's new container after a daemon restart")
                .timeoutAt(null).build());
    }

    /** Placement (#26): the run moved here from a host that is gone: a new container, RUNNING, its timeout kept. */
    void startMigrated() {
        logs.open(runId).system("The run moved to this host (migration " + run.migrationCount() + "): it starts again");
        startContainer();
    }

    /** Recovery: the container is gone and left no exit status. */
    void finishLost(String reason) {
        log = logs.open(runId);
        log.system("The container was lost: " + reason);
        apply(new ContainerLost(reason));
        logs.finish(runId);
    }

    /** The container's init exited (or its exit could not be watched); ignored unless it is the current container. */
    void exited(int gen, ExitStatus exit, Throwable error) {
        if (!container.isCurrent(gen)) {
            LOG.debug("run={} stale exit of container generation={} current={}", runId, gen, container.generation());
            return;
        }
        if (error != null) {
            LOG.warn("run={} lost track of container={} error=\"{}\"", runId, container.id(), error.getMessage());
            releaseContainer(null);
            apply(RestartOnError.event(run, new ContainerLost("watching the container failed: " + error.getMessage())));
            finishLogIfEnded();
            return;
        }
        finishExit(exit);
    }

    /** A timer fired: handle its event unless the timers were cancelled since it was armed. */
    void timer(int epoch, RunEvent event) {
        if (timers.current(epoch)) {
            apply(event);
        }
    }

    /** Takes a resource sample from the container's cgroup, if it has one (periodic). */
    void sampleIfRunning() {
        if (container.present()) {
            sample();
        }
    }

    /**
     * Daemon shutdown: stop timers and watching; the container keeps running for the next daemon to re-attach. A
     * container already killed (its run has ended) is waited for briefly and released: a clean stop leaves nothing.
     */
    void detach() {
        timers.cancel();
        if (container.present() && run.status().isTerminal()) {
            container.awaitExit(DETACH_WAIT).ifPresent(this::finishExit);
        }
        container.forget();
    }

    /** Eviction (#26): kills the container now, from any thread; the host is leaving the cluster. */
    void killNow() {
        container.kill();
    }

    /** The run is another host's (#26: evicted or fenced): kills and tears the container down, stores nothing. */
    void abandon() {
        timers.cancel();
        if (container.present()) {
            releaseContainer(container.killAndAwait(OLD_CONTAINER_WAIT));
        }
        logs.finish(runId);
    }

    /** Handles an event: stores the move the state machine makes of it, then performs its effects. */
    void apply(RunEvent event) {
        Transition t = RunStateMachine.next(run, event);
        if (t instanceof Transition.Reject reject) {
            throw new ApiException(ErrorType.RUN_STATE_CONFLICT, reject.reason());
        }
        if (t instanceof Transition.Ignore ignore) {
            LOG.debug("run={} status={} event={} ignored: {}", runId, run.status().wireName(), event.kind(),
                    ignore.reason());
            return;
        }
        Transition.Move move = (Transition.Move) t;
        Run next = next(move, event).build();
        store(next);
        LOG.info("run={} status={} event={} message=\"{}\"", runId, next.status().wireName(), event.kind(),
                next.statusMessage() == null ? "" : next.statusMessage());
        perform(move);
    }

    /** The stored run after a move: status and message, and what the move implies for times and options. */
    private Run.Builder next(Transition.Move move, RunEvent event) {
        return RunMoves.next(run, move, event, timing.clock().instant(), timing.grace(), pendingResurrection);
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
                case KILL -> container.kill();
                case CANCEL_TIMERS -> timers.cancel();
            }
        }
    }

    /** Stores the run's next version, makes it the current one, then tells whoever waits for it. */
    private void store(Run next) {
        Run previous = run;
        host.save(previous, next);
        run = next;
        host.changed(previous, next);
    }

    private void startContainer() {
        releaseOldContainer();
        log = logs.open(runId);
        Container created;
        try {
            Run starting = run;
            created = containers.create(run, log, c -> host.tell(runId, l -> l.containerStarting(starting, c)));
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof ContainerException || e instanceof ApiException) {
                LOG.warn("run={} container start failed: {}", runId, reason);
            } else {
                LOG.error("run={} container start failed", runId, e);
            }
            log.system("The container failed to start: " + reason);
            apply(new StartFailed(reason));
            finishLogIfEnded();
            return;
        }
        run = run.toBuilder().usage(run.usage().newContainer()).build();
        watch(created);
        if (run.status() == RunStatus.READY) {
            run = run.toBuilder().container(ContainerRef.of(created.state())).build();
            apply(new Started(created.pid()));
        } else {
            store(run.toBuilder().container(ContainerRef.of(created.state())).build());
            armTimeout();
        }
    }

    /** Takes charge of a container: its output, its exit, its resource counters. */
    private void watch(Container c) {
        log = logs.open(runId);
        int gen = container.take(c, log);
        c.onExit().whenComplete((exit, error) -> exits.exited(gen, exit, error));
        host.tell(runId, l -> l.containerStarted(run, c));
    }

    /**
     * The container exited: drain its output, keep its files and counters, store the outcome, then release
     * the container (its teardown takes tens of milliseconds; whoever waits for the status need not).
     */
    private void finishExit(ExitStatus exit) {
        host.steps().reached(RunStep.EXITED, runId);
        if (!container.drain(timing.exitDrain())) {
            LOG.warn("run={} output still open {} after the exit; the log may miss its end", runId, timing.exitDrain());
        }
        if (container.present()) {
            sample();
        }
        containers.collectFiles(run, container.exchangeDirectory());
        if (log != null) {
            log.system("The container exited, " + CurrentContainer.describe(exit));
        }
        RunEvent event = RestartOnError.event(run, new Exited(exit));
        Transition t = RunStateMachine.next(run, event);
        Run stored = (t instanceof Transition.Move move ? next(move, event) : run.toBuilder())
                .exitCode(event instanceof Exited ? exit.code() : null).build();
        store(stored);
        if (event instanceof RunEvent.RestartOnErrorRequested restart && log != null) {
            log.system("The run failed and restarts on error: " + restart.failure());
        }
        releaseContainer(exit);
        LOG.info("run={} status={} exitCode={} oom={}", runId, stored.status().wireName(), exit.code(), exit.oomKilled());
        if (t instanceof Transition.Move move) {
            perform(move);
        }
        finishLogIfEnded();
    }

    private void finishLogIfEnded() {
        if (run.status().isTerminal()) {
            logs.finish(runId);
        }
    }

    /** Tells the listeners the container is gone, then tears it down (cgroup, mounts, scratch files). */
    private void releaseContainer(ExitStatus exit) {
        if (container.present()) {
            host.tell(runId, l -> l.containerStopped(runId));
            container.release(exit);
        }
    }

    /**
     * A reboot replaces a live container, and a resurrection can arrive right after an immediate abort,
     * before the killed container's exit was handled: finish the old container first, so a run never has
     * two. Its exit code is not the run's, which goes on.
     */
    private void releaseOldContainer() {
        if (!container.present()) {
            return;
        }
        ExitStatus exit = container.killAndAwait(OLD_CONTAINER_WAIT);
        container.drain(timing.exitDrain());
        sample();
        containers.collectFiles(run, container.exchangeDirectory());
        releaseContainer(exit);
    }

    /**
     * A graceful abort tells an actor that listens for platform events with {@code aborting} and
     * {@code persistState}, and it exits by itself (Apify sends no signal); any other actor, and every
     * timeout, gets SIGTERM. The grace timer kills what is still running either way.
     */
    private void askToStop() {
        if (run.status() == RunStatus.ABORTING && host.listener().abortRequested(run)) {
            log.system("Sent the aborting and persistState events to the actor");
            return;
        }
        if (container.signal(Signal.SIGTERM)) {
            log.system("Sent " + Signal.SIGTERM.name() + " to the actor");
        }
    }

    private void armTimeout() {
        if (run.timeoutAt() != null) {
            timers.armTimeout(run.timeoutAt());
        }
    }

    /** Adds a sample of the container to the run's live usage (stored with its next version). */
    private void sample() {
        run = run.toBuilder().usage(container.sample(run)).build();
    }
}
