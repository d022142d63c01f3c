package io.actord.daemon.run;

import io.actord.daemon.common.EndWaiters;
import io.actord.daemon.common.Ids;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.DefaultRunOptions;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.storage.RunStorages;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.Paging;
import io.actord.runtime.ContainerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The run commands and queries behind the API: start, abort, reboot, metamorph, resurrect, status messages,
 * get, list, wait. A command is checked here, then handed to the run's {@link RunSupervisor} through
 * {@link ActiveRuns}; a run that has none (it has finished) is answered from the {@link RunRepository}.
 */
public final class RunService implements AutoCloseable {
    /** Apify caps waitForFinish at 60 s (apify-api.md rule 5). */
    public static final long MAX_WAIT_SECS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

    private final RunRepository repository;
    private final ActiveRuns active;
    private final Supervisors supervisors;
    private final RunRecovery recovery;
    private final ActorService actors;
    private final RunStorages storages;
    private final RunLogs logs;
    private final EndWaiters<Run> waiters;
    private final Clock clock;
    private final RunNetwork network;
    private final RunOwner owner;
    private final ScheduledFuture<?> sampler;
    private final List<RunStartListener> startListeners = new CopyOnWriteArrayList<>();
    /** The build's input schema at work on a start's or metamorph's input (set once at wiring). */
    private volatile RunInputFilter inputFilter = RunInputFilter.NONE;
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

