package io.actord.daemon.run;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Placement of runs in a cluster (#26). A new run is stored READY and unplaced ({@link UnplacedRunKey#isUnplaced}) on
 * whichever host got the request, and every member host claims unplaced runs for itself, the earliest started first,
 * as its free memory allows: first come first served across the cluster, as {@link RunAdmission} is on one host. The
 * oldest waiting run that this host could hold but that does not fit now stops the pass: a later, smaller run never
 * overtakes it here, so a big run is not starved by small ones (another host may take it meanwhile); a run bigger than
 * this host's whole capacity is skipped, it is for others. A gateway host (capacity 0) thus claims nothing.
 *
 * <p>A claim happens under the run's owner lock ({@link RunRepository#claimUnplaced}): the run is read again under it,
 * and only a run still unplaced is stored as this host's with its epoch + 1 while the host's memory is taken for it,
 * so of two hosts racing for one run the second finds it placed and moves on. A claimed READY run starts as a new
 * run; a RUNNING one (its host died or was drained) gets a new container as recovery gives one to a run "RUNNING
 * without a container". Passes run on one thread of their own, woken by the {@link RunRepository#PLACEMENT} signal
 * (a run became unplaced, a host freed memory), by this host freeing memory, and every {@link #POLL}.
 */
public final class ClusterPlacement implements RunIntake, AutoCloseable {
    /** How often a host looks for unplaced runs without being woken (a signal may be lost). */
    public static final Duration POLL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPlacement.class);

    /** What placement needs to know of the cluster. */
    public interface Cluster {
        /** Whether this host claims runs now: a member (its lease is live) that is not drained. */
        boolean claiming();

        /** The largest capacity for runs of a live member, or empty while the members are not known yet. */
        OptionalLong largestCapacityMbytes();
    }

    private final RunRepository repository;
    private final ActiveRuns active;
    private final Supervisors supervisors;
    private final RunOwner owner;
    private final Cluster cluster;
    private final ScheduledExecutorService thread;
    /** Set while a pass is queued and has not begun: wake-ups meanwhile add nothing. */
    private final AtomicBoolean queued = new AtomicBoolean();

    private ClusterPlacement(RunRepository repository, ActiveRuns active, Supervisors supervisors, RunOwner owner,
                     Cluster cluster) {
        this.repository = repository;
        this.active = active;
        this.supervisors = supervisors;
        this.owner = owner;
        this.cluster = cluster;
        this.thread = Executors.newSingleThreadScheduledExecutor(Threads.named("run-placement"));
    }

    /** Placement on this host, started: from now on signals, freed memory and the poll wake a pass. */
    static ClusterPlacement start(RunRepository repository, ActiveRuns active, Supervisors supervisors,
                                  RunOwner owner, Cluster cluster) {
        ClusterPlacement placement = new ClusterPlacement(repository, active, supervisors, owner, cluster);
        supervisors.takeWith(placement);
        active.countClusterWide();
        repository.onPlacement(placement::wake);
        active.onMemoryFreed(() -> placement.submit(placement::tellFreed));
        placement.thread.scheduleWithFixedDelay(placement::wake, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return placement;
    }

    /**
     * A new run waits unplaced; 400 invalid-value when no live member could ever hold its memory. The run is signalled
     * to every host's placement in the batch that stores it.
     */
    @Override
    public Run take(String userId, int memoryMbytes, Function<String, Run> store) {
        OptionalLong largest = cluster.largestCapacityMbytes();
        if (largest.isPresent() && memoryMbytes > largest.getAsLong()) {
            throw ApiException.invalidValue("memory " + memoryMbytes + " MB is more than any host of the cluster can"
                    + " give runs (the largest gives " + largest.getAsLong() + " MB)");
        }
        Run run = active.admitUnplaced(userId, memoryMbytes, () -> store.apply(null));
        supervisors.created(run);
        return run;
    }

    /** Asks for a pass soon (at most one waits). */
    void wake() {
        if (queued.compareAndSet(false, true)) {
            submit(this::pass);
        }
    }

    /** Runs {@code task} on the placement thread; once it is closed, not at all. */
    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("placement closed: {}", e.getMessage());
        }
    }

    /** Claims unplaced runs, oldest first, until the oldest this host could hold does not fit now. */
    private void pass() {
        queued.set(false);
        if (!cluster.claiming()) {
            return;
        }
        try {
            for (UnplacedRunKey key : repository.unplaced()) {
                Run run = repository.get(key.runId()).orElse(null);
                if (run == null || !UnplacedRunKey.isUnplaced(run)) {
                    continue;
                }
                int memory = run.options().memoryMbytes();
                if (!active.couldHold(memory)) {
                    continue;
                }
                if (!active.fitsNow(memory) || !claim(run.id(), memory)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("placement pass failed, the next one tries again: {}", e.getMessage(), e);
        }
    }

    /** Claims the run when it still waits; false when it does not fit (any more), true when it was placed or gone. */
    private boolean claim(String runId, int memory) {
        return repository.whileUnplaced(runId, stored -> active.place(memory, () -> {
            Run mine = stored.toBuilder().ownerHost(owner.hostId()).epoch(stored.epoch() + 1).build();
            repository.save(stored, mine);
            RunSupervisor supervisor = supervisors.create(mine);
            if (mine.status() == RunStatus.RUNNING) {
                supervisor.startMigrated(); // a new container on the same storages, RUNNING as it was
            }
            LOG.info("placement run={} status={} memory={} host={} epoch={}", runId, mine.status().wireName(), memory,
                    owner.hostId(), mine.epoch());
            return supervisor;
        })).orElse(true);
    }

    /**
     * An abort of a run that waits for a host: it has no container to stop, so it is stored ABORTED at once, under the
     * run's owner lock while it still waits; a run claimed meanwhile is its new host's to abort, so the abort answers
     * 503 and the client's retry reaches that host. Any other command waits for the run to have a host: 503 for a
     * RUNNING run (it is moving: a client retries), 400 run-state-conflict for a READY one (as on one host).
     */
    @Override
    public Run commandUnplaced(Run run, RunEvent event) {
        if (!(event instanceof RunEvent.AbortRequested)) {
            throw run.status() == RunStatus.RUNNING
                    ? new ApiException(ErrorType.SERVICE_UNAVAILABLE, "Run " + run.id() + " is moving to another host"
                            + " (its host left the cluster or was drained) and waits for one; try again once it runs")
                    : new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run " + run.id() + " waits for a host with"
                            + " room; until it has one it can only be aborted");
        }
        RunEvent abort = new RunEvent.AbortRequested(false);
        return repository.whileUnplaced(run.id(), stored -> {
            if (!(RunStateMachine.next(stored, abort) instanceof Transition.Move move)) {
                return stored;
            }
            Run aborted = RunMoves.next(stored, move, abort, supervisors.clock().instant(), Duration.ZERO, null).build();
            repository.save(stored, aborted);
            supervisors.changed(stored, aborted);
            LOG.info("run={} status={} aborted while it waited for a host", run.id(), aborted.status().wireName());
            return aborted;
        }).orElseGet(() -> {
            Run now = repository.get(run.id()).orElseThrow(() -> ApiException.notFound("Actor run", run.id()));
            if (now.status().isTerminal()) {
                return now;
            }
            // Claimed between the relay's read and this one: a client retries a 503, and the retry goes to the
            // run's supervisor (relayed, or this host's own), where a 400 would have failed a valid abort.
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "Run " + run.id() + " was placed on host "
                    + now.ownerHost() + " while the abort was on its way; try again");
        });
    }

    /** This host freed memory: every host's placement hears it (this one's too, through the store's signal). */
    private void tellFreed() {
        try {
            repository.signalFreed(owner.hostId());
        } catch (RuntimeException e) {
            LOG.debug("placement: signal freed memory failed, the poll makes up for it: {}", e.getMessage());
            wake();
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
