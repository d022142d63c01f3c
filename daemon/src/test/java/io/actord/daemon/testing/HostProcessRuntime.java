package io.actord.daemon.testing;

import io.actord.cgroups.CgroupStats;
import io.actord.daemon.ForgetfulRuntime;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ContainerState;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ContainerRuntime} for tests without root: the "container" is the spec's command run as a plain
 * host process with exactly the spec's environment, in the daemon's own network namespace. It lets the
 * published SDK run against the daemon (its in-run endpoint then listens on a host loopback port) before
 * real containers are available. SIGTERM and the kill reach the process and its descendants.
 */
public final class HostProcessRuntime implements ForgetfulRuntime {
    private final Path workDir;
    private final List<HostContainer> created = new CopyOnWriteArrayList<>();

    /** @param workDir the processes' working directory (where their scripts' node_modules are) */
    public HostProcessRuntime(Path workDir) {
        this.workDir = workDir;
    }

    /** Host processes share the daemon's namespaces, so nothing needs doing before one starts: the hook runs after. */
    @Override
    public Container create(ContainerSpec spec, BeforeStart beforeStart) {
        ProcessBuilder pb = new ProcessBuilder(spec.command()).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(spec.env());
        try {
            HostContainer c = new HostContainer(spec, pb.start());
            beforeStart.run(c);
            created.add(c);
            return c;
        } catch (IOException e) {
            throw new ContainerException("start " + spec.command() + ": " + e.getMessage());
        }
    }

    @Override
    public String description() {
        return "host processes (test runtime)";
    }

    /** Stops every process still running. */
    @Override
    public void close() {
        created.forEach(HostContainer::kill);
    }

    public List<HostContainer> created() {
        return created;
    }

    /** One host process standing in for a container. */
    public static final class HostContainer implements Container {
        private final ContainerSpec spec;
        private final Process process;
        private final CompletableFuture<ExitStatus> exit;
        private final List<Signal> signals = new CopyOnWriteArrayList<>();

        HostContainer(ContainerSpec spec, Process process) {
            this.spec = spec;
            this.process = process;
            this.exit = process.onExit().thenApply(p -> p.exitValue() > 128
                    ? ExitStatus.killed(p.exitValue() == 143 ? Signal.SIGTERM : Signal.SIGKILL)
                    : ExitStatus.exited(p.exitValue()));
        }

        public ContainerSpec spec() {
            return spec;
        }

        public List<Signal> signals() {
            return signals;
        }

        @Override
        public String id() {
            return spec.id();
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public ContainerState state() {
            return new ContainerState(spec.id(), process.pid(), 0, spec.runDir());
        }

        @Override
        public void signal(Signal signal) {
            signals.add(signal);
            if (signal == Signal.SIGTERM) {
                process.destroy();
            }
        }

        @Override
        public void kill() {
            signals.add(Signal.SIGKILL);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return exit;
        }

        @Override
        public Optional<ExitStatus> awaitExit(Duration timeout) {
            try {
                return Optional.of(exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                return Optional.empty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public CgroupStats stats() {
            return new CgroupStats(0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public Optional<InputStream> output() {
            return Optional.of(process.getInputStream());
        }

        @Override
        public Path networkNamespace() {
            return Path.of("/proc/self/ns/net");
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
        }
    }
}
