package io.actord.daemon;

import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ContainerState;
import io.actord.runtime.ExitStatus;

import java.util.Optional;

/**
 * The runtime when containers cannot be made on this host (no root, no runtime in the build): the API
 * still serves, and every run fails to start with the reason, instead of the daemon refusing to start.
 */
final class UnavailableRuntime implements ContainerRuntime {
    private final String reason;

    UnavailableRuntime(String reason) {
        this.reason = reason;
    }

    @Override
    public Container create(ContainerSpec spec, BeforeStart beforeStart) {
        throw new ContainerException("containers are unavailable: " + reason);
    }

    @Override
    public Optional<Container> attach(ContainerState state) {
        return Optional.empty();
    }

    @Override
    public Optional<ExitStatus> exitStatusOf(ContainerState state) {
        return Optional.empty();
    }

    @Override
    public void cleanUp(ContainerState state) {
        // Nothing was ever made by this runtime, so nothing is left to remove.
    }

    @Override
    public String description() {
        return "unavailable (" + reason + ")";
    }

    @Override
    public void close() {
        // Holds no resources.
    }
}
