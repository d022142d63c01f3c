package io.actord.runtime;

import io.actord.cgroups.Cgroup;
import io.actord.cgroups.CgroupException;
import io.actord.cgroups.CgroupStats;
import io.actord.runtime.network.NetCounters;
import io.actord.runtime.network.NetworkAttachment;
import io.actord.runtime.process.ExecLauncher;
import io.actord.runtime.process.InitConfig;
import io.actord.runtime.process.InitProtocol;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.WaitStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** A container made (or re-attached) by {@link LinuxContainerRuntime}. */
final class LinuxContainer implements Container {
    /** SIGKILL of a whole cgroup takes 1–25 ms here; this is for a kernel under heavy load. */
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final String id;
    private final Path runDir;
    private final InitProcess init;
    private final Cgroup cgroup;
    private final Optional<InputStream> output;
    private final Directories directories;
    private final Teardown teardown;
    private final Executor callbacks;
    /** Completes on the exit watcher's thread, after the cgroup's counters were read. */
    private final CompletableFuture<ExitStatus> exit;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CgroupStats lastStats;
    private volatile StartTimings startTimings;
    private volatile Optional<NetworkAttachment> network = Optional.empty();
    /** How a command is run in it, and with what settings (its entrypoint's); null when re-attached. */
    private volatile ExecLauncher execs;
    private volatile InitConfig profile;

    LinuxContainer(String id, Path runDir, InitProcess init, Cgroup cgroup, Optional<InputStream> output,
                   Directories directories, Teardown teardown, Executor callbacks) {
        this.id = id;
        this.runDir = runDir;
        this.init = init;
        this.cgroup = cgroup;
        this.output = output;
        this.directories = directories;
        this.teardown = teardown;
        this.callbacks = callbacks;
        this.exit = init.exited().thenApply(this::exitStatus);
    }

    /**
     * How init's exit translates: what init recorded for the entrypoint if it got that far, else init's
     * own end (a SIGKILL from {@link #kill()} leaves no record); OOM from the cgroup's counter, read before
     * the cgroup can be removed.
     */
    private ExitStatus exitStatus(Optional<WaitStatus> wait) {
        lastStats = readStats().orElse(lastStats);
        ExitStatus status = recordedExit(runDir).orElseGet(() -> wait
                .map(w -> w.signaled()
                        ? Signal.of(w.signal()).map(ExitStatus::killed)
                                .orElse(new ExitStatus(128 + w.signal(), Optional.empty(), false))
                        : ExitStatus.exited(w.exitCode()))
                .orElse(ExitStatus.killed(Signal.SIGKILL)));
        return status.withOomKilled(lastStats != null && lastStats.oomKills() > 0);
    }

    /** What actord-init wrote to the run directory's exit-status file, if it wrote anything. */
    static Optional<ExitStatus> recordedExit(Path runDir) {
        try {
            byte[] recorded = Files.readAllBytes(runDir.resolve(ContainerDirectory.EXIT_STATUS));
            return InitProtocol.parseExitStatus(new String(recorded, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ContainerException("read " + runDir.resolve(ContainerDirectory.EXIT_STATUS) + ": " + e.getMessage(), e);
        }
    }

    private Optional<CgroupStats> readStats() {
        try {
            return Optional.of(cgroup.stats());
        } catch (CgroupException e) {
            return Optional.empty();
        }
    }

    /** The container's place on the runtime's network (its counters come from there). */
    void attached(NetworkAttachment attachment) {
        this.network = Optional.of(attachment);
    }

    void started(StartTimings timings) {
        this.startTimings = timings;
    }

    /** Commands run in it ({@link #exec}) with {@code entrypoint}'s settings. */
    void execsWith(ExecLauncher launcher, InitConfig entrypoint) {
        this.profile = entrypoint;
        this.execs = launcher;
    }

    @Override
    public boolean canExec() {
        return execs != null;
    }

    @Override
    public ExecProcess exec(ExecSpec spec) {
        ExecLauncher launcher = execs;
        if (exit.isDone()) {
            throw new ContainerException("container " + id + " has ended");
        }
        if (launcher == null) {
            throw new ContainerException("container " + id + " was re-attached after a daemon restart, and the"
                    + " settings of its entrypoint (user, environment, working directory) were not kept, so no"
                    + " command can be run in it");
        }
        long pid = init.pid();
        return launcher.launch(new ExecLauncher.Target(id, pid,
                () -> !exit.isDone() && InitProcess.startTicks(pid).orElse(-1) == init.startTicks(), profile,
                cgroup::addProcess), spec);
    }

    /** How long each step of create took (for the benchmark's breakdown and debug logs). */
    StartTimings startTimings() {
        return startTimings;
    }

    /** How long each teardown step took, once {@link #close()} ran. */
    Map<String, Duration> closeTimings() {
        return teardown.timings();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long pid() {
        return init.pid();
    }

    @Override
    public ContainerState state() {
        return new ContainerState(id, init.pid(), init.startTicks(), runDir);
    }

    @Override
    public void signal(Signal signal) {
        init.signal(signal);
    }

    @Override
    public void kill() {
        try {
            cgroup.kill();
        } catch (CgroupException e) {
            if (!exit.isDone()) {
                throw new ContainerException("kill container " + id + ": " + e.getMessage(), e);
            }
        }
        // PID 1's death takes the whole pid namespace with it, even a process the cgroup kill raced with.
        init.signal(Signal.SIGKILL);
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit.thenApplyAsync(Function.identity(), callbacks);
    }

    @Override
    public Optional<ExitStatus> awaitExit(Duration timeout) {
        try {
            return Optional.of(exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new ContainerException("container " + id + ": reading its exit failed: " + e.getCause(),
                    e.getCause());
        }
    }

    @Override
    public CgroupStats stats() {
        if (exit.isDone()) {
            return lastStats;
        }
        return readStats().orElse(lastStats);
    }

    @Override
    public Optional<InputStream> output() {
        return output;
    }

    /**
     * The directories of the container this process holds open: see {@link Container#exchangeDirectory()}.
     *
     * @param idOffset see {@link Container#writableLayerIdOffset()}
     */
    record Directories(Optional<Fd> exchange, Optional<Fd> upper, long idOffset) {
    }

    @Override
    public Optional<Path> exchangeDirectory() {
        return path(directories.exchange());
    }

    @Override
    public Optional<Path> writableLayer() {
        return path(directories.upper());
    }

    @Override
    public long writableLayerIdOffset() {
        return directories.idOffset();
    }

    private static Optional<Path> path(Optional<Fd> dir) {
        return dir.filter(Fd::isOpen).map(fd -> Path.of("/proc/self/fd/" + fd.number()));
    }

    @Override
    public Path networkNamespace() {
        return Path.of("/proc/" + init.pid() + "/ns/net");
    }

    @Override
    public Optional<NetCounters> networkCounters() {
        return network.map(NetworkAttachment::counters);
    }

    /** The teardown step that comes first: kill what still runs and wait until init is reaped. */
    void stop() {
        if (!exit.isDone()) {
            kill();
        }
        if (awaitExit(KILL_TIMEOUT).isEmpty()) {
            throw new ContainerException("actord-init (pid " + init.pid() + ") did not exit within "
                    + KILL_TIMEOUT.toMillis() + " ms of SIGKILL");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            teardown.run();
        }
    }

    @Override
    public String toString() {
        return "container " + id + " (init pid " + init.pid() + ")";
    }
}
