package io.actord.daemon.run;

import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Paging;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.StoreSignals;
import io.actord.daemon.state.Table;
import io.actord.daemon.state.WriteConflictException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stored runs ({@link RunTables}): each run with its entries in the indexes (by actor, by user, by
 * status, by finish time, by task) and its resource samples, always written together in one synced batch. It knows
 * nothing of active runs: a query that should show them live is given {@code live}, the run as it is now.
 */
public final class RunRepository {
    /** The signal of a run's end, whose payload is the run's id (see {@link #onRunEnd}). */
    static final String RUN_ENDS = "actord_run_ended";
    /**
     * The signal that a run waits for a host (#26), whose payload is the run's id, or a host's id when that host freed
     * memory: the placement of every host hears it ({@link #onPlacement}).
     */
    public static final String PLACEMENT = "actord_placement";

    private final StateStore store;
    private final Table<String, Run> runs;
    private final Table<RunIndexKey, Empty> byActor;
    private final Table<RunIndexKey, Empty> byUser;
    private final Table<RunIndexKey, Empty> byStatus;
    private final Table<RunIndexKey, Empty> byTask;
    private final Table<RunFinishKey, Empty> byFinish;
    private final Table<UnplacedRunKey, Empty> unplaced;
    private final Table<String, String> byContainerToken;
    private final RunSamples samples;

    public RunRepository(StateStore store) {
        this.store = store;
        this.runs = store.table(RunTables.RUNS);
        this.byActor = store.table(RunTables.RUNS_BY_ACTOR);
        this.byUser = store.table(RunTables.RUNS_BY_USER);
        this.byStatus = store.table(RunTables.RUNS_BY_STATUS);
        this.byTask = store.table(RunTables.RUNS_BY_TASK);
        this.byFinish = store.table(RunTables.RUNS_BY_FINISH);
        this.unplaced = store.table(RunTables.RUNS_UNPLACED);
        this.byContainerToken = store.table(RunTables.RUNS_BY_CONTAINER_TOKEN);
        this.samples = new RunSamples(store);
    }

    /** The run as last stored. */
    public Optional<Run> get(String runId) {
        return runs.get(runId);
    }

    /** Every run's CPU and memory over time (for charts). */
    RunSamples samples() {
        return samples;
    }

    /**
     * Stores a new run with its index entries in one synced write, together with what {@code alsoStore} adds
     * to the batch (its storages, its webhooks).
     */
    void insert(Run run, Consumer<Batch> alsoStore) {
        store.write(b -> {
            runs.putInBatch(b, run.id(), run);
            byActor.putInBatch(b, RunIndexKey.byActor(run), Empty.INSTANCE);
            byUser.putInBatch(b, RunIndexKey.byUser(run), Empty.INSTANCE);
            byStatus.putInBatch(b, RunIndexKey.byStatus(run.status(), run), Empty.INSTANCE);
            RunIndexKey.byTask(run).ifPresent(k -> byTask.putInBatch(b, k, Empty.INSTANCE));
            if (UnplacedRunKey.isUnplaced(run)) {
                unplaced.putInBatch(b, UnplacedRunKey.of(run), Empty.INSTANCE);
                b.signal(PLACEMENT, run.id());
            }
            if (run.containerUrlToken() != null) {
                byContainerToken.putInBatch(b, run.containerUrlToken(), run.id());
            }
            alsoStore.accept(b);
        });
    }

    /**
     * Stores a new version of a run; a status change moves its status-index entry, a metamorph its actor-index
     * entry, and its finished-index entry follows finishedAt, in the same synced batch (a delete and a put of
     * one key leave it put); an end is signalled to the store's other daemons in that batch ({@link #onRunEnd}).
     * A run that becomes unplaced ({@link UnplacedRunKey#isUnplaced}) enters the unplaced index and is signalled on
     * {@link #PLACEMENT}; one that is placed leaves it. Fencing (#26): where the store is shared, the write happens
     * only if the stored run still has {@code previous}'s owner and epoch, checked inside the write; else nothing is
     * written and {@link StaleRunOwnerException} says who owns it now.
     */
    void save(Run previous, Run next) {
        try {
            write(previous, next);
        } catch (WriteConflictException e) {
            throw new StaleRunOwnerException(e);
        }
    }

