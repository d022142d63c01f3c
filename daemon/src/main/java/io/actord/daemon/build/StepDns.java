package io.actord.daemon.build;

import java.nio.file.Path;

/**
 * Serves DNS inside a build step's network namespace, as runs get it (the daemon's resolver at the address the
 * step's resolv.conf names); {@code network.RunDns#serve} is the daemon's. Only egress steps ask.
 */
@FunctionalInterface
public interface StepDns {
    /** No resolver: where the runtime has no egress network, or in tests. */
    StepDns NONE = (id, netns) -> () -> { };

    /**
     * Opens the resolver for the container {@code id} whose network namespace is {@code netns}, until the handle is
     * closed.
     */
    AutoCloseable serve(String id, Path netns);
}
