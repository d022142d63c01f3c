package io.actord.runtime.userns;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fresh user namespaces for containers, each with a range of its own from the pool, one made ahead: making
 * one takes a holder process (~3 ms, a third of a container's start here), so while a container starts the
 * next one's namespace is made on a thread of this class, off the start's path. A namespace is used once,
 * by one container, and never reused (a namespace keeps per-namespace state, such as keyrings, that one
 * run must not pass to the next). Thread-safe.
 *
 * <p>Must be used from ordinary threads in the host's namespaces (never a launcher thread): its thread is
 * started on the first {@link #take}, and spawns the holders.
 */
public final class UserNamespaceSupply implements AutoCloseable {
    private final IdRangePool pool;
    private final UserNamespaces maker;
    private final ExecutorService ahead;
    /** Guarded by this. */
    private CompletableFuture<UserNamespace> spare;
    /** Guarded by this. */
    private boolean closed;

    public UserNamespaceSupply(IdRangePool pool, UserNamespaces maker) {
        this.pool = pool;
        this.maker = maker;
        this.ahead = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "actord-userns-ahead");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A namespace and its range, taken from the pool: the caller closes the descriptor once actord-init holds
     * the namespace and gives the range back ({@link IdRangePool#release}) once the container is gone.
     */
    public UserNamespace take() {
        CompletableFuture<UserNamespace> ready;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the user namespace supply is closed");
            }
            ready = spare;
            spare = CompletableFuture.supplyAsync(this::make, ahead);
        }
        if (ready != null) {
            try {
                return ready.join();
            } catch (CompletionException e) {
                // The spare failed (a full pool, a holder that died): try once more now, and fail with that.
            }
        }
        return make();
    }

    /**
     * Waits until the namespace being made ahead, if any, is made (or has failed): then this supply holds
     * exactly one descriptor and no holder process, for a caller that counts them (LeakIT).
     */
    public void awaitSpare() {
        CompletableFuture<UserNamespace> pending;
        synchronized (this) {
            pending = spare;
        }
        if (pending != null) {
            pending.exceptionally(e -> null).join();
        }
    }

    private UserNamespace make() {
        IdRange range = pool.allocate();
        try {
            return new UserNamespace(range, maker.create(range));
        } catch (RuntimeException e) {
            pool.release(range);
            throw e;
        }
    }

    /** Gives back the spare (when it is made) and stops the thread. Idempotent. */
    @Override
    public void close() {
        CompletableFuture<UserNamespace> left;
        synchronized (this) {
            closed = true;
            left = spare;
            spare = null;
        }
        if (left != null) {
            left.thenAccept(u -> {
                u.close();
                pool.release(u.range());
            });
        }
        ahead.shutdown();
    }
}
