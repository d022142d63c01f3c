package io.actord.daemon;

import io.actord.runtime.Container;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ContainerState;
import io.actord.runtime.ExitStatus;

import java.util.Optional;

/**
 * A runtime that keeps nothing across daemon restarts: a container recorded by an earlier daemon is never
 * found again (recovery then marks its run lost), and there is nothing of it to clean up.
 */
public interface ForgetfulRuntime extends ContainerRuntime {
    @Override
    default Optional<Container> attach(ContainerState state) {
        return Optional.empty();
    }

    @Override
    default Optional<ExitStatus> exitStatusOf(ContainerState state) {
        return Optional.empty();
    }

    @Override
    default void cleanUp(ContainerState state) {
        // Nothing outlives the container's process.
    }
}
