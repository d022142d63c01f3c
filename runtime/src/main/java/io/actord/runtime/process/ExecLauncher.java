package io.actord.runtime.process;

import io.actord.runtime.ContainerException;
import io.actord.runtime.ExecProcess;
import io.actord.runtime.ExecSpec;
import io.actord.runtime.Signal;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.FdPair;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.OpenMode;
import io.actord.runtime.sys.SpawnSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Starts a command in a running container: the exec of runc's nsexec, with actord-init as its native step
 * ({@link InitProtocol} has the protocol). The JVM cannot enter a mount or user namespace (it is
 * multithreaded), so it opens the namespaces of the container's init, spawns {@code actord-init --exec} on
 * the host with them, puts it into the container's cgroup while it waits at the gate, and sends it the
 * container's own process settings with the command: it joins, drops privileges as the entrypoint did, forks
 * the command into the pid namespace and reports. Any ordinary daemon thread may call it (the spawn happens
 * in the host's namespaces); nothing here touches the start path of containers.
 */
public final class ExecLauncher {
    /** The init's namespaces the command joins, in this order; the user namespace comes last ('N'). */
    static final List<String> NAMESPACES = List.of("cgroup", "ipc", "uts", "net", "pid", "mnt");
    /** Where the namespaces go in actord-init --exec: after fd 6, the user namespace's place. */
    static final int FIRST_NAMESPACE_FD = InitProtocol.FD_USERNS + 1;
    static final Path DEV_NULL = Path.of("/dev/null");

    private final Linux linux;
    private final ExitWatcher watcher;
    private final Path initBinary;
    private final Duration timeout;

    public ExecLauncher(Linux linux, ExitWatcher watcher, Path initBinary, Duration timeout) {
        this.linux = linux;
        this.watcher = watcher;
        this.initBinary = initBinary;
        this.timeout = timeout;
    }

    /** Where a command runs: the container's init, its process settings, and how to join its cgroup. */
    public record Target(String containerId, long initPid, BooleanSupplier initAlive, InitConfig profile,
                         LongConsumer placeInCgroup) {
    }

    /**
     * Runs {@code spec} in {@code target}; returns once the command is forked inside.
     *
     * @throws ContainerException when the container's init is gone, or actord-init --exec failed (its message)
     */
    public ExecProcess launch(Target target, ExecSpec spec) {
        List<Fd> daemonEnds = new ArrayList<>();
        List<Fd> childEnds = new ArrayList<>();
        try {
            Map<Integer, Fd> fds = new HashMap<>();
            List<Integer> joined = new ArrayList<>();
            Path ns = Path.of("/proc", Long.toString(target.initPid()), "ns");
            for (String name : NAMESPACES) {
                int number = FIRST_NAMESPACE_FD + joined.size();
                fds.put(number, track(childEnds, linux.open(ns.resolve(name), OpenMode.READ)));
                joined.add(number);
            }
            if (target.profile().userNamespace()) {
                fds.put(InitProtocol.FD_USERNS, track(childEnds, linux.open(ns.resolve("user"), OpenMode.READ)));
            }
            // Opened by pid: they are the container's only if that pid is still its init now.
            if (!target.initAlive().getAsBoolean()) {
                throw new ContainerException("container " + target.containerId() + " has ended");
            }
            Stdio stdio = stdio(spec, fds, daemonEnds, childEnds);
            FdPair sync = linux.socketPair();
            track(daemonEnds, sync.first());
            fds.put(InitProtocol.FD_SYNC, track(childEnds, sync.second()));
            long pid = linux.spawn(SpawnSpec.of(initBinary.toString(), List.of("actord-init", "--exec"), List.of(),
                    fds));
            childEnds.forEach(Fd::close);
            LaunchedExec exec = LaunchedExec.watch(linux, watcher, pid);
            try {
                target.placeInCgroup().accept(pid);
                byte[] config = InitProtocol.encodeExec(target.profile().withArgs(spec.command()), joined, spec.tty());
                Optional<Fd> master = InitProtocol.startExec(linux, sync.first(), config, timeout);
                sync.first().close();
                return exec.started(spec, stdio, master);
            } catch (RuntimeException e) {
                exec.kill();
                throw e;
            }
        } catch (RuntimeException e) {
            childEnds.forEach(Fd::close);
            daemonEnds.forEach(Fd::close);
            throw new ContainerException("exec " + spec.command().get(0) + " in container " + target.containerId()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The daemon's ends of the command's stdio when it has no tty (with one, the master comes from init). */
    record Stdio(Optional<Fd> stdin, Optional<Fd> stdout, Optional<Fd> stderr) {
    }

    private Stdio stdio(ExecSpec spec, Map<Integer, Fd> fds, List<Fd> daemonEnds, List<Fd> childEnds) {
        Fd devNull = track(childEnds, linux.open(DEV_NULL, OpenMode.READ_WRITE));
        if (spec.tty().isPresent()) {
            fds.put(InitProtocol.FD_STDIN, devNull);
            fds.put(InitProtocol.FD_STDOUT, devNull);
            fds.put(InitProtocol.FD_STDERR, devNull);
            return new Stdio(Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<Fd> stdin = Optional.empty();
        if (spec.stdin()) {
            FdPair pipe = linux.pipe();
            fds.put(InitProtocol.FD_STDIN, track(childEnds, pipe.first()));
            stdin = Optional.of(track(daemonEnds, pipe.second()));
        } else {
            fds.put(InitProtocol.FD_STDIN, devNull);
        }
        FdPair out = linux.pipe();
        fds.put(InitProtocol.FD_STDOUT, track(childEnds, out.second()));
        FdPair err = linux.pipe();
        fds.put(InitProtocol.FD_STDERR, track(childEnds, err.second()));
        return new Stdio(stdin, Optional.of(track(daemonEnds, out.first())), Optional.of(track(daemonEnds,
                err.first())));
    }

    private static Fd track(List<Fd> list, Fd fd) {
        list.add(fd);
        return fd;
    }

    /** SIGKILL through the pidfd; false once the process is gone. */
    static boolean kill(Linux linux, Fd pidfd) {
        return pidfd.isOpen() && linux.pidfdSendSignal(pidfd, Signal.SIGKILL);
    }
}
