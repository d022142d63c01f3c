package io.actord.daemon.run;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The host's memory: a run's container may start only when its memory fits in what the runs already
 * holding memory leave of the capacity, so the host is never oversubscribed. A run that does not fit waits
 * READY in one first-come-first-served queue (a small run never overtakes a big one waiting before it, so
 * none starves), or is refused when the daemon is set to refuse. A run holds its memory from the moment
 * its container is started until its supervisor retires (the container is gone). Runs found running at
 * start-up hold theirs whatever the capacity: they already run.
 *
 * <p>Thread-safe; {@link ActiveRuns} also holds this object's lock around checking a user's limit and
 * storing a new run, so two starts cannot both take the last free memory.
 */
final class RunAdmission {
    private record Waiting(String runId, int memoryMbytes, Runnable start) {
    }

    private final long capacityMbytes;
    private final RunLimits.WhenHostFull whenFull;
    private final Map<String, Integer> held = new HashMap<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private long heldMbytes;

    RunAdmission(long capacityMbytes, RunLimits.WhenHostFull whenFull) {
        this.capacityMbytes = capacityMbytes;
        this.whenFull = whenFull;
    }

    /**
     * Checks, before a new run is stored, that it can be taken: 400 invalid-value when it could never fit,
     * 503 host-capacity-exceeded when it cannot start now and the daemon refuses rather than queues.
     */
    synchronized void checkTakes(int memoryMbytes) {
        if (memoryMbytes > capacityMbytes) {
            throw ApiException.invalidValue("memory " + memoryMbytes + " MB is more than this host's capacity for"
                    + " runs, " + capacityMbytes + " MB");
        }
        if (whenFull == RunLimits.WhenHostFull.REFUSE && !startsNow(memoryMbytes)) {
            throw full(memoryMbytes);
        }
    }

    /**
     * A new READY run: {@code start} runs now when it fits and no run waits before it, else when the runs
     * before it have started and it fits. Returns how many runs wait before it (0: started).
     */
    synchronized int admit(String runId, int memoryMbytes, Runnable start) {
        if (startsNow(memoryMbytes)) {
            hold(runId, memoryMbytes);
            start.run();
            return 0;
        }
        waiting.add(new Waiting(runId, memoryMbytes, start));
        return waiting.size();
    }

    /**
     * Memory for a resurrection, which restarts the container right away: held now when it fits (with what
     * the run may still hold counted as its own), else 503 host-capacity-exceeded.
     */
    synchronized void holdNow(String runId, int memoryMbytes) {
        int own = held.getOrDefault(runId, 0);
        if (!waiting.isEmpty() || heldMbytes - own + memoryMbytes > capacityMbytes) {
            throw full(memoryMbytes);
        }
        hold(runId, memoryMbytes);
    }

    /** A run found running at start-up: it holds its memory, fitting or not. */
    synchronized void holdRecovered(String runId, int memoryMbytes) {
        hold(runId, memoryMbytes);
    }

    /** The run no longer needs memory, or no longer waits (it ended first): frees it and starts who fits. */
    synchronized void release(String runId) {
        Integer mb = held.remove(runId);
        if (mb != null) {
            heldMbytes -= mb;
        }
        waiting.removeIf(w -> w.runId().equals(runId));
        while (!waiting.isEmpty() && heldMbytes + waiting.peek().memoryMbytes() <= capacityMbytes) {
            Waiting next = waiting.poll();
            hold(next.runId(), next.memoryMbytes());
            next.start().run();
        }
    }

    /** Whether {@code memoryMbytes} would be held at once: it fits in what is free and no run waits before it. */
    synchronized boolean fitsNow(int memoryMbytes) {
        return startsNow(memoryMbytes);
    }

    synchronized long heldMbytes() {
        return heldMbytes;
    }

    synchronized int waitingCount() {
        return waiting.size();
    }

    long capacityMbytes() {
        return capacityMbytes;
    }

    private boolean startsNow(int memoryMbytes) {
        return waiting.isEmpty() && heldMbytes + memoryMbytes <= capacityMbytes;
    }

    private void hold(String runId, int memoryMbytes) {
        Integer before = held.put(runId, memoryMbytes);
        heldMbytes += memoryMbytes - (before == null ? 0 : before);
    }

    private ApiException full(int memoryMbytes) {
        return new ApiException(ErrorType.HOST_CAPACITY_EXCEEDED, "the host has no room for " + memoryMbytes
                + " MB now: " + heldMbytes + " MB of its " + capacityMbytes + " MB are in use"
                + (waiting.isEmpty() ? "" : " and " + waiting.size() + " runs wait"));
    }
}
