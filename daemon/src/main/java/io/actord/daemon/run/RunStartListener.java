package io.actord.daemon.run;

import io.actord.daemon.state.Batch;

import java.util.function.BiConsumer;

/**
 * Told of each run being started, before anything is stored: it checks the part of the start request that
 * is its own (400 when it is invalid) and returns what it keeps with the new run, which is written in the
 * run's own synced batch. The counterpart of what {@link RunDeletion} deletes with a run; both are wired in
 * the daemon, so neither the API nor the run layer knows what else is kept per run (its webhooks).
 */
@FunctionalInterface
public interface RunStartListener {
    /** Checks {@code request}; the result adds what belongs with the new run to the batch that stores it. */
    BiConsumer<Batch, Run> starting(StartRequest request);
}
