package io.actord.daemon.testing;

import io.actord.cgroups.CgroupStats;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ContainerState;
import io.actord.runtime.ExchangeDirectory;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.FileTrees;
import io.actord.runtime.Signal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The {@link ContainerRuntime} of tests that need no root: containers with the real one's bookkeeping (output
 * pipe, exit, signals, re-attach, recorded exits, clean-ups) whose payload is pluggable ({@link FakePayload}):
 * by default the command is read as a small script in process, the way the privileged tests' payload binary
 * reads it ({@code exit N}, {@code echo}, {@code sleep S}, {@code trap-term S}, {@code ignore-term S},
 * {@code memhog MB}; {@code fail-start} makes {@link #create} throw); {@link #hostProcesses} runs it as a host
 * process instead. Containers can also be driven from the test ({@link FakeContainer#exit}).
 */
public final class FakeRuntime implements ContainerRuntime {
    private final FakePayload payload;
    private final AtomicLong pids = new AtomicLong(1000);
    private final List<FakeContainer> created = new CopyOnWriteArrayList<>();
    private final Map<String, FakeContainer> living = new ConcurrentHashMap<>();
    private final Map<String, ExitStatus> recorded = new ConcurrentHashMap<>();
    private final List<String> cleanedUp = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private volatile Consumer<ContainerSpec> onCreate = spec -> { };

    /** Containers whose command is read as a script in process. */
    public FakeRuntime() {
        this(FakePayload.scripted(Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-runtime");
            t.setDaemon(true);
            return t;
        })));
    }

    private FakeRuntime(FakePayload payload) {
        this.payload = payload;
    }

    /**
     * Containers whose command runs as a host process in {@code workDir} with exactly the spec's environment,
     * in the daemon's own namespaces: the published SDK then runs against a daemon without root.
     */
    public static FakeRuntime hostProcesses(Path workDir) {
        return new FakeRuntime(FakePayload.hostProcess(workDir));
    }

    @Override
    public Container create(ContainerSpec spec, BeforeStart beforeStart) {
        List<String> cmd = spec.command();
        if (cmd.get(0).equals("fail-start")) {
            throw new ContainerException("create container " + spec.id() + ": the payload asked to fail");
        }
        onCreate.accept(spec);
        FakeContainer c = new FakeContainer(spec, pids.incrementAndGet());
        peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        beforeStart.run(c);
        created.add(c);
        living.put(spec.id(), c);
        c.start();
        return c;
    }

    @Override
    public Optional<Container> attach(ContainerState state) {
        FakeContainer c = living.get(state.id());
        return c != null && c.pid() == state.pid() && !c.exit.isDone() ? Optional.of(c) : Optional.empty();
    }

    @Override
    public Optional<ExitStatus> exitStatusOf(ContainerState state) {
        return Optional.ofNullable(recorded.get(state.id()));
    }

    @Override
    public void cleanUp(ContainerState state) {
        cleanedUp.add(state.id());
    }

    @Override
    public String description() {
        return payload.description();
    }

    @Override
    public void close() {
        payload.close();
    }

    /** This runtime, with a close() that does nothing: for a test that restarts the daemon on the same containers. */
    public ContainerRuntime surviving() {
        FakeRuntime self = this;
        return new ContainerRuntime() {
            @Override
            public Container create(ContainerSpec spec, BeforeStart beforeStart) {
                return self.create(spec, beforeStart);
            }

            @Override
            public Optional<Container> attach(ContainerState state) {
                return self.attach(state);
            }

            @Override
            public Optional<ExitStatus> exitStatusOf(ContainerState state) {
                return self.exitStatusOf(state);
            }

            @Override
            public void cleanUp(ContainerState state) {
                self.cleanUp(state);
            }

            @Override
            public String description() {
                return self.description();
            }

            /** The containers outlive this daemon, as real ones outlive a restart; only its pipe readers end. */
            @Override
            public void close() {
                living.values().forEach(FakeContainer::detachReaders);
            }
        };
    }

    /**
     * Calls {@code hook} with the spec of each container as it is created, before it is listed in {@link #created}:
     * a test checks what must hold whenever a container starts (a host's memory, the order of starts).
     */
    public FakeRuntime onCreate(Consumer<ContainerSpec> hook) {
        this.onCreate = hook;
        return this;
    }

    /** Every container created so far, oldest first. */
    public List<FakeContainer> created() {
        return created;
    }

    /**
     * The containers made for run {@code runId} (its ACTOR_RUN_ID), oldest first: runs started one after the other may
     * get their containers in either order.
     */
    public List<FakeContainer> containersOf(String runId) {
        return created.stream().filter(c -> runId.equals(c.spec().env().get("ACTOR_RUN_ID"))).toList();
    }

    public FakeContainer last() {
        return created.get(created.size() - 1);
    }

    /** The most containers that were created and not yet closed by the daemon, at any one time. */
    public int peakOpen() {
        return peakOpen.get();
    }

    /** Containers whose leftovers recovery asked to remove. */
    public List<String> cleanedUp() {
        return cleanedUp;
    }

    /** Simulates a container that ended while no daemon watched: init recorded this status. */
    public void recordExit(String containerId, ExitStatus status) {
        recorded.put(containerId, status);
    }

    /** Waits until {@code n} containers have been created. */
    public FakeContainer awaitCreated(int n, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (created.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("only " + created.size() + " of " + n + " containers were created");
            }
            Thread.sleep(5);
        }
        return created.get(n - 1);
    }

    /** One fake container: an output pipe, an exit future, the signals it got. */
    public final class FakeContainer implements Container {
        private final ContainerSpec spec;
        private final long pid;
        private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        private final LinkedBlockingQueue<byte[]> pipe = new LinkedBlockingQueue<>();
        private volatile Output reader;
        private final List<Signal> signals = new CopyOnWriteArrayList<>();
        private volatile FakePayload.Started started;
        private volatile boolean closed;
        private volatile CompletableFuture<Void> releaseGate = CompletableFuture.completedFuture(null);
        private final Optional<Path> exchange;

        FakeContainer(ContainerSpec spec, long pid) {
            this.spec = spec;
            this.pid = pid;
            this.exchange = spec.exchange().map(e -> fill(spec.runDir().resolve("exchange"), e));
        }

        /** The exchange directory on the host, as the real runtime makes it on the writable layer. */
        private static Path fill(Path dir, ExchangeDirectory e) {
            try {
                Files.createDirectories(dir);
                for (Map.Entry<String, byte[]> file : e.files().entrySet()) {
                    Files.write(dir.resolve(file.getKey()), file.getValue());
                }
                return dir;
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }

        void start() {
            started = payload.start(this);
        }

        public ContainerSpec spec() {
            return spec;
        }

        public List<Signal> signals() {
            return signals;
        }

        public boolean closed() {
            return closed;
        }

        /** Writes to the container's output, as the workload would. */
        public void write(String text) {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        void write(byte[] bytes) {
            pipe.add(bytes);
        }

        /** Ends the workload with {@code status} (the first exit wins). */
        public void exit(ExitStatus status) {
            if (exit.isDone()) {
                return;
            }
            pipe.add(Output.EOF);
            living.remove(spec.id());
            exit.complete(status);
        }

        @Override
        public String id() {
            return spec.id();
        }

        @Override
        public long pid() {
            return started == null ? pid : started.pid(pid);
        }

        @Override
        public ContainerState state() {
            return new ContainerState(spec.id(), pid(), 42, spec.runDir());
        }

        @Override
        public void signal(Signal signal) {
            signals.add(signal);
            started.signal(signal);
        }

        @Override
        public void kill() {
            signals.add(Signal.SIGKILL);
            started.kill();
            exit(ExitStatus.killed(Signal.SIGKILL));
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return exit;
        }

        @Override
        public Optional<ExitStatus> awaitExit(Duration timeout) {
            try {
                return Optional.of(exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                return Optional.empty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public CgroupStats stats() {
            return new CgroupStats(64L << 20, 80L << 20, 1_000, 0, exit.isDone() && exit.join().oomKilled() ? 1 : 0,
                    1, 0);
        }

        /** Each daemon that watches the container gets its own reader of the same pipe, as a re-attached one does. */
        @Override
        public synchronized Optional<InputStream> output() {
            reader = new Output(pipe, reader == null ? 0 : reader.generation + 1);
            return Optional.of(reader);
        }

        /** The daemon that read the pipe stopped: its reader sees end of stream, later readers are unaffected. */
        synchronized void detachReaders() {
            if (reader != null) {
                pipe.add(Output.detach(reader.generation));
            }
        }

        @Override
        public Path networkNamespace() {
            return Path.of("/proc", Long.toString(pid), "ns", "net");
        }

        @Override
        public Optional<Path> exchangeDirectory() {
            return closed ? Optional.empty() : exchange;
        }

        /** The daemon's release of this container ({@link #close}) waits for {@code gate}, as a slow teardown would. */
        public void holdRelease(CompletableFuture<Void> gate) {
            releaseGate = gate;
        }

        @Override
        public synchronized void close() {
            releaseGate.join();
            if (!closed) {
                open.decrementAndGet();
            }
            closed = true;
            if (started != null && !exit.isDone()) {
                started.kill();
            }
            exit(ExitStatus.killed(Signal.SIGKILL));
            try {
                FileTrees.delete(spec.runDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A reader of the output pipe: chunks in a queue, ended by {@link #EOF} or by a detach token of its generation. */
    private static final class Output extends InputStream {
        static final byte[] EOF = new byte[0];
        private static final byte DETACH_MARK = 0x7F;
        final LinkedBlockingQueue<byte[]> queue;
        final int generation;
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        Output(LinkedBlockingQueue<byte[]> queue, int generation) {
            this.queue = queue;
            this.generation = generation;
        }

        /** A token that ends the reader of {@code generation}; an empty-marker array no workload writes. */
        static byte[] detach(int generation) {
            return new byte[]{DETACH_MARK, (byte) generation, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        }

        private static boolean isDetach(byte[] chunk) {
            return chunk.length == 17 && chunk[0] == DETACH_MARK && chunk[2] == 0 && chunk[16] == 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            while (pos >= current.length) {
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                pos = 0;
                if (current == EOF) {
                    queue.add(EOF);
                    ended = true;
                    return -1;
                }
                if (isDetach(current)) {
                    if (current[1] == (byte) generation) {
                        ended = true;
                        return -1;
                    }
                    current = new byte[0];
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
