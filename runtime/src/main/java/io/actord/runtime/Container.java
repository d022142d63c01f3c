package io.actord.runtime;

import io.actord.cgroups.CgroupStats;
import io.actord.runtime.network.NetCounters;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A started container. Thread-safe. */
public interface Container extends AutoCloseable {
    String id();

    /** actord-init's pid in the host's pid namespace. */
    long pid();

    /** What the daemon must remember to {@link ContainerRuntime#attach(ContainerState) re-attach} later. */
    ContainerState state();

    /**
     * Sends a signal to actord-init, which forwards it to the workload (SIGTERM, SIGINT, SIGHUP, SIGUSR1/2;
     * SIGKILL kills init and with it the whole container). No effect once init has exited.
     */
    void signal(Signal signal);

    /** SIGKILLs every process of the container now (the whole cgroup); {@link #onExit()} completes soon after. */
    void kill();

    /** Completes when actord-init has exited and been reaped. */
    CompletableFuture<ExitStatus> onExit();

    /** Waits for the exit; empty if {@code timeout} passed first. */
    Optional<ExitStatus> awaitExit(Duration timeout);

    /**
     * Runs another command in this running container ({@link ExecSpec} says in what). Returns once it is
     * forked inside; it ends when it exits, is killed, or the container ends (it is in the container's pid
     * namespace and cgroup).
     *
     * @throws ContainerException when the container has ended, or the command cannot be started in it
     */
    default ExecProcess exec(ExecSpec spec) {
        throw new ContainerException("container " + id() + ": this runtime cannot run a command in it");
    }

    /**
     * Whether {@link #exec} can work on this container while it runs: the real runtime's containers can unless
     * they were re-attached after a daemon restart (their entrypoint's settings are not kept).
     */
    default boolean canExec() {
        return false;
    }

    /** The cgroup's counters now (or the last ones read, after the exit). */
    CgroupStats stats();

    /**
     * The workload's stdout and stderr, merged, when the spec asked for {@link Output.Pipe}: read it until
     * end of stream (the workload closed both, usually by exiting).
     */
    Optional<InputStream> output();

    /**
     * The spec's {@link ExchangeDirectory} as a path this process can read, also after the exit, until
     * {@link #close()} or its runtime's; empty when the spec has none, or a re-attached container's could not be
     * opened.
     * Whatever is there is the workload's: read it without following symlinks.
     */
    default Optional<Path> exchangeDirectory() {
        return Optional.empty();
    }

    /**
     * The upper directory of the container's overlay (what the workload changed, with overlayfs's whiteouts
     * and opaque directories) as a path this process can read, also after the exit, until {@link #close()} or
     * its runtime's; empty for a re-attached container. The files are the workload's: read them without following symlinks.
     */
    default Optional<Path> writableLayer() {
        return Optional.empty();
    }

    /**
     * The host id that the container's id 0 is on the files of its {@link #writableLayer()}: the first id of its
     * user namespace's range, 0 without one. A diff of the layer subtracts it to get the ids the image sees.
     */
    default long writableLayerIdOffset() {
        return 0;
    }

    /** The container's network namespace (/proc/PID/ns/net while it lives), for opening sockets inside it. */
    Path networkNamespace();

    /**
     * What the container received and sent on its network interface, when it has one
     * ({@link NetworkMode#EGRESS}); the last values stay readable after the exit, until {@link #close()}.
     */
    default Optional<NetCounters> networkCounters() {
        return Optional.empty();
    }

    /**
     * Kills what is still running and tears everything down: waits until init is reaped, reads the cgroup's
     * last counters, waits for the quota volume's loop device to detach, removes the cgroup and the run
     * directory. Idempotent, safe at any point. Every step runs even if one fails; the first failure is
     * thrown as a {@link ContainerException} with the others suppressed.
     */
    @Override
    void close();
}