        /** These settings with the abort and timeout grace {@code grace}. */
        public Settings withGrace(Duration grace) {
            return new Settings(grace, exitDrain, sampleInterval, syncWait);
        }
    }

    /**
     * Wires the run layer over the stored runs and the registry of active ones; {@code inRun} issues each
     * container's token, {@code pool} runs the supervisors' serial executors, {@code timers} their timers;
     * {@code steps} is told each step of a run's path ({@link RunSteps#NONE} but in the crash-window test);
     * the runs this daemon starts or resurrects are {@code owner}'s, and recovery settles only those.
     */
    public static RunService create(RunRepository repository, ActiveRuns active, ContainerRuntime runtime,
                                    ContainerSpecFactory specs, InRunApi inRun, ActorService actors,
                                    RunStorages storages, RunLogs logs, RunFiles files,
                                    ScheduledExecutorService timers, Executor pool, Clock clock, Settings settings,
                                    RunLimits limits, RunSteps steps, RunOwner owner) {
        // a run's end on another daemon of the database wakes these through the repository's signal
        EndWaiters<Run> waiters = new EndWaiters<>(timers, pool, active::get, r -> r.status().isTerminal());
        repository.onRunEnd(waiters::heard, waiters::missed);
        Supervisors supervisors = new Supervisors(repository, active, waiters,
                new RunContainers(runtime, specs, inRun, actors, storages, files, steps), logs,
                new RunSupervisor.Timing(pool, timers, clock, settings.grace(), settings.exitDrain()), steps);
        return new RunService(repository, active, supervisors,
                new RunRecovery(active, repository, supervisors, runtime, specs, owner), actors, storages, logs,
                waiters, timers, clock, settings.sampleInterval(), limits.network(), owner);
    }

    private RunService(RunRepository repository, ActiveRuns active, Supervisors supervisors, RunRecovery recovery,
                       ActorService actors, RunStorages storages, RunLogs logs, EndWaiters<Run> waiters,
                       ScheduledExecutorService timers, Clock clock, Duration sampleInterval, RunNetwork network,
                       RunOwner owner) {
        this.repository = repository;
        this.active = active;
        this.supervisors = supervisors;
        this.recovery = recovery;
        this.actors = actors;
        this.storages = storages;
        this.logs = logs;
        this.waiters = waiters;
        this.clock = clock;
        this.network = network;
        this.owner = owner;
        long every = sampleInterval.toMillis();
        this.sampler = timers.scheduleAtFixedRate(() -> active.forEach(RunSupervisor::sample), every, every,
                TimeUnit.MILLISECONDS);
    }

    /** 403 insufficient-permissions when a caller who is not the admin asks for a wider network than the default. */
    public void checkNetwork(RunNetwork requested, boolean admin) {
        if (!admin && requested.widerThan(network)) {
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "network " + requested.wireName()
                    + " is more than this host gives runs by default (" + network.wireName()
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
        List<BiConsumer<Batch, Run>> alsoStore = startListeners.stream().map(l -> l.starting(req)).toList();
        checkAccepting();
        DefaultRunOptions defaults = actor.defaultRunOptions();
        String buildRef = req.build().orElse(defaults.build());
        Build build = actors.resolveBuild(actor, buildRef);
        RunSize size = RunSize.of(req.memoryMbytes().orElse((long) defaults.memoryMbytes()));
        int timeout = RunInputs.timeout(req.timeoutSecs().orElse((long) defaults.timeoutSecs()));
        req.network().ifPresent(n -> checkNetwork(n, req.admin()));
        RunNetwork runNetwork = req.network().orElse(defaults.network() == null ? network : defaults.network());
        Optional<KvRecord> input = inputFilter.apply(build, RunInputs.input(req.input(), req.contentType()));
        StartLimits limits = new StartLimits(req.limits().maxItems(), req.limits().maxTotalChargeUsd(),
                Optional.of(req.limits().restartOnError().orElse(defaults.restartOnError())));
        return supervisors.take(owner, userId, size.memoryMbytes(), ownerHost -> {
            Instant now = clock.instant();
            RunStorages.Defaults runStorages = RunStorages.Defaults.fresh();
            Run run = new Run.Builder().id(Ids.newId()).actId(actor.id()).userId(userId)
                    .build(build.id(), build.buildNumber()).status(RunStatus.READY, null).startedAt(now)
                    .options(RunOptions.of(buildRef, timeout, size, runNetwork).with(limits))
                    .storages(runStorages.keyValueStoreId(), runStorages.datasetId(), runStorages.requestQueueId())
                    .containerUrlToken(ContainerUrls.newToken()).origin(req.origin())
                    .startedFrom(req.actorTaskId().orElse(null), req.scheduleId().orElse(null)).inputBodyLen(req.input().length)
                    .timeoutAt(timeout > 0 ? now.plusSeconds(timeout) : null).ownerHost(ownerHost).build();
            repository.insert(run, b -> {
                storages.createInBatch(b, runStorages, run.userId(), actor.id(), run.id(), now, input);
                alsoStore.forEach(a -> a.accept(b, run));
            });
            LOG.info("run={} status=READY actor={} user={} build={} memory={} timeout={} network={}", run.id(),
                    actor.fullName(), userId, build.buildNumber(), size.memoryMbytes(), timeout,
                    runNetwork.wireName());
            return run;
        });
    }

    /** Aborts now, or gracefully; a finished or aborting run is returned unchanged (Apify: "no effect"). */
    public CompletableFuture<Run> abort(String runId, boolean graceful) {
        return dispatch(runId, new RunEvent.AbortRequested(graceful));
    }

    /**
     * Stops a running run on the daemon's own account, as a graceful abort does (the aborting event or
     * SIGTERM, a kill after the grace), but it ends SUCCEEDED: an idle Actor Standby run. In any other status it is a graceful abort.
     */
    public CompletableFuture<Run> stop(String runId) {
        return dispatch(runId, new RunEvent.AbortRequested(true, true));
    }

    /** Replaces a running run's container with a fresh one (Apify's reboot); 400 run-state-conflict in any other status. */
    public CompletableFuture<Run> reboot(String runId) {
        return dispatch(runId, new RunEvent.RebootRequested());
    }

    /**
     * Turns a running run into a run of {@code target} (Apify's metamorph): same id, storages, timeout and
     * container URL; the container is replaced by one of the target's build, with the request's input.
     * 400 run-state-conflict when the run is not running; 403 unknown-build-tag for an unknown build; 400 for input that claims to be JSON and is not.
     */
    public CompletableFuture<Run> metamorph(String runId, Actor target, MetamorphRequest req) {
        Build build = actors.resolveBuild(target, req.build().orElse(target.defaultRunOptions().build()));
        Optional<KvRecord> input = inputFilter.apply(build, RunInputs.input(req.input(), req.contentType()));
        return dispatch(runId, new RunEvent.MetamorphRequested(new Metamorph(clock.instant(), target.id(),
                build.id(), null), build.buildNumber()), s -> s.metamorph(target, build, input));
    }

    /** The status message the run shows while it runs (Apify's run update); 400 run-state-conflict once it has finished. */
    public CompletableFuture<Run> setStatusMessage(String runId, String message, boolean terminal) {
        return active.onSupervisor(runId, s -> s.setStatusMessage(message, terminal)).orElseThrow(() -> {
            owner.refuseIfElsewhere(get(runId));
            return RunSupervisor.statusMessageIsFinal(get(runId));
        });
    }

    /**
     * Records {@code count} charges of {@code eventName} on the active run; a charge whose {@code idempotencyKey}
     * was seen counts once (and is answered even after the run finished). 400 for a finished run otherwise.
     */
    public CompletableFuture<Run> charge(String runId, String eventName, long count, String idempotencyKey) {
        return active.onSupervisor(runId, s -> s.charge(eventName, count, idempotencyKey)).orElseGet(() -> {
            Run run = get(runId);
            owner.refuseIfElsewhere(run);
            ApiException refused = RunSupervisor.cannotCharge(run, idempotencyKey);
            if (refused != null) {
                throw refused;
            }
            return CompletableFuture.completedFuture(run);
        });
    }

    /** Restarts a finished run on the same storages; 400 run-state-conflict when it has not finished. */
    public CompletableFuture<Run> resurrect(String runId, ResurrectRequest req) {
        checkAccepting();
        Run run = get(runId);
        owner.refuseIfElsewhere(run);
        Resurrection resurrection = Resurrection.of(run, req, actors);
        // its new container is this daemon's, so the run is too (it was another's only if it had finished there)
        return repository.resurrecting(runId, owner, () -> active.resurrect(run, resurrection.options().memoryMbytes(),
                stored -> supervisors.create(repository.ownedBy(stored, owner)),
                s -> s.resurrect(resurrection)));
    }

    /** How many runs actor {@code actorId} has and when the last one started (the Actor object's stats). */
    public ActorRuns actorRuns(String actorId) {
        return repository.actorRuns(actorId);
    }

    /** Every run's CPU and memory over time (for charts). */
    public RunSamples samples() {
        return repository.samples();
    }

    /** The run with live resource figures when it is active; 404 record-not-found when there is none. */
    public Run get(String runId) {
        return active.get(runId);
    }

    /** As {@link #get}, or empty when there is no such run. */
    public Optional<Run> find(String runId) {
        return active.find(runId);
    }

    /** The run once it has ended, or as it is after {@code seconds} (capped at {@value #MAX_WAIT_SECS}). */
    public CompletableFuture<Run> waitForFinish(String runId, long seconds) {
        return awaitEnd(runId, Duration.ofSeconds(Math.max(0, Math.min(MAX_WAIT_SECS, seconds))));
    }

    /** The run once it has ended, or as it is after {@code max}. */
    public CompletableFuture<Run> awaitEnd(String runId, Duration max) {
        return waiters.await(runId, max);
    }

    /** How many {@code waitForFinish} requests wait for the run's end now (none of them holds a thread). */
    public int waitingForEnd(String runId) {
        return waiters.waiting(runId);
    }

    /** A page of the selected runs, by start time. */
    public Paging.Page<Run> list(RunSelection selection, long offset, long limit, boolean desc) {
        return repository.list(selection, offset, limit, desc, active::find);
    }

    /** The most recent of the selected runs (of an actor). */
    public Optional<Run> last(RunSelection selection) {
        return repository.last(selection, active::find);
    }

    public boolean hasActiveRuns(String actorId) {
        return active.anyUnfinished(r -> r.actId().equals(actorId));
    }

    /** The memory of the user's READY, RUNNING, TIMING-OUT and ABORTING runs, together. */
    public long usedMemoryMbytes(String userId) {
        return active.usedMemoryMbytes(userId);
    }

    /** Whether user {@code userId} has runs that have not finished. */
    public boolean userHasActiveRuns(String userId) {
        return active.anyUnfinished(r -> r.userId().equals(userId));
    }

    public HostMemory hostMemory() {
        return active.hostMemory();
    }

    /** Whether a run that has not finished uses the build (its layers are mounted). */
    public boolean isBuildInUse(String buildId) {
        return active.anyUnfinished(r -> r.buildId().equals(buildId));
    }

    /** Calls {@code listener} with the run after each stored status change, on the run's thread (keep it short). */
    public void onStatusChange(Consumer<Run> listener) {
        supervisors.onStatusChange(listener);
    }

    /** Adds a listener told of each start, whose records go into the new run's batch (its webhooks). */
    public void onStart(RunStartListener listener) {
        startListeners.add(listener);
    }

    /** Sets what starts and metamorphs do with their input before it is stored (the build's input schema). */
    public void filterInputs(RunInputFilter filter) {
        inputFilter = filter;
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
        return active.count();
    }

    /** The runs that have a supervisor now, as they are at this moment. */
    public List<Run> activeRuns() {
        return active.runs();
    }

    /** Adds what is told about containers starting and stopping and about graceful aborts; set before {@link #recover}. */
    public void listen(RunListener l) {
        supervisors.listen(l);
    }

    /** The cluster's side of the runs (#26): settling departed hosts' runs, evicting and draining this host's. */
    public RunMigration migration() {
        return new RunMigration(repository, active, supervisors, waiters, owner, clock);
    }

    /** Cluster mode (#26): new runs wait unplaced for {@link ClusterPlacement}; call before {@link #recover}. */
    public ClusterPlacement placeInCluster(ClusterPlacement.Cluster cluster) {
        return ClusterPlacement.start(repository, active, supervisors, owner, cluster);
    }

    /** Re-attaches or finishes every run the previous daemon left active; see {@link RunRecovery}. */
    public RunRecovery.Report recover() {
        return recovery.recover();
    }

    /** Sends an API event to the run's supervisor, or answers from the store when the run has none (finished). */
    private CompletableFuture<Run> dispatch(String runId, RunEvent event) {
        return dispatch(runId, event, s -> s.submit(event));
    }

    /** As {@link #dispatch(String, RunEvent)}, with {@code call} handing the event to the supervisor. */
    private CompletableFuture<Run> dispatch(String runId, RunEvent event,
                                            Function<RunSupervisor, CompletableFuture<Run>> call) {
        Optional<CompletableFuture<Run>> submitted = active.onSupervisor(runId, call);
        if (submitted.isPresent()) {
            return submitted.get();
        }
        Run run = get(runId);
        owner.refuseIfElsewhere(run);
        Transition t = RunStateMachine.next(run.status(), event);
        if (t instanceof Transition.Reject reject) {
            throw new ApiException(ErrorType.RUN_STATE_CONFLICT, reject.reason());
        }
        return CompletableFuture.completedFuture(t instanceof Transition.Move ? supervisors.unsupervised(run, event)
                : run);
    }

    /**
     * Daemon shutdown: answer waiters, end log streams, stop timers and watching. Containers keep running;
     * the next daemon re-attaches to them.
     */
    @Override
    public void close() {
        sampler.cancel(false);
        active.forEach(RunSupervisor::detach);
        waiters.releaseAll(active::find);
        logs.closeAll();
    }
}
