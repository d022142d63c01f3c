package io.actord.daemon.run;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.Batch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The registry of active runs: the {@link RunSupervisor} of each run that has not finished, or has finished
 * but not yet released its container, and the host memory they hold ({@link RunAdmission}). A supervisor
 * joins when its run is started, resurrected or recovered, and leaves when it is idle. Every call that hands
 * a supervisor work, and its retirement, goes through the map's {@code compute}, so a supervisor is never
 * retired while work is on its way to it; retirement gives its memory to the runs that wait, under the
 * admission lock. Builds take the same host memory and count in their user's limit ({@link #admitJob}).
 */
public final class ActiveRuns {
    private final Map<String, RunSupervisor> active = new ConcurrentHashMap<>();
    private final RunRepository repository;
    private final RunAdmission admission;
    private final ToIntFunction<String> userMemoryLimit;
    /** Jobs that are not runs (builds) and hold or wait for memory, by id: who and how much. */
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Told, outside the admission lock, each time a run or job gives its memory back (cluster placement, #26). */
    private volatile Runnable memoryFreed = () -> { };
    private volatile boolean clusterWide;

    private record Job(String userId, int memoryMbytes) {
    }

    public ActiveRuns(RunRepository repository, RunLimits limits) {
        this.repository = repository;
        this.admission = new RunAdmission(limits.hostMemoryMbytes(), limits.whenHostFull());
        this.userMemoryLimit = limits.userMemoryMbytes();
    }

    /** The run as it is now: live, with its latest resource figures, when active; else as stored. */
    public Optional<Run> find(String runId) {
        RunSupervisor s = active.get(runId);
        return s != null ? Optional.of(s.current()) : repository.get(runId);
    }

    /** As {@link #find}; 404 record-not-found when there is no such run. */
    public Run get(String runId) {
        return find(runId).orElseThrow(() -> ApiException.notFound("Actor run", runId));
    }

    /** The runs that have a supervisor now, as they are at this moment. */
    List<Run> runs() {
        return active.values().stream().map(RunSupervisor::current).toList();
    }

    int count() {
        return active.size();
    }

    /** Whether a run that has not finished matches {@code test}. */
    boolean anyUnfinished(Predicate<Run> test) {
        return active.values().stream().map(RunSupervisor::current)
                .anyMatch(r -> !r.status().isTerminal() && test.test(r));
    }

    /**
     * The memory of the user's READY, RUNNING, TIMING-OUT and ABORTING runs and this host's unfinished builds,
     * together; in a cluster, the runs of every host ({@link #countClusterWide}).
     */
    long usedMemoryMbytes(String userId) {
        long runs = clusterWide ? repository.activeMemoryMbytes(userId) : active.values().stream()
                .map(RunSupervisor::current).filter(r -> r.userId().equals(userId) && !r.status().isTerminal())
                .mapToLong(r -> r.options().memoryMbytes()).sum();
        return runs + jobs.values().stream().filter(j -> j.userId().equals(userId)).mapToLong(Job::memoryMbytes).sum();
    }

    /**
     * Cluster mode (#26): a user's memory limit counts their active runs on every host, as the shared state has them,
     * not only those this host supervises (a gateway supervises none).
     */
    void countClusterWide() {
        clusterWide = true;
    }

    /**
     * Takes a job that is not a run (a build) in as a run is taken: 402 past its user's memory limit (runs and
     * jobs together), 503 or 400 as {@link #admit}; then {@code create} stores the job and returns how it starts,
     * which runs under the admission lock (keep it short: hand the work to a pool) once the host has room for it,
     * first come first served with the runs. Returns how many wait before it (0: started). The job holds its
     * memory until {@link #releaseJob}.
     */
    public int admitJob(String jobId, String userId, int memoryMbytes, Supplier<Runnable> create) {
        synchronized (admission) {
            checkUserLimit(userId, memoryMbytes);
            admission.checkTakes(memoryMbytes);
            Runnable start = create.get();
            jobs.put(jobId, new Job(userId, memoryMbytes));
            return admission.admit(jobId, memoryMbytes, start);
        }
    }

    /** The job has ended (or no longer waits): its memory goes to the runs and jobs that wait. */
    public void releaseJob(String jobId) {
        boolean released;
        synchronized (admission) {
            released = jobs.remove(jobId) != null;
            if (released) {
                admission.release(jobId);
            }
        }
        if (released) {
            memoryFreed.run();
        }
    }

    /** Calls {@code listener} each time memory is given back (never under the admission lock). */
    void onMemoryFreed(Runnable listener) {
        memoryFreed = listener;
    }

    /**
     * A new run that waits for placement in a cluster: under the user's lock, which every host of the cluster takes
     * for it (so two hosts starting the user's runs at once cannot both pass), checks the user's limit (402) against
     * their active runs on every host, then {@code store} stores it; no host memory is taken here.
     */
    Run admitUnplaced(String userId, int memoryMbytes, Supplier<Run> store) {
        return repository.underUserLock(userId, () -> {
            checkUserLimit(userId, memoryMbytes);
            return store.get();
        });
    }

    /** Whether a run of {@code memoryMbytes} would start now: it fits in the free memory and nothing waits. */
    boolean fitsNow(int memoryMbytes) {
        return admission.fitsNow(memoryMbytes);
    }

    /** Whether this host could ever hold a run of {@code memoryMbytes} (its capacity for runs). */
    boolean couldHold(int memoryMbytes) {
        return memoryMbytes <= admission.capacityMbytes();
    }

    /**
     * Placement in a cluster (#26): when a run of {@code memoryMbytes} fits now, {@code claim} stores it as this host's
     * and makes its supervisor (null: it no longer waits), which takes the memory from now on and starts; false when it
     * does not fit now (nothing is claimed). Call under the run's owner lock, which is always taken before this one.
     */
    boolean place(int memoryMbytes, Supplier<RunSupervisor> claim) {
        synchronized (admission) {
            if (!admission.fitsNow(memoryMbytes)) {
                return false;
            }
            RunSupervisor supervisor = claim.get();
            if (supervisor != null) {
                active.put(supervisor.runId(), supervisor);
                enqueue(supervisor);
            }
            return true;
        }
    }

    HostMemory hostMemory() {
        synchronized (admission) {
            return new HostMemory(admission.capacityMbytes(), admission.heldMbytes(),
                    admission.waitingCount());
        }
    }

    void forEach(Consumer<RunSupervisor> action) {
        active.values().forEach(action);
    }

    /**
     * Takes a new run in: under the admission lock (so two starts cannot both take the last free memory),
     * checks the user's limit and that the host can take it, then {@code create} stores the run and makes its
     * supervisor, which starts its container once the host has room.
     *
     * @throws ApiException 402 actor-memory-limit-exceeded past the user's memory limit; 503
     *                      host-capacity-exceeded when the host is full and the daemon refuses rather than queues
     */
    RunSupervisor admit(String userId, int memoryMbytes, Supplier<RunSupervisor> create) {
        synchronized (admission) {
            checkUserLimit(userId, memoryMbytes);
            admission.checkTakes(memoryMbytes);
            RunSupervisor supervisor = create.get();
            active.put(supervisor.runId(), supervisor);
            enqueue(supervisor);
            return supervisor;
        }
    }

    /** Recovery: a run found active at start-up has its supervisor. */
    void adopt(RunSupervisor supervisor) {
        active.put(supervisor.runId(), supervisor);
    }

    /** Recovery: the run's container still runs, so it holds its memory. */
    void holdRecovered(Run run) {
        admission.holdRecovered(run.id(), run.options().memoryMbytes());
    }

    /** Recovery: the run never got a container; it waits for the host's memory again. */
    void requeue(RunSupervisor supervisor) {
        synchronized (admission) {
            enqueue(supervisor);
        }
    }

    /** Starts the run's container when the host has room; meanwhile it waits READY, and says so. */
    private void enqueue(RunSupervisor supervisor) {
        Run run = supervisor.current();
        int ahead = admission.admit(run.id(), run.options().memoryMbytes(), supervisor::start);
        if (ahead > 0) {
            supervisor.queued(ahead);
        }
    }

    /**
     * Hands a resurrection of {@code run} to its supervisor, made by {@code make} when it has none; a finished
     * run first takes {@code memoryMbytes} of the host's memory (402 past the user's limit, 503 when the host
     * has no room now).
     */
    CompletableFuture<Run> resurrect(Run run, int memoryMbytes, Function<Run, RunSupervisor> make,
                                     Function<RunSupervisor, CompletableFuture<Run>> call) {
        AtomicReference<CompletableFuture<Run>> result = new AtomicReference<>();
        synchronized (admission) {
            if (run.status().isTerminal()) {
                checkUserLimit(run.userId(), memoryMbytes);
                admission.holdNow(run.id(), memoryMbytes);
            }
            try {
                active.compute(run.id(), (id, s) -> {
                    RunSupervisor supervisor = s != null ? s : make.apply(repository.get(id)
                            .orElseThrow(() -> ApiException.notFound("Actor run", id)));
                    result.set(call.apply(supervisor));
                    return supervisor;
                });
            } catch (RuntimeException e) {
                if (!active.containsKey(run.id())) {
                    admission.release(run.id());
                }
                throw e;
            }
        }
        return result.get();
    }

    /** 402 actor-memory-limit-exceeded, in Apify's words, when the user's active runs and this one exceed their limit. */
    private void checkUserLimit(String userId, int requested) {
        long used = usedMemoryMbytes(userId);
        int limit = userMemoryLimit.applyAsInt(userId);
        if (used + requested > limit) {
            throw new ApiException(ErrorType.ACTOR_MEMORY_LIMIT_EXCEEDED, "By launching this job you will exceed the"
                    + " memory limit of " + limit + "MB for all your Actor runs and builds (currently used: " + used
                    + "MB, requested: " + requested + "MB).");
        }
    }

    /** Hands {@code call} to the run's supervisor while it has one (under the map's lock, so it cannot retire meanwhile). */
    <T> Optional<T> onSupervisor(String runId, Function<RunSupervisor, T> call) {
        AtomicReference<T> result = new AtomicReference<>();
        active.computeIfPresent(runId, (id, s) -> {
            result.set(call.apply(s));
            return s;
        });
        return Optional.ofNullable(result.get());
    }

    /**
     * Gives every active run up at once (#26: the host left the cluster): each one's container is killed first, without
     * waiting for the admission lock (a start may hold it while it waits for the database), and nothing more is stored
     * of it ({@link RunSupervisor#evict}); then each leaves the registry and its memory is released (no run evicted
     * here can be started by that release). Returns the runs as they were.
     */
    List<Run> evictAll() {
        return evict(s -> true);
    }

    /** Gives the run up as {@link #evictAll} does (a drain, #26); empty when it has no supervisor here. */
    Optional<Run> evict(String runId) {
        return evict(s -> s.runId().equals(runId)).stream().findFirst();
    }

    private List<Run> evict(Predicate<RunSupervisor> which) {
        List<RunSupervisor> gone = active.values().stream().filter(which).toList();
        gone.forEach(RunSupervisor::evict);
        synchronized (admission) {
            gone.forEach(s -> active.remove(s.runId(), s));
            gone.forEach(s -> admission.release(s.runId()));
        }
        return gone.stream().map(RunSupervisor::current).toList();
    }

    /** Retires a supervisor with nothing left to do; the memory its run held goes to the runs that wait. */
    void retireIfIdle(RunSupervisor s) {
        if (!s.idle()) {
            return;
        }
        boolean[] retired = {false};
        synchronized (admission) {
            active.compute(s.runId(), (id, current) -> {
                if (current == s && s.idle()) {
                    retired[0] = true;
                    return null;
                }
                return current;
            });
            if (retired[0]) {
                admission.release(s.runId());
            }
        }
        if (retired[0]) {
            s.retired();
            memoryFreed.run();
        }
    }

    /**
     * Completes with the run once it has finished and no supervisor holds it any more, which is when it can
     * be deleted. A run that has just ended keeps its supervisor until its container is released; that is
     * waited for (at most {@code max}) without holding a thread. Fails with 400 cannot-remove-running-run when
     * the run has not finished (run-state-conflict when it still holds its container after {@code max}), 404
     * when there is no such run.
     */
    public CompletableFuture<Run> whenReleased(String runId, Duration max) {
        RunSupervisor s = active.get(runId);
        if (s == null) {
            Run run = get(runId);
            return run.status().isTerminal() ? CompletableFuture.completedFuture(run)
                    : CompletableFuture.failedFuture(notDeletable(run));
        }
        Run run = s.current();
        if (!run.status().isTerminal()) {
            return CompletableFuture.failedFuture(notDeletable(run));
        }
        return s.whenRetired().orTimeout(max.toMillis(), TimeUnit.MILLISECONDS).handle((done, error) -> {
            if (error != null) {
                throw new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run " + runId + " is " + run.status().wireName()
                        + " but still releases its container; try again later");
            }
            return whenReleased(runId, max);
        }).thenCompose(next -> next);
    }