    private void write(Run previous, Run next) {
        store.write(b -> {
            if (store.shared()) {
                runs.requireInBatch(b, previous.id(), stored -> StaleRunOwnerException.conflict(previous, stored));
            }
            runs.putInBatch(b, next.id(), next);
            if (!previous.actId().equals(next.actId())) {
                byActor.deleteInBatch(b, RunIndexKey.byActor(previous));
                byActor.putInBatch(b, RunIndexKey.byActor(next), Empty.INSTANCE);
            }
            if (previous.status() != next.status()) {
                byStatus.deleteInBatch(b, RunIndexKey.byStatus(previous.status(), previous));
                byStatus.putInBatch(b, RunIndexKey.byStatus(next.status(), next), Empty.INSTANCE);
            }
            finishKey(previous).ifPresent(k -> byFinish.deleteInBatch(b, k));
            finishKey(next).ifPresent(k -> byFinish.putInBatch(b, k, Empty.INSTANCE));
            if (next.status().isTerminal() && previous.status() != next.status()) {
                b.signal(RUN_ENDS, next.id());
            }
            indexUnplaced(b, previous, next);
        });
    }

    /** Keeps the unplaced index in step with the run: entered (and signalled) or left as the run changes. */
    private void indexUnplaced(Batch b, Run previous, Run next) {
        boolean was = UnplacedRunKey.isUnplaced(previous);
        boolean is = UnplacedRunKey.isUnplaced(next);
        if (was && (!is || !previous.startedAt().equals(next.startedAt()))) {
            unplaced.deleteInBatch(b, UnplacedRunKey.of(previous));
        }
        if (is) {
            unplaced.putInBatch(b, UnplacedRunKey.of(next), Empty.INSTANCE);
            if (!was) {
                b.signal(PLACEMENT, next.id());
            }
        }
    }

    /** The runs that wait for a host, the earliest started first (the whole index: it holds only waiting runs). */
    List<UnplacedRunKey> unplaced() {
        List<UnplacedRunKey> found = new ArrayList<>();
        try (CloseableIterator<Entry<UnplacedRunKey, Empty>> it = unplaced.scan(KeyRange.all())) {
            while (it.hasNext()) {
                found.add(it.next().key());
            }
        }
        return found;
    }

    /**
     * Calls {@code wake} on each {@link #PLACEMENT} signal of any daemon on the store, and when some may have been
     * missed.
     */
    void onPlacement(Runnable wake) {
        store.signals().listen(PLACEMENT, StoreSignals.listener(payload -> wake.run(), wake));
    }

    /** Tells every daemon's placement that host {@code hostId} has freed memory (a batch that only signals). */
    void signalFreed(String hostId) {
        store.write(b -> b.signal(PLACEMENT, hostId));
    }

    /**
     * Calls {@code action} with the run read under its owner lock, held meanwhile, when it still waits for a host
     * ({@link UnplacedRunKey#isUnplaced}): a claim or an abort of an unplaced run, of which two hosts never both act on
     * one run. Empty when the run no longer waits (another host claimed it, or it ended) or is gone.
     */
    <T> Optional<T> whileUnplaced(String runId, Function<Run, T> action) {
        return store.locked(ownerLock(runId), () -> get(runId).filter(UnplacedRunKey::isUnplaced).map(action));
    }

    /**
     * Tells {@code ended} the id of each run that ends from now on in any daemon on the store (where it is shared:
     * in this one, {@link Supervisors} wakes its waiters itself), once the end is stored, and {@code missed} when
     * some ends may have gone untold (see {@link StoreSignals.Listener}).
     */
    void onRunEnd(Consumer<String> ended, Runnable missed) {
        store.signals().listen(RUN_ENDS, StoreSignals.listener(ended, missed));
    }

