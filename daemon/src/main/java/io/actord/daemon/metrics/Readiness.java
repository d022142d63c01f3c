package io.actord.daemon.metrics;

import io.actord.daemon.state.StateStore;
import io.actord.runtime.ContainerRuntime;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the daemon can serve runs now: its container runtime can make containers and its state store takes
 * writes. Liveness ({@code /healthz}) asks less: only that the daemon answers.
 */
final class Readiness {
    private final ContainerRuntime runtime;
    private final StateStore store;

    Readiness(ContainerRuntime runtime, StateStore store) {
        this.runtime = runtime;
        this.store = store;
    }

    /** What is unavailable, one line each ("state store: …"); empty when ready. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        runtime.unavailableReason().ifPresent(r -> problems.add("container runtime: " + r));
        store.unavailableReason().ifPresent(r -> problems.add("state store: " + r));
        return problems;
    }
}
