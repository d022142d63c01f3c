package io.actord.runtime.process;

import io.actord.runtime.ContainerException;
import io.actord.runtime.Signal;
import io.actord.runtime.rootfs.RootfsBuilder;
import io.actord.runtime.rootfs.RootfsLayout;
import io.actord.runtime.sys.Errno;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.MountSpec;
import io.actord.runtime.sys.OpenMode;
import io.actord.runtime.sys.SpawnSpec;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.sys.WaitStatus;
import io.actord.runtime.userns.UserNamespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static io.actord.runtime.sys.MountFlag.MS_NODEV;
import static io.actord.runtime.sys.MountFlag.MS_NOEXEC;
import static io.actord.runtime.sys.MountFlag.MS_NOSUID;

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
        if (plan.userNamespace().isPresent()) {
            UserNamespace userns = plan.userNamespace().get();
            rootfs.build(idmapped(plan.rootfs(), userns), plan.mounts(), OptionalLong.of(userns.range().root()));
        } else {
            rootfs.build(plan.rootfs(), plan.mounts());
        }
        launch.upper = linux.open(plan.rootfs().upper(), OpenMode.DIRECTORY);
        long idOffset = plan.userNamespace().map(u -> u.range().root()).orElse(0L);
        launch.exchange = plan.exchange().map(e -> rootfs.exchange(plan.rootfs().merged(), e,
                Math.toIntExact(idOffset + plan.owner().uid()), Math.toIntExact(idOffset + plan.owner().gid())));
        linux.setHostname(plan.hostname());
        if (plan.network().ownNamespace()) {
            linux.bringUpLoopback();
            allowPingAndLowPorts(plan.userNamespace().isPresent());
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
     * The layers as the container's user namespace sees them: each one idmapped (its on-disk ids k show as
     * the host ids the namespace maps k to), in this thread's mount namespace only; the layers on disk stay
     * as they are, shared by every container and build. Their mount points are on a tmpfs mounted where the
     * overlay goes next, so the run directory on the host gains nothing; the overlay holds its own clones of
     * the layers' mounts, and the tmpfs under it goes with the old root after pivot_root.
     */
    private RootfsLayout idmapped(RootfsLayout layout, UserNamespace userns) {
        Path lower = layout.merged();
        linux.mount(MountSpec.filesystem("tmpfs", lower, "tmpfs", EnumSet.of(MS_NOSUID, MS_NODEV, MS_NOEXEC),
                "mode=700"));
        List<Path> layers = new ArrayList<>();
        for (int i = 0; i < layout.layers().size(); i++) {
            Path target = lower.resolve(Integer.toString(i));
            try {
                Files.createDirectory(target);
            } catch (IOException e) {
                throw new UncheckedIOException("create " + target, e);
            }
            linux.idmappedBind(layout.layers().get(i), target, userns.fd());
            layers.add(target);
        }
        return new RootfsLayout(layers, layout.merged(), layout.upper(), layout.work(), layout.volume());
    }

    /**
     * Runs have no CAP_NET_RAW (a packet socket's frames would pass no egress rule), so ICMP echo sockets,
     * which the egress policy does see, are opened to every group, as Docker does; in a user namespace the
     * container's root has no CAP_NET_BIND_SERVICE over the network namespace this thread made either, so ports
     * below 1024 are opened to every id too. These sysctls are per network namespace: this thread's new one.
     */
    private void allowPingAndLowPorts(boolean userNamespace) {
        if (userNamespace) {
            linux.setSysctl("net.ipv4.ip_unprivileged_port_start", "0");
        }
        linux.setSysctl("net.ipv4.ping_group_range", "0 2147483647");
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
