package io.actord.daemon.run;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.storage.KvRecord;
import io.actord.runtime.Container;
import io.actord.runtime.ExitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Supervises one active run: every command and event for it becomes a task on the run's own
 * {@link SerialExecutor}, where its {@link SupervisedRun} handles it, so two never race. Commands come from
 * the API through {@link ActiveRuns}; the run's own events (its timers, its container's exit) are posted here
 * directly, and dropped once the supervisor has retired. After each task the {@link SupervisorHost} may
 * retire it: when the run has ended, its container is released and no task is queued.
 */
final class RunSupervisor {
    /**
     * The threads, clock and tunables every supervisor shares.
     *
     * @param pool      where the serial executors run
     * @param timers    where the timeout and grace timers wait
     * @param grace     how long a graceful abort or a timeout waits for the workload before killing it (Apify: 30 s)
     * @param exitDrain how long to wait, once the container exited, for the rest of its output to arrive
     */
    record Timing(Executor pool, ScheduledExecutorService timers, Clock clock, Duration grace, Duration exitDrain) {
    }

    /** It logs as the supervisor of its run (STYLE.md §10). */
    private static final Logger LOG = LoggerFactory.getLogger(RunSupervisor.class);

    private final SupervisorHost host;
    private final RunLogs logs;
    private final String runId;
    private final SerialExecutor executor;
    private final SupervisedRun run;
    /** Completed once the registry has retired this supervisor (the run no longer needs one). */
    private final CompletableFuture<Void> retired = new CompletableFuture<>();
    /**
     * Set once the host has given the run up (#26: it left the cluster, or drained the run): commands are refused and
     * nothing more is stored; the run is another host's to settle.
     */
    private volatile boolean evicted;
    /** While the host drains the run: completed when the actor asks for a reboot, its sign it has persisted. */
    private volatile CompletableFuture<Void> migration;
    /** Set, on the run's executor, once a write of the run was refused as a stale owner's; then no task runs. */
    private volatile StaleRunOwnerException fenced;

    RunSupervisor(Run run, SupervisorHost host, RunContainers containers, RunLogs logs, RunSamples samples,
                  Timing timing) {
        this.host = host;
        this.logs = logs;
        this.runId = run.id();
        this.executor = new SerialExecutor(timing.pool());
        this.run = new SupervisedRun(run, host, containers, logs, samples, timing, this::timer, this::exited);
    }

    String runId() {
        return runId;
    }

    /** The run as it is now, with the latest resource samples (not all of which are stored yet). */
    Run current() {
        return run.current();
    }

    /** Completes once this supervisor has been retired; a copy, so a caller's timeout cannot complete it for others. */
    CompletableFuture<Void> whenRetired() {
        return retired.copy();
    }

    /** The registry removed this supervisor from the active runs. */
    void retired() {
        retired.complete(null);
    }

    /**
     * True when nothing is left to supervise: the run has ended and its container is released, or another host owns
     * it now ({@link #fence}), and no event is queued.
     */
    boolean idle() {
        return (run.ended() || fenced != null) && executor.pending() == 0;
    }

    /** The run waits READY for the host's memory, {@code ahead} runs in the queue, this one included. */
    void queued(int ahead) {
        int memory = run.current().options().memoryMbytes();
        LOG.info("run={} waits for host memory={} position={}", runId, memory, ahead);
        logs.open(runId).system("Waiting for " + memory + " MB of the host's memory (" + ahead
                + (ahead == 1 ? " run" : " runs") + " in the queue, this one included)");
    }

    /** The host has room for the run: its container starts, unless it was aborted while it waited. */
    void start() {
        execute(run::startIfReady);
    }

    /**
     * Handles an event on the run's executor; the future completes with the run afterwards. While the host drains the
     * run, a reboot is the actor's word that it has persisted its state (the SDK's default {@code migrating} handler
     * asks for one, as the platform documents): the migration goes ahead instead.
     */
    CompletableFuture<Run> submit(RunEvent event) {
        CompletableFuture<Void> draining = migration;
        if (draining != null && event.kind() == RunEvent.Kind.REBOOT_REQUESTED) {
            draining.complete(null);
            return CompletableFuture.completedFuture(run.current());
        }
        return call(() -> run.apply(event));
    }

    /**
     * Drain (#26): tells the actor, when it listens for events, that it is about to migrate and has {@code remaining}
     * to persist its state. Completes when it asks for a reboot, or at once when it does not listen.
     */
    CompletableFuture<Void> migrating(Duration remaining) {
        CompletableFuture<Void> asked = new CompletableFuture<>();
        migration = asked;
        execute(() -> {
            Run now = run.current();
            boolean[] told = {false};
            host.tell(runId, l -> told[0] = l.migrationRequested(now, remaining));
            if (told[0]) {
                logs.open(runId).system("Sent the migrating and persistState events to the actor: its host is"
                        + " drained; it has " + remaining.toSeconds() + " s to persist its state");
            } else {
                asked.complete(null); // nothing listens that could persist: no reason to wait
            }
        });
        return asked;
    }

    /**
     * The host gives the run up (#26): its container is killed now, from this thread (a task may hold the executor:
     * a write waiting for the database); the teardown follows on the executor, and nothing more is stored. The
     * registry lets the supervisor go right after.
     */
    void evict() {
        evicted = true;
        run.killNow();
        retired.complete(null);
        executor.execute(run::abandon);
    }

