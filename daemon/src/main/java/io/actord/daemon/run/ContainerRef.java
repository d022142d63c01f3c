package io.actord.daemon.run;

import io.actord.runtime.ContainerState;

import java.nio.file.Path;

/** The stored form of a run's {@link ContainerState}: what a restarted daemon re-attaches to. */
public record ContainerRef(String id, long pid, long pidStartTicks, String runDir) {
    public static ContainerRef of(ContainerState state) {
        return new ContainerRef(state.id(), state.pid(), state.pidStartTicks(), state.runDir().toString());
    }

    public ContainerState toState() {
        return new ContainerState(id, pid, pidStartTicks, Path.of(runDir));
    }
}
