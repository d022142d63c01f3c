package io.actord.runtime.process;

import io.actord.runtime.ContainerException;
import io.actord.runtime.Signal;
import io.actord.runtime.rootfs.RootfsBuilder;
import io.actord.runtime.sys.Errno;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.MountSpec;
import io.actord.runtime.sys.OpenMode;
import io.actord.runtime.sys.SpawnSpec;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.sys.WaitStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The launcher thread's sequence (DESIGN.md): on a fresh platform thread that is discarded afterwards,
 * unshare the namespaces, build the rootfs, set the hostname, bring up lo, pivot_root, posix_spawn
 * actord-init and detach the old root.
 *
 * <p>Rules this class keeps: the thread never starts another thread or submits work anywhere (new threads
 * inherit its namespaces, and after unshare(CLONE_NEWPID) it cannot create any); nothing after pivot_root
 * resolves a host path or loads a class from a directory (everything it needs is built before); and the
 * daemon's own threads never see a namespace or root change.
 */
public final class ContainerLauncher {
    private final Linux linux;
    private final RootfsBuilder rootfs;

    public ContainerLauncher(Linux linux) {
        this.linux = linux;
        this.rootfs = new RootfsBuilder(linux);
    }

    /**
     * Loads, on an ordinary thread, what the launcher thread may need after pivot_root, when classes can no
     * longer be loaded from a directory on the host (exploded class paths: tests, the v2 guest; classes in an
     * already open jar still load): the error path of a failed spawn or detach, and reaping.
     */
    public static void preload() {
        RuntimeException error = new SyscallException("preload", Errno.EINVAL.number(), SyscallException.symbol("X"),
                List.of(Signal.SIGKILL), Path.of("/"));
        error.addSuppressed(new ContainerException(error.getMessage()));
        WaitStatus.decode(0).toString();
    }

    /**
     * actord-init's pid, the plan's exchange directory and the overlay's upper directory, both opened (the
     * caller closes them): only this process can reach them once the container's mount namespace is gone.
     */
    public record Launched(long pid, Optional<Fd> exchange, Fd upper) {
    }

    /**
     * Runs the sequence on a new launcher thread and returns actord-init's pid once that thread has ended.
     * Init is then blocked on its gate. On failure nothing of the launch is left: namespaces and mounts die
     * with the thread, an init already spawned is killed and reaped, and the exchange directory is closed.
     */
    public Launched launch(LaunchPlan plan) {
        Launch launch = new Launch(plan);
        Thread thread = new Thread(launch, "actord-launch-" + plan.id());
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        // Not interruptible: returning early would lose the pid of an init that is being spawned.
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (launch.failure != null) {
            launch.exchange.ifPresent(Fd::close);
            if (launch.upper != null) {
                launch.upper.close();
            }
            throw launch.failure instanceof RuntimeException r ? r
                    : new ContainerException("launch container " + plan.id() + ": " + launch.failure, launch.failure);
        }
        return new Launched(launch.pid, launch.exchange, launch.upper);
    }

    private long run(LaunchPlan plan, Launch launch) {
        linux.unshare(plan.namespaces());
        // Nothing mounted from here on may propagate back to the host (systemd makes "/" shared).
        linux.mount(MountSpec.privateRecursive(Path.of("/")));
        rootfs.build(plan.rootfs(), plan.mounts());
        launch.upper = linux.open(plan.rootfs().upper(), OpenMode.DIRECTORY);
        launch.exchange = plan.exchange().map(e -> rootfs.exchange(plan.rootfs().merged(), e, plan.owner().uid(),
                plan.owner().gid()));
        linux.setHostname(plan.hostname());
        if (plan.network().ownNamespace()) {
            linux.bringUpLoopback();
            allowPing();
        }
        SpawnSpec init = plan.initSpawn();
        linux.pivotRoot(plan.rootfs().merged());
        long pid = linux.spawn(init);
        try {
            linux.detachOldRoot();
        } catch (RuntimeException e) {
            killAndReap(pid, e);
            throw e;
        }
        return pid;
    }

    /**
     * ICMP echo sockets (SOCK_DGRAM, IPPROTO_ICMP) for every group in the new network namespace, as Docker
     * sets it: runs have no CAP_NET_RAW (its frames would pass no egress rule), and ping falls back to these,
     * which the egress policy does see. /proc/sys/net is the opener's namespace, this thread's new one.
     */
    private void allowPing() {
        try (Fd range = linux.open(Path.of("/proc/sys/net/ipv4/ping_group_range"), OpenMode.TRUNCATE)) {
            linux.writeFully(range, "0 2147483647".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void killAndReap(long pid, RuntimeException cause) {
        try (Fd pidfd = linux.pidfdOpen(pid)) {
            linux.pidfdSendSignal(pidfd, Signal.SIGKILL);
            linux.waitpid(pid, false);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** The thread's body; its fields are read after join(), which orders them. */
    private final class Launch implements Runnable {
        private final LaunchPlan plan;
        private long pid;
        private Optional<Fd> exchange = Optional.empty();
        private Fd upper;
        private Throwable failure;

        Launch(LaunchPlan plan) {
            this.plan = plan;
        }

        @Override
        public void run() {
            try {
                pid = ContainerLauncher.this.run(plan, this);
            } catch (Throwable t) {
                failure = t;
            }
        }
    }
}