    /** Stores a status message the run sets while it is active; a finished run's message is final (400 run-state-conflict). */
    CompletableFuture<Run> setStatusMessage(String message, boolean terminal) {
        return call(() -> run.change(r -> r.toBuilder().statusMessage(message, terminal).build(),
                RunSupervisor::statusMessageIsFinal));
    }

    /**
     * Records a pay-per-event charge of the active run (see {@link RunCharges#charge}); once it has finished, 400
     * unless the charge is a retry of one it recorded (the run may end between a charge and its retry).
     */
    CompletableFuture<Run> charge(String eventName, long count, String idempotencyKey) {
        return call(() -> run.change(r -> r.toBuilder().charges(r.charges().charge(eventName, count, idempotencyKey))
                .build(), finished -> cannotCharge(finished, idempotencyKey)));
    }

    /** Why {@code finished} takes no charge: 400 run-state-conflict; null for a retry of a charge it recorded. */
    static ApiException cannotCharge(Run finished, String idempotencyKey) {
        if (idempotencyKey != null && finished.charges().recentKeys().contains(idempotencyKey)) {
            return null;
        }
        return new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run has already finished with status "
                + finished.status().wireName() + "; it can no longer be charged");
    }

    static ApiException statusMessageIsFinal(Run finished) {
        return new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run has already finished with status "
                + finished.status().wireName() + "; its status message can no longer change");
    }

    /** Resurrects the (finished) run with {@code options}. */
    CompletableFuture<Run> resurrect(Resurrection options) {
        return call(() -> run.resurrect(options));
    }

    /** Turns the running run into a run of {@code target}'s {@code build} (see {@link SupervisedRun#metamorph}). */
    CompletableFuture<Run> metamorph(Actor target, Build build, Optional<KvRecord> input) {
        return call(() -> run.metamorph(target, build, input));
    }

    /** Recovery: the run's container outlived the previous daemon; watch it again. */
    void attach(Container living) {
        execute(() -> run.attach(living));
    }

    /** Recovery: the container ended while no daemon watched it; finish the run from what it recorded. */
    void finishFromRecord(ExitStatus exit) {
        execute(() -> run.finishFromRecord(exit));
    }

    /**
     * Recovery: a stored resurrection, reboot or metamorph whose container never started waits READY again (then
     * {@link #start}).
     */
    void restartUnstarted() {
        execute(run::restartUnstarted);
    }

    /** Placement (#26): the run moved here from a host that is gone; its new container starts, its timeout kept. */
    void startMigrated() {
        execute(run::startMigrated);
    }

    /** Recovery: the container is gone and left no exit status. */
    void finishLost(String reason) {
        execute(() -> run.finishLost(reason));
    }

    /** Takes a resource sample from the container's cgroup (periodic). */
    void sample() {
        execute(run::sampleIfRunning);
    }

    /** Daemon shutdown: stop timers and watching; the container keeps running (see {@link SupervisedRun#detach}). */
    void detach() {
        execute(run::detach);
    }

    /** The container of {@code generation} exited (or its exit could not be watched). */
    private void exited(int generation, ExitStatus exit, Throwable error) {
        unlessRetired(r -> r.exited(generation, exit, error));
    }

    /** A timer armed in {@code epoch} fired. */
    private void timer(int epoch, RunEvent event) {
        unlessRetired(r -> r.timer(epoch, event));
    }

    /** The run's own events: a supervisor that has retired has nothing left to act on (a newer one may have the run). */
    private void unlessRetired(Consumer<SupervisedRun> task) {
        execute(() -> {
            if (!retired.isDone()) {
                task.accept(run);
            }
        });
    }

    /** Runs {@code task} on the run's executor; the future completes with the run after it, or with its failure. */
    private CompletableFuture<Run> call(Runnable task) {
        CompletableFuture<Run> result = new CompletableFuture<>();
        execute(() -> {
            try {
                task.run();
                result.complete(run.current());
            } catch (StaleRunOwnerException e) {
                throw e;
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, result);
        return result;
    }

    private void execute(Runnable task) {
        execute(task, null);
    }

    /**
     * Runs {@code task} on the run's executor unless the host gave the run up or another host owns it now; then
     * {@code result} (or null) fails: 503 while the run moves (evicted), 400 run-state-conflict once it was fenced.
     */
    private void execute(Runnable task, CompletableFuture<Run> result) {
        executor.execute(() -> {
            ApiException refused = null;
            try {
                if (evicted) {
                    refused = new ApiException(ErrorType.SERVICE_UNAVAILABLE, "Run " + runId + " is moving to"
                            + " another host (this one left the cluster or is drained); try again shortly");
                } else {
                    if (fenced != null) {
                        throw fenced;
                    }
                    task.run();
                }
            } catch (StaleRunOwnerException e) {
                fence(e);
                refused = new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run " + runId
                        + " has moved to another host; send the request again");
            } finally {
                host.afterTask(this);
            }
            // after afterTask: a caller told so finds a fenced supervisor gone, unless more events were queued
            if (refused != null && result != null) {
                result.completeExceptionally(refused);
            }
        });
    }

    /**
     * A write of the run was refused because another host owns it now (#26, fencing): this supervisor stops, kills
     * and tears down its container without writing anything, and leaves the registry once its queue is empty.
     */
    private void fence(StaleRunOwnerException refused) {
        if (fenced == null) {
            fenced = refused;
            LOG.warn("run={} fenced, its container is killed: {}", runId, refused.getMessage());
            run.abandon();
        }
    }
}