    /** Why a run that has not finished (or got a supervisor again) cannot be deleted: 400 cannot-remove-running-run. */
    public static ApiException notDeletable(Run run) {
        return new ApiException(ErrorType.CANNOT_REMOVE_RUNNING_RUN, "Run " + run.id() + " is " + run.status().wireName()
                + "; only a finished run can be deleted");
    }

    /**
     * Deletes a run that finished before {@code cutoff}, is one of {@code which} and has no supervisor (none can get
     * one meanwhile: a resurrection waits), in one synced write that {@code commit} makes after adding what else
     * goes with the run (its storages) to the run's own records. Empty when the run was not deleted.
     */
    public Optional<Run> deleteFinished(String runId, Instant cutoff, Predicate<Run> which,
                                        BiConsumer<Run, Consumer<Batch>> commit) {
        AtomicReference<Run> deleted = new AtomicReference<>();
        active.compute(runId, (id, s) -> {
            if (s != null) {
                return s;
            }
            repository.get(id).filter(r -> r.status().isTerminal() && r.finishedAt() != null
                    && r.finishedAt().isBefore(cutoff) && which.test(r)).ifPresent(r -> {
                        commit.accept(r, b -> repository.deleteInBatch(b, r));
                        deleted.set(r);
                    });
            return null;
        });
        return Optional.ofNullable(deleted.get());
    }
}
