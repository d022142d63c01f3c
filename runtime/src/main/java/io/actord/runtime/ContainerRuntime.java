package io.actord.runtime;

import io.actord.runtime.network.EgressNetwork;

import java.util.Optional;
import java.util.Set;

/** Creates containers and finds the ones that outlived a daemon restart. */
public interface ContainerRuntime extends AutoCloseable {
    /**
     * Builds the container and starts its workload. Returns once the entrypoint has been exec'd inside
     * its cgroup; on failure everything made so far is undone and a {@link ContainerException} says why
     * (actord-init's own message when it failed inside, e.g. "exec /bin/nope: ENOENT (No such file or
     * directory)"; failures of the undo steps are suppressed exceptions of it).
     *
     * @throws IllegalArgumentException when the spec is invalid, listing every problem; nothing is made then
     */
    default Container create(ContainerSpec spec) {
        return create(spec, BeforeStart.NONE);
    }

    /**
     * As {@link #create(ContainerSpec)}, running {@code beforeStart} once the container's namespaces exist
     * and its init sits in its cgroup, but before the entrypoint is exec'd: what the workload needs from its
     * first instruction (a listener inside its network namespace) is ready then. If it throws, the create
     * fails and is undone.
     */
    Container create(ContainerSpec spec, BeforeStart beforeStart);

    /** Work on a container that exists but whose workload has not started yet. */
    @FunctionalInterface
    interface BeforeStart {
        BeforeStart NONE = container -> {
        };

        void run(Container container);
    }

    /**
     * Re-attaches to a container created by an earlier daemon process, from the state it saved
     * ({@link Container#state()}). Empty when that container is gone; its exit status can then be read with
     * {@link #exitStatusOf(ContainerState)} and its leftovers removed with {@link #cleanUp(ContainerState)}.
     */
    Optional<Container> attach(ContainerState state);

    /** The exit status actord-init recorded for a container that ended while no daemon watched it. */
    Optional<ExitStatus> exitStatusOf(ContainerState state);

    /** Removes what a dead container left (cgroup, scratch files); idempotent. */
    void cleanUp(ContainerState state);

    /**
     * The ids of the containers this runtime holds on the host now, living or not (their cgroups), so that a
     * restarted daemon can remove those no run owns with {@link #cleanUp(ContainerState)}, which kills what still
     * runs in them.
     */
    default Set<String> containerIds() {
        return Set.of();
    }

    /**
     * How the daemon enters a container's network namespace to make sockets there, when each container gets
     * one of its own ({@link Container#networkNamespace()}): whatever serves a workload must then listen
     * inside it. Empty when workloads share the daemon's namespace.
     */
    default Optional<NetworkNamespaces> networkNamespaces() {
        return Optional.empty();
    }

    /** The egress network its containers may join, when it has one (the real runtime in egress mode). */
    default Optional<EgressNetwork> network() {
        return Optional.empty();
    }

    /** Why this runtime cannot make containers now, or empty when it can (the daemon's {@code /readyz}). */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /** Host facts for status output, e.g. the cgroup driver in use. */
    String description();

    @Override
    void close();
}
