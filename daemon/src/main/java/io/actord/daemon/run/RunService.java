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
import io.actord.daemon.store.CloseableIterator;
import io.actord.daemon.store.Codecs.Empty;
import io.actord.daemon.store.Entry;
import io.actord.daemon.store.Keys;
import io.actord.daemon.store.Paging;
import io.actord.daemon.store.Scan;
import io.actord.daemon.store.StateStore;
import io.actord.daemon.store.Table;
import io.actord.daemon.store.Tables;
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
import java.util.function.Consumer;

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
    private final RunContext ctx;
    private final RunWaiters waiters;
    private final Map<String, RunSupervisor> active = new ConcurrentHashMap<>();
    private final List<Consumer<Run>> statusListeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> sampler;

    /**
     * The run layer's tunables.
     *
     * @param grace          a graceful abort or a timeout waits this long before killing (Apify: 30 s)
     * @param exitDrain      after an exit, how long to wait for the rest of the output
     * @param sampleInterval how often the cgroup counters are sampled for the run's stats
     */
    public record Settings(Duration grace, Duration exitDrain, Duration sampleInterval) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(30), Duration.ofSeconds(2),
                Duration.ofSeconds(1));
    }

    /** Wires the run layer; {@code pool} runs the supervisors' serial executors, {@code timers} their timers. */
    public static RunService create(StateStore store, ContainerRuntime runtime, ContainerSpecFactory specs,
                                    ActorService actors, RunStorages storages, RunLogs logs, RunFiles files,
                                    ScheduledExecutorService timers, Executor pool, Clock clock, Settings settings) {
        return new RunService(store, new RunContext(runtime, specs, actors, storages, logs, files, new RunSamples(),
                timers, pool, clock, settings.grace(), settings.exitDrain()), settings.sampleInterval());
    }

    private volatile RunListener listener = RunListener.NONE;

    private RunService(StateStore store, RunContext ctx, Duration sampleInterval) {
        this.store = store;
        this.runs = store.table(Tables.RUNS);
        this.byActor = store.table(Tables.RUNS_BY_ACTOR);
        this.byUser = store.table(Tables.RUNS_BY_USER);
        this.byStatus = store.table(Tables.RUNS_BY_STATUS);
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
                               byte[] input, Optional<String> contentType, String origin) {
    }

    /** Stores the new run (READY) with its default storages and INPUT, then starts its container in the background. */
    public Run start(String actorRef, StartRequest req) {
        Actor actor = ctx.actors().get(actorRef);
        DefaultRunOptions defaults = actor.defaultRunOptions();
        String buildRef = req.build().orElse(defaults.build());
        Build build = ctx.actors().resolveBuild(actor, buildRef);
        int memory = memory(req.memoryMbytes().orElse((long) defaults.memoryMbytes()));
        int timeout = timeout(req.timeoutSecs().orElse((long) defaults.timeoutSecs()));
        Optional<KvRecord> input = input(req.input(), req.contentType());
        Instant now = ctx.clock().instant();
        RunStorages.Defaults storages = RunStorages.Defaults.fresh();
        Run run = new Run.Builder().id(Ids.newId()).actId(actor.id()).userId(actor.userId())
                .build(build.id(), build.buildNumber()).status(RunStatus.READY, null).startedAt(now)
                .options(RunOptions.of(buildRef, timeout, memory))
                .storages(storages.keyValueStoreId(), storages.datasetId(), storages.requestQueueId())
                .containerUrlToken(ContainerUrls.newToken()).origin(req.origin()).inputBodyLen(req.input().length)
                .timeoutAt(timeout > 0 ? now.plusSeconds(timeout) : null).build();
        store.write(b -> {
            runs.putInBatch(b, run.id(), run);
            byActor.putInBatch(b, Tables.runByActorKey(run), Empty.INSTANCE);
            byUser.putInBatch(b, Tables.runByUserKey(run), Empty.INSTANCE);
            byStatus.putInBatch(b, Tables.runByStatusKey(run.status(), run), Empty.INSTANCE);
            ctx.storages().createInBatch(b, storages, run.userId(), actor.id(), run.id(), now, input);
        });
        LOG.info("run={} status=READY actor={} build={} memory={} timeout={}", run.id(), actor.fullName(),
                build.buildNumber(), memory, timeout);
        statusListeners.forEach(l -> l.accept(run));
        ctx.logs().open(run.id());
        RunSupervisor supervisor = new RunSupervisor(this, ctx, run);
        active.put(run.id(), supervisor);
        supervisor.start();
        return run;
    }

    /** Aborts now, or gracefully; a finished or aborting run is returned unchanged (Apify: "no effect"). */
    public CompletableFuture<Run> abort(String runId, boolean graceful) {
        return dispatch(runId, new RunEvent.AbortRequested(graceful));
    }

    /** What a resurrect request may change; empty keeps the run's previous value (the build by number). */
    public record ResurrectRequest(Optional<String> build, Optional<Long> memoryMbytes, Optional<Long> timeoutSecs) {
    }

    /** Restarts a finished run on the same storages; 409 run-state-conflict when it has not finished. */
    public CompletableFuture<Run> resurrect(String runId, ResurrectRequest req) {
        Run run = get(runId);
        Actor actor = ctx.actors().find(run.actId()).orElseThrow(() -> ApiException.notFound("Actor", run.actId()));
        String buildRef = req.build().orElse(run.buildNumber());
        Build build = ctx.actors().resolveBuild(actor, buildRef);
        int memory = memory(req.memoryMbytes().orElse((long) run.options().memoryMbytes()));
        int timeout = timeout(req.timeoutSecs().orElse((long) run.options().timeoutSecs()));
        Resurrection resurrection = new Resurrection(build.id(), build.buildNumber(),
                RunOptions.of(buildRef, timeout, memory));
        AtomicReference<CompletableFuture<Run>> result = new AtomicReference<>();
        active.compute(runId, (id, s) -> {
            RunSupervisor supervisor = s != null ? s : new RunSupervisor(this, ctx, get(id));
            result.set(supervisor.resurrect(resurrection));
            return supervisor;
        });
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
        long capped = Math.max(0, Math.min(MAX_WAIT_SECS, seconds));
        return waiters.await(runId, Duration.ofSeconds(capped), () -> get(runId));
    }

    /**
     * A page of runs, by start time: one actor's when {@code actorId} is given, else the owner's.
     *
     * @param statuses only runs in these statuses; empty = all
     */
    public Paging.Page<Run> list(Optional<String> actorId, String userId, long offset, long limit, boolean desc,
                                 Set<RunStatus> statuses) {
        byte[] prefix = Keys.prefix(actorId.orElse(userId));
        Table<byte[], Empty> index = actorId.isPresent() ? byActor : byUser;
        return Paging.page(index, prefix, desc, offset, limit, e -> runAt(e.key(), prefix)
                .filter(r -> statuses.isEmpty() || statuses.contains(r.status())));
    }

    /** The actor's most recent run (in one of {@code statuses}, if given). */
    public Optional<Run> last(String actorId, Set<RunStatus> statuses) {
        byte[] prefix = Keys.prefix(actorId);
        try (CloseableIterator<Entry<byte[], Empty>> it = byActor.scan(Scan.prefix(prefix).reversed(true))) {
            while (it.hasNext()) {
                Optional<Run> run = runAt(it.next().key(), prefix);
                if (run.isPresent() && (statuses.isEmpty() || statuses.contains(run.get().status()))) {
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

    /** Whether a run that has not finished uses the build (its layers are mounted). */
    public boolean isBuildInUse(String buildId) {
        return active.values().stream().anyMatch(s -> s.current().buildId().equals(buildId)
                && !s.current().status().isTerminal());
    }

    /**
     * Calls {@code listener} with the run after each stored status change, on the run's own thread (keep it
     * short). For the future webhooks and for measurements; the API does not need it.
     */
    public void onStatusChange(Consumer<Run> listener) {
        statusListeners.add(listener);
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
        String id = Tables.runIdOf(indexKey, prefix);
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

    Optional<Run> stored(String runId) {
        return runs.get(runId);
    }

    // Callbacks from supervisors.

    /** Stores a new version of a run; a status change moves its status-index entry in the same synced batch. */
    void save(Run previous, Run next) {
        store.write(b -> {
            runs.putInBatch(b, next.id(), next);
            if (previous.status() != next.status()) {
                byStatus.deleteInBatch(b, Tables.runByStatusKey(previous.status(), previous));
                byStatus.putInBatch(b, Tables.runByStatusKey(next.status(), next), Empty.INSTANCE);
            }
        });
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

    void retireIfIdle(RunSupervisor s) {
        active.compute(s.runId(), (id, current) -> current == s && s.idle() ? null : current);
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
        AtomicReference<CompletableFuture<Run>> result = new AtomicReference<>();
        active.computeIfPresent(runId, (id, s) -> {
            result.set(s.submit(event));
            return s;
        });
        if (result.get() != null) {
            return result.get();
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

    private static int memory(long mb) {
        ActorService.validMemory(mb);
        return (int) mb;
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
