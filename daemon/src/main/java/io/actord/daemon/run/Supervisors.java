package io.actord.daemon.run;

import io.actord.daemon.common.EndWaiters;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.state.UntilAvailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes the runs' supervisors and is the {@link SupervisorHost} they report to: it stores each new version
 * of a run in the {@link RunRepository}, tells the status listeners, the {@link RunListener} and whoever
 * waits for a run's end, and hands a supervisor that may be idle to {@link ActiveRuns} for retirement.
 */
final class Supervisors implements SupervisorHost {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisors.class);
    private final RunRepository repository;
    private final ActiveRuns active;
    private final EndWaiters<Run> waiters;
    private final RunContainers containers;
    private final RunLogs logs;
    private final RunSupervisor.Timing timing;
    private final RunSteps steps;
    private final List<Consumer<Run>> statusListeners = new CopyOnWriteArrayList<>();
    private volatile RunListener listener = RunListener.NONE;
    /** Where new runs go instead of this host's admission queue (a cluster's placement), or null. */
    private volatile RunIntake intake;

    Supervisors(RunRepository repository, ActiveRuns active, EndWaiters<Run> waiters, RunContainers containers,
                RunLogs logs, RunSupervisor.Timing timing, RunSteps steps) {
        this.repository = repository;
        this.active = active;
        this.waiters = waiters;
        this.containers = containers;
        this.logs = logs;
        this.timing = timing;
        this.steps = steps;
    }

    /** A supervisor for {@code run}, not yet in the registry; the run's log is open from now on. */
    RunSupervisor create(Run run) {
        logs.open(run.id());
        return new RunSupervisor(run, this, containers, logs, repository.samples(), timing);
    }

    /**
     * Takes a new run in: a single host's way, where it waits in this host's admission queue and starts when there is
     * room ({@code owner}'s run), or the cluster's placement once {@link #takeWith} was called.
     */
    Run take(RunOwner owner, String userId, int memoryMbytes, Function<String, Run> store) {
        RunIntake current = intake;
        if (current != null) {
            return current.take(userId, memoryMbytes, store);
        }
        return active.admit(userId, memoryMbytes, () -> {
            Run run = store.apply(owner.hostId());
            created(run);
            return create(run);
        }).current();
    }

    /**
     * An API event that moves {@code run}, which has no supervisor on this host: an unplaced run's goes to the
     * cluster's placement; any other is not applied (the run is another daemon's, or has just ended).
     */
    Run unsupervised(Run run, RunEvent event) {
        RunIntake current = intake;
        if (current != null && UnplacedRunKey.isUnplaced(run)) {
            return current.commandUnplaced(run, event);
        }
        LOG.warn("run={} status={} has no supervisor; event={} not applied", run.id(), run.status(), event.kind());
        return run;
    }

    Clock clock() {
        return timing.clock();
    }

    /** From now on new runs go to {@code cluster} (#26). */
    void takeWith(RunIntake cluster) {
        intake = cluster;
    }

    /** Calls {@code l} with the run after each stored status change, on the run's own thread. */
    void onStatusChange(Consumer<Run> l) {
        statusListeners.add(l);
    }

    /** A new run was stored: its status listeners hear of it as of any status change. */
    void created(Run run) {
        statusListeners.forEach(l -> l.accept(run));
    }

    /** Adds {@code l} to what is told about containers (after those added before). */
    void listen(RunListener l) {
        RunListener before = listener;
        this.listener = before == RunListener.NONE ? l : RunListener.all(before, l);
    }

    /**
     * Stores the run's next version. A terminal status is the one change nothing else would bring back (the
     * container is gone): while the state database is away, it is tried again until it is back.
     */
    @Override
    public void save(Run previous, Run next) {
        if (next.status().isTerminal()) {
            UntilAvailable.write("run " + next.id() + " " + next.status().wireName(),
                    () -> repository.save(previous, next));
        } else {
            repository.save(previous, next);
        }
        steps.reached(RunStep.STORED, next.id());
    }

    @Override
    public void changed(Run previous, Run next) {
        if (previous.status() != next.status()) {
            statusListeners.forEach(l -> l.accept(next));
        }
        if (next.status().isTerminal()) {
            waiters.ended(next.id(), next);
        }
    }

    @Override
    public RunSteps steps() {
        return steps;
    }

    @Override
    public RunListener listener() {
        return listener;
    }

    @Override
    public void afterTask(RunSupervisor supervisor) {
        active.retireIfIdle(supervisor);
    }
}
