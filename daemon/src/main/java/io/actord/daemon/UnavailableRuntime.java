package io.actord.daemon;

import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ContainerSpec;

import java.util.Optional;

/**
 * The runtime when containers cannot be made on this host (no root, no runtime in the build): the API
 * still serves, and every run fails to start with the reason, instead of the daemon refusing to start.
 */
final class UnavailableRuntime implements ForgetfulRuntime {
    private final String reason;

    UnavailableRuntime(String reason) {
        this.reason = reason;
    }

    @Override
    public Container create(ContainerSpec spec, BeforeStart beforeStart) {
        throw new ContainerException("containers are unavailable: " + reason);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of(reason);
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
