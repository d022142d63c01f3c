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
import java.util.function.Consumer;

/**
 * Runs by the time they finished ({@link RunTables#RUNS_BY_FINISH}), the earliest first: what retention and
 * {@code system prune} delete with {@link RunDeletion}.
 */
public final class FinishedRuns {
    /** How many ids one scan collects before they are deleted (a deletion changes the index being read). */
    private static final int PER_PASS = 1000;

    private final Table<RunFinishKey, Empty> byFinish;
    private final RunDeletion deletion;

    public FinishedRuns(StateStore store, RunDeletion deletion) {
        this.byFinish = store.table(RunTables.RUNS_BY_FINISH);
        this.deletion = deletion;
    }

    /** Calls {@code each} with the id of every run that finished before {@code cutoff}, the earliest first. */
    public void before(Instant cutoff, Consumer<String> each) {
        scan(cutoff, Integer.MAX_VALUE, each);
    }

    /**
     * Deletes every run that finished before {@code cutoff} (and that nothing supervises any more); {@code first}
     * sees each run just before its deletion. Returns the runs deleted.
     */
    public List<Run> deleteBefore(Instant cutoff, Consumer<String> first) {
        List<Run> deleted = new ArrayList<>();
        List<String> due;
        do {
            due = due(cutoff);
            for (String runId : due) {
                first.accept(runId);
                deletion.deleteFinishedBefore(runId, cutoff).ifPresent(deleted::add);
            }
        } while (due.size() == PER_PASS);
        return deleted;
    }

    /** The runs that finished before {@code cutoff}, the earliest first, at most {@value #PER_PASS}. */
    private List<String> due(Instant cutoff) {
        List<String> ids = new ArrayList<>();
        scan(cutoff, PER_PASS, ids::add);
        return ids;
    }

    private void scan(Instant cutoff, int max, Consumer<String> each) {
        int seen = 0;
        try (CloseableIterator<Entry<RunFinishKey, Empty>> it = byFinish.scan(KeyRange.<RunFinishKey>all())) {
            while (it.hasNext() && seen < max) {
                RunFinishKey key = it.next().key();
                if (key.finishedAtMillis() >= cutoff.toEpochMilli()) {
                    return;
                }
                each.accept(key.runId());
                seen++;
            }
        }
    }
}
