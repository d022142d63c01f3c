package io.actord.daemon.build;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How the caller stops a build under way: {@link #cancel} once (abort, timeout), and the builder, which registers
 * what would stop its current step ({@link #onCancel}: kill the step's container), stops at the next step at the
 * latest. Thread-safe.
 */
public final class BuildControl {
    private final List<Runnable> stoppers = new CopyOnWriteArrayList<>();
    private volatile String reason;

    /** Cancels the build; later calls do nothing. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        stoppers.forEach(Runnable::run);
    }

    /** Why the build was cancelled, or empty while it may go on. */
    public Optional<String> cancelled() {
        return Optional.ofNullable(reason);
    }

    /** Runs {@code stop} on cancel (now, when already cancelled) until the returned handle is closed. */
    public AutoCloseable onCancel(Runnable stop) {
        stoppers.add(stop);
        if (reason != null) {
            stop.run();
        }
        return () -> stoppers.remove(stop);
    }
}
