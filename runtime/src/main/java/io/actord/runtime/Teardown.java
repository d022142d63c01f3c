package io.actord.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The undo list of a container: every create step that succeeded pushes how to undo it, and teardown runs
 * them last-first. Each step runs even when an earlier one failed; the first failure is thrown with the
 * others suppressed (youki's CreateContainerError). Runs at most once. Thread-safe.
 */
final class Teardown {
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private record Named(String what, Step step) {
    }

    private final String container;
    private final Deque<Named> steps = new ArrayDeque<>();
    private final Map<String, Duration> timings = new LinkedHashMap<>();
    private boolean done;

    Teardown(String container) {
        this.container = container;
    }

    synchronized void push(String what, Step step) {
        if (done) {
            throw new IllegalStateException("container " + container + " is already torn down");
        }
        steps.push(new Named(what, step));
    }

    /** Runs every step; returns normally when all succeeded. */
    synchronized void run() {
        run(null);
    }

    /**
     * Runs every step after {@code cause} made create fail, adding each failure to it as suppressed;
     * with a null cause, throws the first failure instead.
     */
    synchronized void run(Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        ContainerException failure = null;
        for (Named named; (named = steps.poll()) != null; ) {
            long start = System.nanoTime();
            try {
                named.step().run();
            } catch (Exception e) {
                ContainerException step = new ContainerException(named.what() + ": " + e.getMessage(), e);
                if (cause != null) {
                    cause.addSuppressed(step);
                } else if (failure == null) {
                    failure = new ContainerException("tear down container " + container + ": " + step.getMessage(), e);
                } else {
                    failure.addSuppressed(step);
                }
            }
            timings.put(named.what(), Duration.ofNanos(System.nanoTime() - start));
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** How long each step took, in the order they ran (for the benchmark's breakdown). */
    synchronized Map<String, Duration> timings() {
        return Map.copyOf(timings);
    }
}