    /**
     * The stored run as {@code owner}'s, when it is: a run that names no owner (stored before runs had one), or
     * names another while the store is this daemon's alone, is stamped with {@code owner}'s host id first, under a
     * lock across daemons, so that of two daemons recovering it at once only the first takes it. Empty when the run
     * is gone, another daemon's, or waits for placement in a cluster ({@link RunOwner#unplaced}).
     */
    Optional<Run> claim(String runId, RunOwner owner) {
        return store.locked(ownerLock(runId), () -> get(runId)
                .filter(r -> owner.owns(r.ownerHost()) && !owner.unplaced(r)).map(run -> ownedBy(run, owner)));
    }

    /**
     * {@code run} as {@code owner}'s: when it names another owner (or none) it is stored first with {@code owner}'s
     * host id and its epoch + 1 (#26: every change of owner is a new epoch). Call under the run's owner lock.
     */
    Run ownedBy(Run run, RunOwner owner) {
        if (owner.hostId().equals(run.ownerHost())) {
            return run;
        }
        Run mine = run.toBuilder().ownerHost(owner.hostId()).epoch(run.epoch() + 1).build();
        save(run, mine);
        return mine;
    }

    /**
     * Calls {@code resurrect} under the lock {@link #claim} takes, once the run read again under it is not active on
     * another daemon (400 run-state-conflict naming it, see {@link RunOwner#refuseIfElsewhere}), and holds the lock
     * until the resurrection is stored or refused: of two daemons resurrecting one finished run at once, the second
     * finds it active on the first, instead of making a second container and writing the run as a stale owner (a
     * supervisor it still keeps of the run's previous life knows nothing of that). In a store only this daemon opens
     * every run is its own and the lock is the JVM's: nothing changes.
     */
    CompletableFuture<Run> resurrecting(String runId, RunOwner owner, Supplier<CompletableFuture<Run>> resurrect) {
        return store.locked(ownerLock(runId), () -> {
            get(runId).ifPresent(owner::refuseIfElsewhere);
            CompletableFuture<Run> resurrected = resurrect.get();
            // completes once the run's executor has stored the new status and made the container, or refused
            resurrected.handle((run, error) -> null).join();
            return resurrected;
        });
    }

    /**
     * Calls {@code action} under the lock {@link #claim} takes: who owns the run changes only under it (a migration,
     * a placement, #26), so {@code action} reads the run again and decides on what it finds.
     */
    <T> T underOwnerLock(String runId, Supplier<T> action) {
        return store.locked(ownerLock(runId), action);
    }

    /** Calls {@code action} under the user's lock across the daemons of the store: their runs' admission. */
    <T> T underUserLock(String userId, Supplier<T> action) {
        return store.locked(List.of("user-runs/" + userId), action);
    }

    /** The memory of the user's stored active runs (READY, RUNNING, TIMING-OUT, ABORTING), of every daemon. */
    long activeMemoryMbytes(String userId) {
        long sum = 0;
        for (RunStatus status : RunStatus.values()) {
            if (!status.isTerminal()) {
                sum += withStatus(status, id -> { }).stream().filter(r -> r.userId().equals(userId))
                        .mapToLong(r -> r.options().memoryMbytes()).sum();
            }
        }
        return sum;
    }

    /** The cross-daemon lock of who owns the run. */
    private static List<String> ownerLock(String runId) {
        return List.of("run-owner/" + runId);
    }

    /** Adds the deletion of a finished run, its index entries and its samples to {@code batch}. */
    void deleteInBatch(Batch batch, Run run) {
        runs.deleteInBatch(batch, run.id());
        byActor.deleteInBatch(batch, RunIndexKey.byActor(run));
        byUser.deleteInBatch(batch, RunIndexKey.byUser(run));
        byStatus.deleteInBatch(batch, RunIndexKey.byStatus(run.status(), run));
        byFinish.deleteInBatch(batch, RunFinishKey.of(run));
        RunIndexKey.byTask(run).ifPresent(k -> byTask.deleteInBatch(batch, k));
        if (run.containerUrlToken() != null) {
            byContainerToken.deleteInBatch(batch, run.containerUrlToken());
        }
        samples.deleteInBatch(batch, run.id());
    }

