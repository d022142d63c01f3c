package io.actord.daemon.build;

import io.actord.daemon.build.BuildFailedException.Cause;
import io.actord.daemon.build.ResolvedInstruction.Run;
import io.actord.daemon.image.BuildUser;
import io.actord.daemon.image.DirectoryTar;
import io.actord.daemon.image.Digest;
import io.actord.daemon.runoptions.RunSize;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.LayerFiles;
import io.actord.runtime.NetworkMode;
import io.actord.runtime.Output;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Executes one {@code RUN}: a container of the stage's image so far (its layers as the overlay's lower layers, a
 * fresh writable layer), the step's command, environment, working directory and user, sized and networked as a run
 * of the build's size and network would be (an egress step gets the runs' resolver), its output into the build log.
 * Cancelling the build kills it. After a zero exit, what it changed becomes the step's layer; the container is
 * closed in every case, which removes its cgroup, mounts and directories.
 */
final class StepRunner {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** How long the output may trail the exit (a background process of the step holding it is killed with init). */
    private static final long OUTPUT_DRAIN_MILLIS = 10_000;

    private final ContainerRuntime runtime;
    private final StepDns dns;
    private final Path containersDir;
    private final LayerFiles files;

    StepRunner(ContainerRuntime runtime, StepDns dns, Path containersDir, LayerFiles files) {
        this.runtime = runtime;
        this.dns = dns;
        this.containersDir = containersDir;
        this.files = files;
    }

    /** Runs {@code run} on {@code layers} (lowest first) and returns the layer it made, if it changed anything. */
    Optional<Digest> run(Run run, String text, List<Digest> layers, LayerStack image, BuildSession session) {
        if (layers.isEmpty()) {
            throw DockerfileException.at(run.line(), "RUN on an empty image (FROM scratch) has no command to run");
        }
        BuildRequest request = session.request();
        String id = request.buildId() + "-" + session.steps();
        ContainerSpec.User user = user(run, image);
        RunSize size = request.size();
        NetworkMode network = request.network().mode();
        ContainerSpec spec = new ContainerSpec(id, session.paths(layers), run.argv(), environment(run, user),
                run.workdir(), user, hostname(id), size.resources(), size.disk(), network, List.of(), new Output.Pipe(),
                containersDir.resolve(id));
        AtomicReference<AutoCloseable> resolver = new AtomicReference<>(() -> { });
        try (Container container = create(spec, network, resolver, text, session);
             AutoCloseable stop = session.control().onCancel(container::kill)) {
            Thread pump = pump(container, session.out(), id);
            ExitStatus exit = awaitExit(container);
            closeQuietly(resolver.getAndSet(() -> { }), session);
            pump.join(OUTPUT_DRAIN_MILLIS);
            session.checkCancelled();
            if (exit.oomKilled()) {
                throw session.failure(Cause.OUT_OF_MEMORY, "line " + run.line() + ": " + text
                        + ": out of memory: the build's memory is " + size.memoryMbytes() + " MB");
            }
            if (exit.code() != 0) {
                throw session.failure(Cause.STEP_FAILED, "line " + run.line() + ": " + text + ": exit code "
                        + exit.code());
            }
            Path upper = container.writableLayer().orElseThrow(() -> new IllegalStateException("container " + id
                    + " has no writable layer to read"));
            long offset = container.writableLayerIdOffset();
            if (!UpperDiff.prune(upper, image, offset)) {
                return Optional.empty();
            }
            return Optional.of(session.store(sink -> DirectoryTar.writeUpper(upper, files, offset, sink),
                    "step " + session.steps() + " of build " + request.buildId()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw session.failure(Cause.CANCELLED, "line " + run.line() + ": " + text + ": interrupted");
        } catch (BuildFailedException | DockerfileException e) {
            throw e;
        } catch (Exception e) {
            session.checkCancelled();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        } finally {
            closeQuietly(resolver.get(), session);
        }
    }

    /** The container id as a hostname: letters, digits, '-' and '.', at most 64 characters. */
    static String hostname(String id) {
        String name = id.replaceAll("[^A-Za-z0-9.-]", "-");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private Container create(ContainerSpec spec, NetworkMode network, AtomicReference<AutoCloseable> resolver,
                             String text, BuildSession session) {
        try {
            return runtime.create(spec, c -> {
                if (network == NetworkMode.EGRESS) {
                    resolver.set(dns.serve(spec.id(), c.networkNamespace()));
                }
            });
        } catch (ContainerException e) {
            session.checkCancelled();
            throw session.failure(Cause.STEP_FAILED, "line " + session.line().orElse(0) + ": " + text + ": "
                    + e.getMessage());
        } catch (IllegalArgumentException e) { // the spec: too many layers for one overlay, a bad working directory
            throw session.failure(Cause.INVALID, "line " + session.line().orElse(0) + ": " + text + ": "
                    + e.getMessage());
        }
    }

    private static ExitStatus awaitExit(Container container) throws InterruptedException {
        try {
            return container.onExit().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("wait for container " + container.id() + ": " + e.getCause(), e);
        }
    }

    /** The step's user as numbers, resolved against the image's /etc/passwd and /etc/group. */
    private static ContainerSpec.User user(Run run, LayerStack image) {
        try {
            BuildUser u = BuildUser.resolve(run.user().orElse(null), image.topFirst());
            return new ContainerSpec.User(u.uid(), u.gid(), List.of());
        } catch (io.actord.daemon.api.ApiException e) {
            throw DockerfileException.at(run.line(), "USER " + run.user().orElse("") + ": " + e.getMessage());
        }
    }

    /** The step's environment, with Docker's PATH and HOME when the image sets none. */
    private static Map<String, String> environment(Run run, ContainerSpec.User user) {
        Map<String, String> env = new LinkedHashMap<>(run.env());
        env.putIfAbsent("PATH", PATH);
        env.putIfAbsent("HOME", user.uid() == 0 ? "/root" : "/");
        return env;
    }

    private static Thread pump(Container container, BuildOutput out, String id) {
        Thread t = new Thread(() -> container.output().ifPresent(in -> copy(in, out)), "build-output-" + id);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void copy(InputStream in, BuildOutput out) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.append(buf, 0, n);
            }
        } catch (IOException e) {
            out.system("[Warning] the step's output ended early: " + e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable c, BuildSession session) {
        try {
            c.close();
        } catch (Exception e) {
            session.out().system("[Warning] close the step's resolver: " + e.getMessage());
        }
    }
}
