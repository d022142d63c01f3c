package io.actord.daemon.run;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.storage.KvRecord;
import io.actord.runtime.Container;
import io.actord.runtime.ExitStatus;
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

    private final SupervisorHost host;
    private final String runId;
    private final SerialExecutor executor;
    private final SupervisedRun run;
    /** Completed once the registry has retired this supervisor (the run no longer needs one). */
    private final CompletableFuture<Void> retired = new CompletableFuture<>();
    /** Set, on the run's executor, once a write of the run was refused as a stale owner's; then no task runs. */
    private volatile StaleRunOwnerException fenced;

    RunSupervisor(Run run, SupervisorHost host, RunContainers containers, RunLogs logs, RunSamples samples,
                  Timing timing) {
        this.host = host;
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
        run.queued(ahead);
    }

    /** The host has room for the run: its container starts, unless it was aborted while it waited. */
    void start() {
        execute(run::startIfReady);
    }

    /** Handles an event on the run's executor; the future completes with the run afterwards. */
    CompletableFuture<Run> submit(RunEvent event) {
        return call(() -> run.apply(event));
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

    /** Runs {@code task} on the run's executor unless the run is fenced; {@code result} (or null) fails if it is. */
    private void execute(Runnable task, CompletableFuture<Run> result) {
        executor.execute(() -> {
            try {
                if (fenced != null) {
                    throw fenced;
                }
                task.run();
            } catch (StaleRunOwnerException e) {
                fence(e);
                if (result != null) {
                    result.completeExceptionally(new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run " + runId
                            + " has moved to another host; send the request again"));
                }
            } finally {
                host.afterTask(this);
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
            LoggerFactory.getLogger(RunSupervisor.class).warn("run={} fenced, its container is killed: {}", runId,
                    refused.getMessage());
            run.fenced();
        }
    }
}