    /**
     * The stored active run, of any daemon of the database, whose container URL has {@code token}: one read of the
     * token index and one of the run, whatever the token (a guessed one included) and however many runs there are.
     */
    public Optional<Run> findActiveByContainerToken(String token) {
        return byContainerToken.get(token).flatMap(runs::get)
                .filter(r -> !r.status().isTerminal() && token.equals(r.containerUrlToken()));
    }

    /**
     * Gives each active run stored without a token-index entry (before the index existed) its entry, one batch a
     * run; returns how many it added. Finished runs need none: their URLs answer nothing. Reads the active runs
     * once: for the start of a daemon whose lookups go through the index.
     */
    public int indexContainerTokens() {
        int added = 0;
        for (RunStatus status : RunStatus.values()) {
            if (status.isTerminal()) {
                continue;
            }
            for (Run run : withStatus(status, missing -> { })) {
                if (run.containerUrlToken() != null && byContainerToken.get(run.containerUrlToken()).isEmpty()) {
                    store.write(b -> byContainerToken.putInBatch(b, run.containerUrlToken(), run.id()));
                    added++;
                }
            }
        }
        return added;
    }

    /** The stored runs in {@code status}, the earliest started first. */
    List<Run> withStatus(RunStatus status, Consumer<String> missing) {
        List<Run> found = new ArrayList<>();
        try (CloseableIterator<Entry<RunIndexKey, Empty>> it = byStatus.scan(KeyRange.of(
                RunIndexKey.ofOwner(status.wireName())))) {
            while (it.hasNext()) {
                String id = it.next().key().runId();
                runs.get(id).ifPresentOrElse(found::add, () -> missing.accept(id));
            }
        }
        return found;
    }

    /** A page of the selected runs, by start time, each as {@code live} shows it. */
    Paging.Page<Run> list(RunSelection selection, long offset, long limit, boolean desc,
                          Function<String, Optional<Run>> live) {
        return Paging.page(index(selection), owner(selection), desc, offset, limit,
                e -> live.apply(e.key().runId()).filter(selection::includes));
    }

    /** The most recent of the selected runs (of an actor or a task), as {@code live} shows it. */
    Optional<Run> last(RunSelection selection, Function<String, Optional<Run>> live) {
        try (CloseableIterator<Entry<RunIndexKey, Empty>> it = index(selection).scan(KeyRange.of(owner(selection))
                .reversed(true))) {
            while (it.hasNext()) {
                Optional<Run> run = live.apply(it.next().key().runId());
                if (run.isPresent() && selection.includes(run.get())) {
                    return run;
                }
            }
        }
        return Optional.empty();
    }

    /** How many runs actor {@code actorId} has, and when the last one started (null: none); reads no run. */
    ActorRuns actorRuns(String actorId) {
        long total = 0;
        Instant last = null;
        try (CloseableIterator<Entry<RunIndexKey, Empty>> it = byActor.scan(KeyRange.of(
                RunIndexKey.ofOwner(actorId)))) {
            while (it.hasNext()) {
                Instant started = Instant.ofEpochMilli(it.next().key().startedAtMillis());
                last = last == null || started.isAfter(last) ? started : last;
                total++;
            }
        }
        return new ActorRuns(total, last);
    }

    /** The narrowest index of the selection: its task's, its actor's, else its user's. */
    private Table<RunIndexKey, Empty> index(RunSelection selection) {
        return selection.actorTaskId().isPresent() ? byTask : selection.actorId().isPresent() ? byActor : byUser;
    }

    private static KeyPrefix<RunIndexKey> owner(RunSelection selection) {
        return RunIndexKey.ofOwner(selection.actorTaskId().or(selection::actorId)
                .orElseGet(() -> selection.userId().orElseThrow()));
    }

    /** The run's entry in the finished-runs index, when it has finished. */
    private static Optional<RunFinishKey> finishKey(Run run) {
        return run.status().isTerminal() && run.finishedAt() != null ? Optional.of(RunFinishKey.of(run))
                : Optional.empty();
    }
}
