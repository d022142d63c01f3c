package io.actord.daemon.compat;

import io.actord.cgroups.CgroupStats;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ContainerState;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.NetworkNamespaces;
import io.actord.runtime.Signal;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A runtime that passes everything to another one and writes down the signals the daemon sends each
 * container ({@link Container#kill()} as SIGKILL), by the run id in the container's environment: what the
 * real runtime does not record, for checking which signals a run got.
 */
final class SignalRecordingRuntime implements ContainerRuntime {
    private final ContainerRuntime runtime;
    private final Map<String, List<Signal>> signals = new ConcurrentHashMap<>();

    SignalRecordingRuntime(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** The signals the containers of run {@code runId} got, in order. */
    List<Signal> signalsOf(String runId) {
        return List.copyOf(signals.getOrDefault(runId, List.of()));
    }

    @Override
    public Container create(ContainerSpec spec, BeforeStart beforeStart) {
        List<Signal> got = signals.computeIfAbsent(spec.env().getOrDefault("ACTOR_RUN_ID", spec.id()),
                k -> new CopyOnWriteArrayList<>());
        Map<Container, Container> wrapped = new ConcurrentHashMap<>();
        Container c = runtime.create(spec, inner -> beforeStart.run(wrapped.computeIfAbsent(inner,
                i -> new Recording(i, got))));
        return wrapped.computeIfAbsent(c, i -> new Recording(i, got));
    }

    @Override
    public Optional<Container> attach(ContainerState state) {
        List<Signal> got = signals.computeIfAbsent(state.id(), k -> new CopyOnWriteArrayList<>());
        return runtime.attach(state).map(c -> new Recording(c, got));
    }

    @Override
    public Optional<ExitStatus> exitStatusOf(ContainerState state) {
        return runtime.exitStatusOf(state);
    }

    @Override
    public void cleanUp(ContainerState state) {
        runtime.cleanUp(state);
    }

    @Override
    public Optional<NetworkNamespaces> networkNamespaces() {
        return runtime.networkNamespaces();
    }

    @Override
    public String description() {
        return runtime.description() + " (signals recorded)";
    }

    @Override
    public void close() {
        runtime.close();
    }

    /** One container, its signals written down. */
    private record Recording(Container container, List<Signal> got) implements Container {
        @Override
        public String id() {
            return container.id();
        }

        @Override
        public long pid() {
            return container.pid();
        }

        @Override
        public ContainerState state() {
            return container.state();
        }

        @Override
        public void signal(Signal signal) {
            got.add(signal);
            container.signal(signal);
        }

        @Override
        public void kill() {
            got.add(Signal.SIGKILL);
            container.kill();
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return container.onExit();
        }

        @Override
        public Optional<ExitStatus> awaitExit(Duration timeout) {
            return container.awaitExit(timeout);
        }

        @Override
        public CgroupStats stats() {
            return container.stats();
        }

        @Override
        public Optional<InputStream> output() {
            return container.output();
        }

        @Override
        public Path networkNamespace() {
            return container.networkNamespace();
        }

        @Override
        public void close() {
            container.close();
        }
    }
}
