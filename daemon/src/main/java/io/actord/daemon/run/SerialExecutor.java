package io.actord.daemon.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: each run's events are handled by one
 * of these, so a run's transitions never race and need no locks or transactions.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** Queues {@code task}; dropped (and logged) once the pool has shut down with the daemon. */
    @Override
    public synchronized void execute(Runnable task) {
        queue.add(task);
        if (!draining) {
            draining = true;
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining = false;
                queue.clear();
                LOG.debug("run task dropped: the daemon is stopping");
            }
        }
    }

    /** Tasks waiting behind the one running now. */
    synchronized int pending() {
        return queue.size();
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = queue.poll();
                if (task == null) {
                    draining = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("run task failed", e);
            }
        }
    }
}
