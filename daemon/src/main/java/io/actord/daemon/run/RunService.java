package io.actord.daemon.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.Ids;
import io.actord.daemon.Json;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.DefaultRunOptions;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.storage.RunStorages;
import io.actord.daemon.store.Batch;
import io.actord.daemon.store.CloseableIterator;
import io.actord.daemon.store.Codecs.Empty;
import io.actord.daemon.store.Entry;
import io.actord.daemon.store.Keys;
import io.actord.daemon.store.Paging;
import io.actord.daemon.store.Scan;
import io.actord.daemon.store.StateStore;
import io.actord.daemon.store.Table;
import io.actord.daemon.log.RunLog;
import io.actord.daemon.log.RunLogs;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ExitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The run commands and queries behind the API: start, abort, resurrect, get, list, wait. Active runs have
 * a {@link RunSupervisor}; finished ones live only in the store. Events for a run go through
 * {@link #active}'s {@code compute}, so a supervisor is never retired while an event is on its way to it.
 */
public final class RunService implements AutoCloseable {
    /** Apify caps waitForFinish at 60 s (apify-api.md rule 5). */
    public static final long MAX_WAIT_SECS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

    private final StateStore store;
    private final Table<String, Run> runs;
    private final Table<byte[], Empty> byActor;
    private final Table<byte[], Empty> byUser;
    private final Table<byte[], Empty> byStatus;
    private final Table<byte[], Empty> byFinish;
    private final RunContext ctx;
    private final RunAdmission admission;
    private final ToIntFunction<String> userMemoryLimit;
    private final RunWaiters waiters;
    private final Map<String, RunSupervisor> active = new ConcurrentHashMap<>();
    private final List<Consumer<Run>> statusListeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> sampler;
    /** Why new runs and resurrections are refused (the daemon is stopping), or null. */
    private volatile String refusal;

    /**
     * The run layer's tunables.
     *
     * @param grace          a graceful abort or a timeout waits this long before killing (Apify: 30 s)
     * @param exitDrain      after an exit, how long to wait for the rest of the output
     * @param sampleInterval how often the cgroup counters are sampled for the run's stats
     * @param syncWait       how long a synchronous run ({@code run-sync}) is waited for (Apify: 300 s)
     */
    public record Settings(Duration grace, Duration exitDrain, Duration sampleInterval, Duration syncWait) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(30), Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(300));
    }

    /** What happens to a run whose memory does not fit on the host now. */
    public enum WhenHostFull {
        /** It waits READY, first come first served, until it fits. */
        QUEUE,
        /** It is refused with 503 host-capacity-exceeded (clients retry 5xx). */
        REFUSE
    }

    /**
     * How much memory runs may have, and which network.
     *
     * @param hostMemoryMbytes the host's capacity: the memory of all runs holding a container together
     * @param userMemoryMbytes a user's limit: the memory of their active runs together (else 402)
     * @param network          the daemon's default network: what a run gets unless asked otherwise, and the
     *                         widest one a caller who is not the admin may ask for
     */
    public record Limits(long hostMemoryMbytes, WhenHostFull whenHostFull, ToIntFunction<String> userMemoryMbytes,
                         RunNetwork network) {
    }

    /** Wires the run layer; {@code pool} runs the supervisors' serial executors, {@code timers} their timers. */
    public static RunService create(StateStore store, ContainerRuntime runtime, ContainerSpecFactory specs,
                                    InRunApi inRun, ActorService actors, RunStorages storages, RunLogs logs, RunFiles files,
                                    ScheduledExecutorService timers, Executor pool, Clock clock, Settings settings,
                                    Limits limits) {
        return new RunService(store, new RunContext(runtime, specs, inRun, actors, storages, logs, files,
                new RunSamples(store), timers, pool, clock, settings.grace(), settings.exitDrain()),
                settings.sampleInterval(), limits);
    }

    private volatile RunListener listener = RunListener.NONE;

    private final Limits limits;

    private RunService(StateStore store, RunContext ctx, Duration sampleInterval, Limits limits) {
        this.store = store;
        this.runs = store.table(RunTables.RUNS);
        this.byActor = store.table(RunTables.RUNS_BY_ACTOR);
        this.byUser = store.table(RunTables.RUNS_BY_USER);
        this.byStatus = store.table(RunTables.RUNS_BY_STATUS);
        this.byFinish = store.table(RunTables.RUNS_BY_FINISH);
        this.admission = new RunAdmission(limits.hostMemoryMbytes(), limits.whenHostFull());
        this.userMemoryLimit = limits.userMemoryMbytes();
        this.limits = limits;
        this.ctx = ctx;
        this.waiters = new RunWaiters(ctx.timers());
        long every = sampleInterval.toMillis();
        this.sampler = ctx.timers().scheduleAtFixedRate(() -> active.values().forEach(RunSupervisor::sample),
                every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * What a start request asks for; empty values fall back to the actor's default run options.
     *
     * @param input       the request body, stored as the INPUT record when not empty
     * @param contentType the body's Content-Type, kept with the record
     */
    public record StartRequest(Optional<String> build, Optional<Long> memoryMbytes, Optional<Long> timeoutSecs,
                               byte[] input, Optional<String> contentType, String origin,
                               Optional<RunNetwork> network, boolean admin) {
    }

    /**
     * 403 insufficient-permissions when {@code network} reaches further than the daemon's default and the
     * caller is not the admin: others may narrow a run's network, never widen it.
     */
    public void checkNetwork(RunNetwork network, boolean admin) {
        if (!admin && network.widerThan(limits.network())) {
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "network " + network.wireName()
                    + " is more than this host gives runs by default (" + limits.network().wireName()
                    + "); only the admin may grant it");
        }
    }

    /**
     * Stores the new run (READY) of {@code actor} for user {@code userId}, with its default storages and
     * INPUT, then starts its container in the background as soon as the host has room for it.
     *
     * @throws ApiException 402 actor-memory-limit-exceeded past the user's memory limit; 503
     *                      host-capacity-exceeded when the host is full and the daemon refuses rather than queues
     */
    public Run start(Actor actor, String userId, StartRequest req) {
        return start(actor, userId, req, (batch, run) -> {
        });
    }

    /** As above; {@code alsoStore} adds what belongs with the new run (its webhooks) to the batch that stores it. */
    public Run start(Actor actor, String userId, StartRequest req, BiConsumer<Batch, Run> alsoStore) {
        checkAccepting();
        DefaultRunOptions defaults = actor.defaultRunOptions();
        String buildRef = req.build().orElse(defaults.build());
        Build build = ctx.actors().resolveBuild(actor, buildRef);
        RunSize size = RunSize.of(req.memoryMbytes().orElse((long) defaults.memoryMbytes()));
        int memory = size.memoryMbytes();
        int timeout = timeout(req.timeoutSecs().orElse((long) defaults.timeoutSecs()));
        req.network().ifPresent(n -> checkNetwork(n, req.admin()));
        RunNetwork network = req.network().orElse(defaults.network() == null ? limits.network() : defaults.network());
        Optional<KvRecord> input = input(req.input(), req.contentType());
        synchronized (admission) {
            checkUserLimit(userId, memory);
            admission.checkTakes(memory);
            Instant now = ctx.clock().instant();
            RunStorages.Defaults storages = RunStorages.Defaults.fresh();
            Run run = new Run.Builder().id(Ids.newId()).actId(actor.id()).userId(userId)
                    .build(build.id(), build.buildNumber()).status(RunStatus.READY, null).startedAt(now)
                    .options(RunOptions.of(buildRef, timeout, size, network))
                    .storages(storages.keyValueStoreId(), storages.datasetId(), storages.requestQueueId())
                    .containerUrlToken(ContainerUrls.newToken()).origin(req.origin()).inputBodyLen(req.input().length)
                    .timeoutAt(timeout > 0 ? now.plusSeconds(timeout) : null).build();
            store.write(b -> {
                runs.putInBatch(b, run.id(), run);
                byActor.putInBatch(b, RunTables.runByActorKey(run), Empty.INSTANCE);
                byUser.putInBatch(b, RunTables.runByUserKey(run), Empty.INSTANCE);
                byStatus.putInBatch(b, RunTables.runByStatusKey(run.status(), run), Empty.INSTANCE);
                ctx.storages().createInBatch(b, storages, run.userId(), actor.id(), run.id(), now, input);
                alsoStore.accept(b, run);
            });
            LOG.info("run={} status=READY actor={} user={} build={} memory={} timeout={} network={}", run.id(),
                    actor.fullName(), userId, build.buildNumber(), memory, timeout, network.wireName());
            statusListeners.forEach(l -> l.accept(run));
            RunLog log = ctx.logs().open(run.id());
            RunSupervisor supervisor = new RunSupervisor(this, ctx, run);
            active.put(run.id(), supervisor);
            enqueue(supervisor, log);
            return run;
        }
    }

    /** Starts the run's container when the host has room; meanwhile it waits READY, and its log says so. */
    private void enqueue(RunSupervisor supervisor, RunLog log) {
        Run run = supervisor.current();
        int ahead = admission.admit(run.id(), run.options().memoryMbytes(), supervisor::start);
        if (ahead > 0) {
            LOG.info("run={} waits for host memory={} position={}", run.id(), run.options().memoryMbytes(), ahead);
            log.system("Waiting for " + run.options().memoryMbytes() + " MB of the host's memory (" + ahead
                    + (ahead == 1 ? " run" : " runs") + " in the queue, this one included)");
        }
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

    /** Aborts now, or gracefully; a finished or aborting run is returned unchanged (Apify: "no effect"). */
    public CompletableFuture<Run> abort(String runId, boolean graceful) {
        return dispatch(runId, new RunEvent.AbortRequested(graceful));
    }

    /** Replaces a running run's container with a fresh one (Apify's reboot); 409 in any other status. */
    public CompletableFuture<Run> reboot(String runId) {
        return dispatch(runId, new RunEvent.RebootRequested());
    }

    /** What a metamorph asks for: the target's build (empty: its default run options' build) and new input. */
    public record MetamorphRequest(Optional<String> build, byte[] input, Optional<String> contentType) {
    }

    /**
     * Turns a running run into a run of {@code target} (Apify's metamorph): same id, storages, timeout and
     * container URL; the container is replaced by one of the target's build, with the request's input.
     * 409 when the run is not running; 404 for an unknown build; 400 for input that claims to be JSON and is not.
     */
    public CompletableFuture<Run> metamorph(String runId, Actor target, MetamorphRequest req) {
        Build build = ctx.actors().resolveBuild(target, req.build().orElse(target.defaultRunOptions().build()));
        Optional<KvRecord> input = input(req.input(), req.contentType());
        return dispatch(runId, new RunEvent.MetamorphRequested(new Metamorph(ctx.clock().instant(), target.id(),
                build.id(), null), build.buildNumber()), s -> s.metamorph(target, build, input));
    }

    /** The status message the run shows while it runs (Apify's run update); 409 once it has finished. */
    public CompletableFuture<Run> setStatusMessage(String runId, String message, boolean terminal) {
        return onSupervisor(runId, s -> s.setStatusMessage(message, terminal))
                .orElseThrow(() -> RunSupervisor.statusMessageIsFinal(get(runId)));
    }

    /** What a resurrect request may change; empty keeps the run's previous value (the build by number). */
    public record ResurrectRequest(Optional<String> build, Optional<Long> memoryMbytes, Optional<Long> timeoutSecs) {
    }

    /** Restarts a finished run on the same storages; 409 run-state-conflict when it has not finished. */
    public CompletableFuture<Run> resurrect(String runId, ResurrectRequest req) {
        checkAccepting();
        Run run = get(runId);
        Actor actor = ctx.actors().byId(run.actId()).orElseThrow(() -> ApiException.notFound("Actor", run.actId()));
        String buildRef = req.build().orElse(run.buildNumber());
        Build build = ctx.actors().resolveBuild(actor, buildRef);
        RunSize size = RunSize.of(req.memoryMbytes().orElse((long) run.options().memoryMbytes()));
        int memory = size.memoryMbytes();
        int timeout = timeout(req.timeoutSecs().orElse((long) run.options().timeoutSecs()));
        Resurrection resurrection = new Resurrection(build.id(), build.buildNumber(),
                RunOptions.of(buildRef, timeout, size, run.options().network()));
        AtomicReference<CompletableFuture<Run>> result = new AtomicReference<>();
        synchronized (admission) {
            if (run.status().isTerminal()) {
                checkUserLimit(run.userId(), memory);
                admission.holdNow(runId, memory);
            }
            try {
                active.compute(runId, (id, s) -> {
                    RunSupervisor supervisor = s != null ? s : new RunSupervisor(this, ctx, get(id));
                    result.set(supervisor.resurrect(resurrection));
                    return supervisor;
                });
            } catch (RuntimeException e) {
                if (!active.containsKey(runId)) {
                    admission.release(runId);
                }
                throw e;
            }
        }
        return result.get();
    }

    /** Every run's CPU and memory over time (for charts). */
    public RunSamples samples() {
        return ctx.samples();
    }

    /** The run with live resource figures when it is active; 404 record-not-found when there is none. */
    public Run get(String runId) {
        RunSupervisor s = active.get(runId);
        if (s != null) {
            return s.current();
        }
        return runs.get(runId).orElseThrow(() -> ApiException.notFound("Actor run", runId));
    }

    /** As {@link #get}, or empty when there is no such run. */
    public Optional<Run> find(String runId) {
        RunSupervisor s = active.get(runId);
        return s != null ? Optional.of(s.current()) : runs.get(runId);
    }

    /** The run once it has ended, or as it is after {@code seconds} (capped at {@value #MAX_WAIT_SECS}). */
    public CompletableFuture<Run> waitForFinish(String runId, long seconds) {
        return awaitEnd(runId, Duration.ofSeconds(Math.max(0, Math.min(MAX_WAIT_SECS, seconds))));
    }

    /** The run once it has ended, or as it is after {@code max}. */
    public CompletableFuture<Run> awaitEnd(String runId, Duration max) {
        return waiters.await(runId, max, () -> get(runId));
    }

    /** How many {@code waitForFinish} requests wait for the run's end now (none of them holds a thread). */
    public int waitingForEnd(String runId) {
        return waiters.waiting(runId);
    }

    /** Which runs a list or {@code last} is about: one user's (of one actor, or all), or all of one actor's. */
    public record Selection(Optional<String> actorId, Optional<String> userId, Set<RunStatus> statuses,
                            Optional<Instant> startedAfter, Optional<Instant> startedBefore) {
        public Selection {
            if (actorId.isEmpty() && userId.isEmpty()) {
                throw new IllegalArgumentException("a run selection needs an actor or a user");
            }
        }

        boolean includes(Run r) {
            return userId.map(r.userId()::equals).orElse(true) && (statuses.isEmpty() || statuses.contains(r.status()))
                    && startedAfter.map(r.startedAt()::isAfter).orElse(true)
                    && startedBefore.map(r.startedAt()::isBefore).orElse(true);
        }
    }

    /** A page of the selected runs, by start time. */
    public Paging.Page<Run> list(Selection selection, long offset, long limit, boolean desc) {
        byte[] prefix = Keys.prefix(selection.actorId().orElseGet(() -> selection.userId().orElseThrow()));
        Table<byte[], Empty> index = selection.actorId().isPresent() ? byActor : byUser;
        return Paging.page(index, prefix, desc, offset, limit, e -> runAt(e.key(), prefix).filter(selection::includes));
    }

    /** The most recent of the selected runs (of an actor). */
    public Optional<Run> last(Selection selection) {
        byte[] prefix = Keys.prefix(selection.actorId().orElseThrow());
        try (CloseableIterator<Entry<byte[], Empty>> it = byActor.scan(Scan.prefix(prefix).reversed(true))) {
            while (it.hasNext()) {
                Optional<Run> run = runAt(it.next().key(), prefix);
                if (run.isPresent() && selection.includes(run.get())) {
                    return run;
                }
            }
        }
        return Optional.empty();
    }

    public boolean hasActiveRuns(String actorId) {
        return active.values().stream().anyMatch(s -> s.current().actId().equals(actorId)
                && !s.current().status().isTerminal());
    }

    /** The memory of the user's READY, RUNNING, TIMING-OUT and ABORTING runs, together. */
    public long usedMemoryMbytes(String userId) {
        return active.values().stream().map(RunSupervisor::current)
                .filter(r -> r.userId().equals(userId) && !r.status().isTerminal())
                .mapToLong(r -> r.options().memoryMbytes()).sum();
    }

    /** Whether user {@code userId} has runs that have not finished. */
    public boolean userHasActiveRuns(String userId) {
        return active.values().stream().anyMatch(s -> s.current().userId().equals(userId)
                && !s.current().status().isTerminal());
    }

    /** The host's memory for runs: capacity, what runs hold now, how many runs wait. */
    public record HostMemory(long capacityMbytes, long heldMbytes, int waitingRuns) {
    }

    public HostMemory hostMemory() {
        synchronized (admission) {
            return new HostMemory(admission.capacityMbytes(), admission.heldMbytes(), admission.waitingCount());
        }
    }

    /** Whether a run that has not finished uses the build (its layers are mounted). */
    public boolean isBuildInUse(String buildId) {
        return active.values().stream().anyMatch(s -> s.current().buildId().equals(buildId)
                && !s.current().status().isTerminal());
    }

    /**
     * Calls {@code listener} with the run after each stored status change, on the run's own thread (keep it
     * short). For webhooks and measurements; the API does not need it.
     */
    public void onStatusChange(Consumer<Run> listener) {
        statusListeners.add(listener);
    }

    /** From now on, starts and resurrections fail with 503 service-unavailable and {@code reason}. */
    public void refuseNewRuns(String reason) {
        refusal = reason;
    }

    private void checkAccepting() {
        String reason = refusal;
        if (reason != null) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, reason);
        }
    }

    /** How many runs have a supervisor now (for status output and tests). */
    public int activeCount() {
        return active.size();
    }

    /** The runs that have a supervisor now, as they are at this moment. */
    public List<Run> activeRuns() {
        return active.values().stream().map(RunSupervisor::current).toList();
    }

    private Optional<Run> runAt(byte[] indexKey, byte[] prefix) {
        String id = RunTables.runIdOf(indexKey, prefix);
        RunSupervisor s = active.get(id);
        return s != null ? Optional.of(s.current()) : runs.get(id);
    }

    /** Adds what is told about containers starting and stopping and about graceful aborts; set before {@link #recover}. */
    public void listen(RunListener l) {
        this.listener = l;
    }

    RunListener listener() {
        return listener;
    }

    /** Re-attaches or finishes every run the previous daemon left active; see {@link RunRecovery}. */
    public RunRecovery.Report recover() {
        return new RunRecovery(this, ctx, byStatus).recover();
    }

    /** Gives a run found active at start-up its supervisor (recovery). */
    RunSupervisor adopt(Run run) {
        ctx.logs().open(run.id());
        RunSupervisor s = new RunSupervisor(this, ctx, run);
        active.put(run.id(), s);
        return s;
    }

    /** Recovery: the run's container still runs, so it holds its memory. */
    void holdRecovered(Run run) {
        admission.holdRecovered(run.id(), run.options().memoryMbytes());
    }

    /** Recovery: the run never got a container; it waits for the host's memory again. */
    void requeue(RunSupervisor supervisor) {
        synchronized (admission) {
            enqueue(supervisor, ctx.logs().open(supervisor.runId()));
        }
    }

    Optional<Run> stored(String runId) {
        return runs.get(runId);
    }

    // Callbacks from supervisors.

    /**
     * Stores a new version of a run; a status change moves its status-index entry, a metamorph its actor-index
     * entry, and its finished-index entry follows finishedAt, in the same synced batch (a delete and a put of
     * one key leave it put).
     */
    void save(Run previous, Run next) {
        store.write(b -> {
            runs.putInBatch(b, next.id(), next);
            if (!previous.actId().equals(next.actId())) {
                byActor.deleteInBatch(b, RunTables.runByActorKey(previous));
                byActor.putInBatch(b, RunTables.runByActorKey(next), Empty.INSTANCE);
            }
            if (previous.status() != next.status()) {
                byStatus.deleteInBatch(b, RunTables.runByStatusKey(previous.status(), previous));
                byStatus.putInBatch(b, RunTables.runByStatusKey(next.status(), next), Empty.INSTANCE);
            }
            finishKey(previous).ifPresent(k -> byFinish.deleteInBatch(b, k));
            finishKey(next).ifPresent(k -> byFinish.putInBatch(b, k, Empty.INSTANCE));
        });
    }

    /** The run's entry in the finished-runs index, when it has finished. */
    private static Optional<byte[]> finishKey(Run run) {
        return run.status().isTerminal() && run.finishedAt() != null ? Optional.of(RunTables.runByFinishKey(run))
                : Optional.empty();
    }

    /**
     * Retention: deletes a run that finished before {@code cutoff} and has no supervisor (none can get one
     * meanwhile: a resurrection waits), in one synced write that {@code commit} makes after adding what
     * else goes with the run (its storages) to the run's own records. Empty when the run was not deleted.
     */
    Optional<Run> deleteFinished(String runId, Instant cutoff, BiConsumer<Run, Consumer<Batch>> commit) {
        AtomicReference<Run> deleted = new AtomicReference<>();
        active.compute(runId, (id, s) -> {
            if (s != null) {
                return s;
            }
            runs.get(id).filter(r -> r.status().isTerminal() && r.finishedAt() != null
                    && r.finishedAt().isBefore(cutoff)).ifPresent(r -> {
                        commit.accept(r, b -> {
                            runs.deleteInBatch(b, r.id());
                            byActor.deleteInBatch(b, RunTables.runByActorKey(r));
                            byUser.deleteInBatch(b, RunTables.runByUserKey(r));
                            byStatus.deleteInBatch(b, RunTables.runByStatusKey(r.status(), r));
                            byFinish.deleteInBatch(b, RunTables.runByFinishKey(r));
                            ctx.samples().deleteInBatch(b, r.id());
                        });
                        deleted.set(r);
                    });
            return null;
        });
        return Optional.ofNullable(deleted.get());
    }

    /**
     * Completes with the run once it has finished and no supervisor holds it any more, which is when it can
     * be deleted. A run that has just ended keeps its supervisor until its container is released; that is
     * waited for (at most {@code max}) without holding a thread. Fails with 409 run-state-conflict when the
     * run has not finished or still holds its container after {@code max}, 404 when there is no such run.
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

    /** Why a run that has not finished (or got a supervisor again) cannot be deleted: 409 run-state-conflict. */
    public static ApiException notDeletable(Run run) {
        return new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run " + run.id() + " is " + run.status().wireName()
                + "; only a finished run can be deleted");
    }

    /** A supervisor's run has a new current version (already stored): tell the listeners of a status change. */
    void changed(Run previous, Run next) {
        if (previous.status() != next.status()) {
            statusListeners.forEach(l -> l.accept(next));
        }
    }

    void ended(Run run) {
        waiters.ended(run);
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
        }
    }

    void dispatchExit(String runId, int generation, ExitStatus exit, Throwable error) {
        RunSupervisor s = active.get(runId);
        if (s != null) {
            s.exited(generation, exit, error);
        }
    }

    void dispatchTimer(String runId, int epoch, RunEvent event) {
        RunSupervisor s = active.get(runId);
        if (s != null) {
            s.timer(epoch, event);
        }
    }

    /** Sends an API event to the run's supervisor, or answers from the store when the run has none (finished). */
    private CompletableFuture<Run> dispatch(String runId, RunEvent event) {
        return dispatch(runId, event, s -> s.submit(event));
    }

    /** As {@link #dispatch(String, RunEvent)}, with {@code call} handing the event to the supervisor. */
    private CompletableFuture<Run> dispatch(String runId, RunEvent event,
                                            Function<RunSupervisor, CompletableFuture<Run>> call) {
        Optional<CompletableFuture<Run>> submitted = onSupervisor(runId, call);
        if (submitted.isPresent()) {
            return submitted.get();
        }
        Run run = get(runId);
        Transition t = RunStateMachine.next(run.status(), event);
        if (t instanceof Transition.Reject reject) {
            throw new ApiException(ErrorType.RUN_STATE_CONFLICT, reject.reason());
        }
        if (t instanceof Transition.Move) {
            LOG.warn("run={} status={} has no supervisor; event={} not applied", runId, run.status(), event.kind());
        }
        return CompletableFuture.completedFuture(run);
    }

    /** Hands {@code call} to the run's supervisor while it has one (under the map's lock, so it cannot retire meanwhile). */
    private Optional<CompletableFuture<Run>> onSupervisor(String runId,
                                                          Function<RunSupervisor, CompletableFuture<Run>> call) {
        AtomicReference<CompletableFuture<Run>> result = new AtomicReference<>();
        active.computeIfPresent(runId, (id, s) -> {
            result.set(call.apply(s));
            return s;
        });
        return Optional.ofNullable(result.get());
    }

    /**
     * Seconds, 0 = none. apify@3.7.2's {@code timeout: 'inherit'} sends milliseconds (apify-api.md §7), so
     * huge values are tolerated and capped rather than refused.
     */
    private static int timeout(long secs) {
        if (secs < 0) {
            throw ApiException.invalidValue("timeout must be 0 (no timeout) or a number of seconds, got " + secs);
        }
        return (int) Math.min(secs, Integer.MAX_VALUE);
    }

    /** The INPUT record of a start request: none for an empty body; JSON must parse when it claims to be JSON. */
    private static Optional<KvRecord> input(byte[] body, Optional<String> contentType) {
        if (body.length == 0) {
            return Optional.empty();
        }
        String type = contentType.orElse("application/json");
        if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            try {
                Json.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new ApiException(ErrorType.RUN_INPUT_BODY_NOT_VALID_JSON, "the input is not valid JSON: "
                        + e.getOriginalMessage());
            } catch (IOException e) {
                throw new IllegalStateException("parse run input", e);
            }
        }
        return Optional.of(new KvRecord(type, body));
    }

    /**
     * Daemon shutdown: answer waiters, end log streams, stop timers and watching. Containers keep running;
     * the next daemon re-attaches to them.
     */
    @Override
    public void close() {
        sampler.cancel(false);
        active.values().forEach(RunSupervisor::detach);
        waiters.releaseAll(id -> {
            RunSupervisor s = active.get(id);
            return s != null ? s.current() : runs.get(id).orElse(null);
        });
        ctx.logs().closeAll();
    }
}
