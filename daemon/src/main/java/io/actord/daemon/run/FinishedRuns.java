package io.actord.daemon.run;

import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs by the time they finished ({@link RunTables#RUNS_BY_FINISH}), the earliest first: what retention and
 * {@code system prune} delete with {@link RunDeletion}, each of them the runs it is given ({@code which}).
 */
public final class FinishedRuns {
    /** How many ids one scan collects before they are deleted (a deletion changes the index being read). */
    private static final int PER_PASS = 1000;

    private final Table<RunFinishKey, Empty> byFinish;
    private final RunDeletion deletion;
    private final Predicate<Run> which;

    /** Over every finished run ({@code system prune}). */
    public FinishedRuns(StateStore store, RunDeletion deletion) {
        this(store, deletion, run -> true);
    }

    /** Deleting only the runs of {@code which} (retention: this daemon's, {@link RunOwner}). */
    public FinishedRuns(StateStore store, RunDeletion deletion, Predicate<Run> which) {
        this.byFinish = store.table(RunTables.RUNS_BY_FINISH);
        this.deletion = deletion;
        this.which = which;
    }

    /** Calls {@code each} with the id of every run that finished before {@code cutoff}, the earliest first. */
    public void before(Instant cutoff, Consumer<String> each) {
        scan(cutoff, Optional.empty(), Integer.MAX_VALUE, key -> each.accept(key.runId()));
    }

    /**
     * Deletes every run of {@code which} that finished before {@code cutoff} (and that nothing supervises any more);
     * {@code first} sees each run just before its deletion. Returns the runs deleted.
     */
    public List<Run> deleteBefore(Instant cutoff, Consumer<String> first) {
        List<Run> deleted = new ArrayList<>();
        List<RunFinishKey> due;
        Optional<RunFinishKey> after = Optional.empty();
        do {
            due = due(cutoff, after);
            for (RunFinishKey key : due) {
                first.accept(key.runId());
                deletion.deleteFinishedBefore(key.runId(), cutoff, which).ifPresent(deleted::add);
            }
            // a run left (another daemon's, or one still supervised) stays in the index: go on after it
            after = due.isEmpty() ? after : Optional.of(due.get(due.size() - 1));
        } while (due.size() == PER_PASS);
        return deleted;
    }

    /** Up to {@value #PER_PASS} runs that finished before {@code cutoff}, after {@code after}, the earliest first. */
    private List<RunFinishKey> due(Instant cutoff, Optional<RunFinishKey> after) {
        List<RunFinishKey> keys = new ArrayList<>();
        scan(cutoff, after, PER_PASS, keys::add);
        return keys;
    }

    private void scan(Instant cutoff, Optional<RunFinishKey> after, int max, Consumer<RunFinishKey> each) {
        int seen = 0;
        KeyRange<RunFinishKey> range = after.map(KeyRange.<RunFinishKey>all()::from).orElse(KeyRange.all());
        try (CloseableIterator<Entry<RunFinishKey, Empty>> it = byFinish.scan(range)) {
            while (it.hasNext() && seen < max) {
                RunFinishKey key = it.next().key();
                if (key.finishedAtMillis() >= cutoff.toEpochMilli()) {
                    return;
                }
                if (after.isPresent() && key.equals(after.get())) {
                    continue; // the range starts at the last key of the pass before
                }
                each.accept(key);
                seen++;
            }
        }
    }
}
