package io.actord.daemon;

import io.actord.runtime.ContainerRuntime;

/** Opens the container runtime for the daemon, or an {@link UnavailableRuntime} that says why there is none. */
final class Runtimes {
    private Runtimes() {
    }

    static ContainerRuntime open(DaemonConfig config) {
        return new UnavailableRuntime("this build has no container runtime yet (the runtime issue adds it)");
    }
}
