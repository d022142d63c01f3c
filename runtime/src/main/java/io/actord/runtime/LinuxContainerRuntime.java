package io.actord.runtime;

import io.actord.cgroups.Cgroup;
import io.actord.cgroups.CgroupException;
import io.actord.cgroups.CgroupManager;
import io.actord.cgroups.Cgroups;
import io.actord.runtime.network.EgressNetwork;
import io.actord.runtime.network.NetworkAttachment;
import io.actord.runtime.process.ContainerLauncher;
import io.actord.runtime.process.ExecLauncher;
import io.actord.runtime.process.ExitWatcher;
import io.actord.runtime.process.InitBinary;
import io.actord.runtime.process.InitConfig;
import io.actord.runtime.process.InitProtocol;
import io.actord.runtime.process.LaunchPlan;
import io.actord.runtime.rootfs.RootfsLayout;
import io.actord.runtime.spec.SpecValidator;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.JnaLinux;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.userns.BindOwnership;
import io.actord.runtime.userns.IdRange;
import io.actord.runtime.userns.IdRangePool;
import io.actord.runtime.userns.IdmapSupport;
import io.actord.runtime.userns.UserNamespace;
import io.actord.runtime.userns.UserNamespaceMode;
import io.actord.runtime.userns.UserNamespaceSupply;
import io.actord.runtime.userns.UserNamespaces;
import io.actord.runtime.volume.WritableLayer;
import io.actord.runtime.volume.WritableLayers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Containers straight from namespaces, cgroups and actord-init (DESIGN.md, "Launching a container from a
 * JVM"). Thread-safe: any number of creates may run at once, each on its own launcher thread.
 *
 * <p>{@link #close()} stops watching; it leaves containers running, so that a restarted daemon can
 * {@link #attach} to them.
 */
public final class LinuxContainerRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxContainerRuntime.class);
    static final Path SUBUID = Path.of("/etc/subuid");
    static final Path SUBGID = Path.of("/etc/subgid");

    private final RuntimeConfig config;
    private final Linux linux;
    private final CgroupManager cgroups;
    private final Path initBinary;
    private final WritableLayers layers;
    private final ContainerLauncher launcher;
    private final ExecLauncher execs;
    private final ExitWatcher watcher;
    private final ExecutorService callbacks;
    private final Optional<EgressNetwork> network;
    private final IdRangePool idRanges;
    private final UserNamespaceSupply userNamespaces;
    private final IdmapSupport idmap;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * The directories of live containers this process holds open (upper, exchange): they keep a container's
     * volume mounted, so a runtime that closes lets go of them as a stopping daemon's process would.
     */
    private final Set<Fd> held = ConcurrentHashMap.newKeySet();

    private LinuxContainerRuntime(RuntimeConfig config, Linux linux, CgroupManager cgroups, Path initBinary,
                                  ExitWatcher watcher, Optional<EgressNetwork> network, IdRangePool idRanges) {
        this.config = config;
        this.linux = linux;
        this.cgroups = cgroups;
        this.initBinary = initBinary;
        this.layers = new WritableLayers(linux, config.libDir().resolve("ext4-templates"));
        this.launcher = new ContainerLauncher(linux);
        this.watcher = watcher;
        this.execs = new ExecLauncher(linux, watcher, initBinary, config.startTimeout());
        this.callbacks = Executors.newCachedThreadPool(daemonThreads("actord-exit-callback-"));
        this.network = network;
        this.idRanges = idRanges;
        this.userNamespaces = new UserNamespaceSupply(idRanges, new UserNamespaces(linux, initBinary));
        this.idmap = new IdmapSupport(linux);
    }

    /**
     * Detects the cgroup driver, extracts and checks actord-init, and starts the exit watcher. Call it from
     * an ordinary thread: it initialises JNA (which spawns ldconfig) and starts threads, all of which must
     * happen in the host's namespaces before any launcher thread exists.
     */
    public static LinuxContainerRuntime open(RuntimeConfig config) {
        return open(config, Optional.empty());
    }

    /**
     * As {@link #open(RuntimeConfig)}, with the network {@link NetworkMode#EGRESS} containers join (given
     * by its setup, so that {@code linux} is the one it opens namespaces with).
     */
    public static LinuxContainerRuntime open(RuntimeConfig config,
                                             Optional<Function<Linux, EgressNetwork>> network) {
        Linux linux = new JnaLinux();
        CgroupManager cgroups = Cgroups.detect(config.cgroups());
        // Also warms up the spawn path (JNA's native structures, its cleaner thread) on this thread.
        Path init = InitBinary.install(config.libDir(), linux);
        ContainerLauncher.preload();
        Optional<EgressNetwork> egress = network.map(n -> n.apply(linux));
        egress.ifPresent(EgressNetwork::prepareHost);
        // Before any container is made: the ranges of those still running (a restart) are taken.
        IdRangePool idRanges = IdRangePool.configured(SUBUID, SUBGID);
        idRanges.claimLive(Path.of("/proc"));
        boolean usable = config.userNamespace() == UserNamespaceMode.HOST || userNamespacesWork(linux, init, idRanges);
        RuntimeConfig effective = usable ? config : config.withUserNamespace(UserNamespaceMode.HOST);
        LinuxContainerRuntime runtime = new LinuxContainerRuntime(effective, linux, cgroups, init,
                ExitWatcher.start(linux), egress, idRanges);
        LOG.info("container runtime ready: {}", runtime.description());
        return runtime;
    }

    /**
     * Whether this host lets the runtime make a user namespace (user.max_user_namespaces may be 0, a
     * container manager above may forbid it): when not, a runtime whose default is {@link UserNamespaceMode#AUTO}
     * gives containers the host's ids, and says so once, rather than fail every one.
     */
    private static boolean userNamespacesWork(Linux linux, Path init, IdRangePool idRanges) {
        IdRange range = idRanges.allocate();
        try (Fd userns = new UserNamespaces(linux, init).create(range)) {
            return userns.isOpen();
        } catch (RuntimeException e) {
            LOG.warn("user namespaces are unavailable here, containers get the host's ids: {}", e.getMessage());
            return false;
        } finally {
            idRanges.release(range);
        }
    }

    @Override
    public Container create(ContainerSpec spec, BeforeStart beforeStart) {
        checkOpen();
        SpecValidator.validate(spec);
        long t0 = System.nanoTime();
        Teardown teardown = new Teardown(spec.id());
        Optional<UserNamespace> userns = Optional.empty();
        try {
            userns = userNamespace(spec);
            Optional<IdRange> range = userns.map(UserNamespace::range);
            range.ifPresent(r -> teardown.push("give back the id range " + r, () -> idRanges.release(r)));
            Path runDir = ContainerDirectory.create(spec.runDir());
            teardown.push("remove " + runDir, () -> FileTrees.delete(runDir));
            Cgroup cgroup = cgroups.create(spec.id(), spec.resources());
            teardown.push("destroy cgroup " + cgroup.path(), cgroup::destroy);
            long t1 = System.nanoTime();
            WritableLayer layer = layers.prepare(runDir, spec.disk());
            teardown.push("release the writable layer", () -> layer.release(WritableLayers.RELEASE_TIMEOUT));
            long t2 = System.nanoTime();
            InitIo io = InitIo.open(linux, runDir, spec.output());
            teardown.push("close actord-init's descriptors", io::close);
            List<BindMount> mounts = new ArrayList<>(spec.mounts());
            if (spec.network() == NetworkMode.EGRESS) {
                mounts.addAll(egress().files(runDir, spec.hostname()));
            }
            if (range.isPresent()) {
                giveWritableBinds(mounts, range.get());
            }
            ContainerLauncher.Launched launched = launcher.launch(launchPlan(spec, runDir, layer, io, mounts, userns));
            // actord-init holds the namespace from here on.
            userns.ifPresent(UserNamespace::close);
            long pid = launched.pid();
            hold(teardown, "close the upper directory", launched.upper());
            launched.exchange().ifPresent(fd -> hold(teardown, "close the exchange directory", fd));
            io.spawned();
            spec.exchange().ifPresent(e -> ContainerDirectory.write(runDir, ContainerDirectory.EXCHANGE_PATH, e.path()));
            long t3 = System.nanoTime();
            InitProcess init = InitProcess.spawned(linux, watcher, pid);
            teardown.push("close the pidfd of actord-init", init::close);
            LinuxContainer container = new LinuxContainer(spec.id(), runDir, init, cgroup, io.output(),
                    new LinuxContainer.Directories(launched.exchange(), Optional.of(launched.upper()),
                            range.map(IdRange::root).orElse(0L)), teardown, callbacks);
            teardown.push("stop actord-init", container::stop);
            layer.launched();
            // The gate: init waits for its configuration until it sits in the cgroup (every hierarchy). The
            // first pid written to any cgroup.procs costs an RCU grace period (the cgroup threadgroup rwsem),
            // 1-20 ms here with load; writing the launcher thread's "0" into the v1 tasks files first would
            // skip that for v1, but the unified hierarchy still needs this pid, so on hybrid hosts it saved
            // nothing (measured: median 8.7 ms both ways) and on v2 it does not exist.
            cgroup.addProcess(pid);
            if (spec.network() == NetworkMode.EGRESS) {
                NetworkAttachment attachment = egress().attach(spec.id(), pid, runDir, spec.hostname());
                // Runs before "stop actord-init": the attachment holds the namespace, so DEL finds the veth.
                teardown.push("take the container off the network", attachment::close);
                container.attached(attachment);
            }
            beforeStart.run(container);
            long t4 = System.nanoTime();
            InitConfig entrypoint = initConfig(spec, range.isPresent());
            InitProtocol.start(linux, io.sync(), entrypoint, config.startTimeout());
            io.started();
            container.execsWith(execs, entrypoint);
            long t5 = System.nanoTime();
            container.started(new StartTimings(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1),
                    Duration.ofNanos(t3 - t2), Duration.ofNanos(t4 - t3), Duration.ofNanos(t5 - t4),
                    Duration.ofNanos(t5 - t0)));
            LOG.debug("container={} pid={} started timings={}", spec.id(), pid, container.startTimings());
            return container;
        } catch (RuntimeException e) {
            ContainerException failure = new ContainerException("create container " + spec.id() + ": "
                    + e.getMessage(), e);
            userns.ifPresent(UserNamespace::close);
            teardown.run(failure);
            throw failure;
        }
    }

    private LaunchPlan launchPlan(ContainerSpec spec, Path runDir, WritableLayer layer, InitIo io,
                                  List<BindMount> mounts, Optional<UserNamespace> userns) {
        RootfsLayout rootfs = new RootfsLayout(spec.layers(), runDir.resolve(ContainerDirectory.ROOTFS), layer.upper(),
                layer.work(), layer.volume());
        Map<Integer, Fd> initFds = new HashMap<>(io.initFds());
        userns.ifPresent(u -> initFds.put(InitProtocol.FD_USERNS, u.fd()));
        return new LaunchPlan(spec.id(), rootfs, mounts, spec.hostname(), spec.network(), initBinary,
                initFds, spec.exchange(), spec.user(), userns);
    }

    /**
     * A user namespace with a range of its own, for a container that gets one (the spec's mode, else ours).
     * Layers on a filesystem that takes no idmapped mount fail a spec that asks for one; under the runtime's
     * default the container gets the host's ids instead ({@link IdmapSupport} says so once).
     */
    private Optional<UserNamespace> userNamespace(ContainerSpec spec) {
        UserNamespaceMode mode = spec.userNamespace().orElse(config.userNamespace());
        if (mode == UserNamespaceMode.HOST) {
            return Optional.empty();
        }
        UserNamespace userns = userNamespaces.take();
        try {
            Optional<Path> layer = idmap.firstUnsupported(spec.layers(), userns.fd());
            if (layer.isEmpty()) {
                return Optional.of(userns);
            }
            if (spec.userNamespace().isPresent()) {
                throw new ContainerException("a user namespace of its own needs idmapped layers, and the filesystem"
                        + " of " + layer.get() + " takes no idmapped mount");
            }
        } catch (RuntimeException e) {
            userns.close();
            idRanges.release(userns.range());
            throw e;
        }
        userns.close();
        idRanges.release(userns.range());
        LOG.debug("container={} gets the host's ids: its layers cannot be idmapped", spec.id());
        return Optional.empty();
    }

    /** What the container may write through a bind must be its own ({@link BindOwnership}). */
    private void giveWritableBinds(List<BindMount> mounts, IdRange range) {
        for (BindMount bind : mounts) {
            if (!bind.readOnly() && Files.isDirectory(bind.source())) {
                BindOwnership.shift(linux, bind.source(), range, idRanges);
            }
        }
    }

    private EgressNetwork egress() {
        return network.orElseThrow(() -> new IllegalArgumentException(
                "the container asks for the egress network, and this runtime has none"));
    }

    private InitConfig initConfig(ContainerSpec spec, boolean userns) {
        return new InitConfig(spec.command(),
                new TreeMap<>(spec.env()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                spec.workDir(), spec.user().uid(), spec.user().gid(), spec.user().groups(), config.security(),
                userns, spec.limits());
    }

    @Override
    public Optional<Container> attach(ContainerState state) {
        checkOpen();
        Optional<InitProcess> found = InitProcess.find(linux, watcher, state.pid(), state.pidStartTicks());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        InitProcess init = found.get();
        Teardown teardown = new Teardown(state.id());
        try {
            // Its range was taken when the runtime opened (claimLive); it is given back when the container ends.
            Optional<IdRange> range = IdRangePool.uidMapOf(Path.of("/proc", Long.toString(state.pid())))
                    .filter(idRanges::claim);
            range.ifPresent(r -> teardown.push("give back the id range " + r, () -> idRanges.release(r)));
            teardown.push("remove " + state.runDir(), () -> FileTrees.delete(state.runDir()));
            Cgroup cgroup = cgroups.find(state.id()).orElseThrow(() -> new ContainerException(
                    "actord-init (pid " + state.pid() + ") lives but cgroup " + state.id() + " is gone"));
            teardown.push("destroy cgroup " + cgroup.path(), cgroup::destroy);
            WritableLayer layer = layers.find(state.runDir());
            teardown.push("release the writable layer", () -> layer.release(WritableLayers.RELEASE_TIMEOUT));
            Optional<InputStream> output = reopenOutput(state.pid());
            if (output.isPresent()) {
                InputStream stream = output.get();
                teardown.push("close the output pipe", stream::close);
            }
            Optional<Fd> exchange = reopenExchange(state);
            exchange.ifPresent(fd -> hold(teardown, "close the exchange directory", fd));
            teardown.push("close the pidfd of actord-init", init::close);
            LinuxContainer container = new LinuxContainer(state.id(), state.runDir(), init, cgroup, output,
                    new LinuxContainer.Directories(exchange, Optional.empty(), 0), teardown, callbacks);
            teardown.push("stop actord-init", container::stop);
            Optional<NetworkAttachment> attachment = network.flatMap(n -> n.reattach(state.id(), state.pid(),
                    state.runDir()));
            if (attachment.isPresent()) {
                teardown.push("take the container off the network", attachment.get()::close);
                container.attached(attachment.get());
            }
            LOG.info("container={} pid={} re-attached", state.id(), state.pid());
            return Optional.of(container);
        } catch (RuntimeException e) {
            init.close();
            throw new ContainerException("attach container " + state.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The exchange directory of a container that was running while no daemon watched it: opened through
     * init's root without following any symlink, since the workload may have replaced a component by one.
     */
    private Optional<Fd> reopenExchange(ContainerState state) {
        Path recorded = state.runDir().resolve(ContainerDirectory.EXCHANGE_PATH);
        try {
            if (!Files.exists(recorded)) {
                return Optional.empty();
            }
            List<String> names = Arrays.stream(Files.readString(recorded).split("/")).filter(n -> !n.isEmpty())
                    .toList();
            return Optional.of(linux.openDirectoryBeneath(Path.of("/proc/" + state.pid() + "/root"), names));
        } catch (IOException | RuntimeException e) {
            LOG.warn("container={} its exchange directory cannot be opened again, so what the workload leaves there"
                    + " is not read: {}", state.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** actord-init keeps the output pipe's read end as fd 5: open the same pipe through it. */
    private static Optional<InputStream> reopenOutput(long pid) {
        Path copy = Path.of("/proc/" + pid + "/fd/" + InitProtocol.FD_OUTPUT_COPY);
        try {
            return Files.readSymbolicLink(copy).toString().startsWith("pipe:")
                    ? Optional.of(InitIo.reopen(copy)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<ExitStatus> exitStatusOf(ContainerState state) {
        boolean oom = cgroups.find(state.id()).map(c -> c.stats().oomKills() > 0).orElse(false);
        return LinuxContainer.recordedExit(state.runDir()).map(s -> s.withOomKilled(oom));
    }

    @Override
    public void cleanUp(ContainerState state) {
        Teardown teardown = new Teardown(state.id());
        // Last-first: kill what is left with the cgroup, then wait for the layer, then delete the files.
        teardown.push("remove " + state.runDir(), () -> FileTrees.delete(state.runDir()));
        teardown.push("release the writable layer",
                () -> layers.find(state.runDir()).release(WritableLayers.RELEASE_TIMEOUT));
        teardown.push("destroy cgroup " + state.id(), () -> cgroups.find(state.id()).ifPresent(Cgroup::destroy));
        network.ifPresent(n -> teardown.push("take the container off the network",
                () -> n.cleanUp(state.id(), state.runDir())));
        teardown.run();
    }

    @Override
    public Set<String> containerIds() {
        return Set.copyOf(cgroups.names());
    }

    @Override
    public Optional<EgressNetwork> network() {
        return network;
    }

    /** Every container has a network namespace of its own, entered with setns through the runtime's {@link Linux}. */
    @Override
    public Optional<NetworkNamespaces> networkNamespaces() {
        return Optional.of(new NetworkNamespaces(linux));
    }

    /** The host id ranges of this runtime's user namespaces (which are taken, for status and tests). */
    public IdRangePool idRanges() {
        return idRanges;
    }

    /** Where this runtime's containers get their user namespaces from. */
    public UserNamespaceSupply userNamespaces() {
        return userNamespaces;
    }

    @Override
    public String description() {
        return "actord runtime: " + cgroups.description() + "; actord-init " + initBinary + "; user namespaces "
                + config.userNamespace().wireName() + " (" + idRanges + ")";
    }

    /** Stops the exit watcher; containers keep running (see the class comment). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            watcher.close();
            callbacks.shutdown();
            userNamespaces.close();
            held.forEach(Fd::close);
            // Containers outlive the runtime (a restarting daemon re-attaches); with none left, a clean
            // stop leaves no empty cgroup subtree behind either.
            try {
                cgroups.release();
            } catch (CgroupException e) {
                LOG.warn("cgroups release failed: {}", e.getMessage());
            }
        }
    }

    private void hold(Teardown teardown, String what, Fd dir) {
        held.add(dir);
        teardown.push(what, () -> {
            held.remove(dir);
            dir.close();
        });
    }

    /** No container may be made or attached without an exit watcher to reap it. */
    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the container runtime is closed");
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
