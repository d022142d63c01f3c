package io.actord.daemon.testing;

import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.CgroupManager;
import io.actord.cgroups.testing.Host;
import io.actord.cgroups.Cgroups;
import io.actord.daemon.common.Json;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.RuntimeConfig;
import io.actord.runtime.testing.TestRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The container runtime for integration tests: the real one when this host can run it (root, the payload
 * rootfs built by the runtime module), with the reason when it cannot, so a test skips visibly. Each real
 * runtime gets a cgroup subtree and a library directory of its own, so tests never meet a running
 * daemon's runs and leave nothing behind.
 */
public final class ItRuntime {
    private static final AtomicInteger SUBTREES = new AtomicInteger();

    private ItRuntime() {
    }

    /** Why the real runtime cannot be used here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!Host.isRoot()) {
            return Optional.of("requires root (real namespaces and cgroups)");
        }
        try {
            TestRuntime.payloadRootfs();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    /** A runtime and how to make actors for it. */
    public interface Choice extends AutoCloseable {
        ContainerRuntime runtime();

        String description();

        /** Whether {@link #helloActor} greets the name in its INPUT (the real hello does, the fake one cannot). */
        boolean readsInput();

        /** An actor whose build runs {@code cmd} (a payload command: exit N, sleep S, ...); returns its id. */
        String actor(TestDaemon daemon, String name, String... cmd) throws IOException;

        /** The sample actor hello, or a stand-in that prints "Hello, client!". */
        String helloActor(TestDaemon daemon, String name) throws IOException;

        @Override
        void close();
    }

    /** The real runtime when available, else the fake one. */
    public static Choice realOrFake(Path dir) {
        return unavailableReason().isPresent() ? fake() : real(dir);
    }

    /** The real runtime in {@code dir}; call only when {@link #unavailableReason()} is empty. */
    public static Choice real(Path dir) {
        Path lib = dir.resolve("lib");
        String subtree = subtree();
        LinuxContainerRuntime runtime = LinuxContainerRuntime.open(RuntimeConfig.defaults()
                .withCgroups(new CgroupConfig(subtree)).withLibDir(lib)
                .withUserNamespace(TestRuntime.userNamespaceMode()));
        return new Choice() {
            @Override
            public ContainerRuntime runtime() {
                return runtime;
            }

            @Override
            public String description() {
                return "the real runtime: " + runtime.description();
            }

            @Override
            public boolean readsInput() {
                return true;
            }

            @Override
            public String actor(TestDaemon daemon, String name, String... cmd) throws IOException {
                return daemon.actor(name, payloadRootfs(), payloadCommand(cmd));
            }

            @Override
            public String helloActor(TestDaemon daemon, String name) throws IOException {
                Path rootfs = dir.resolve("hello-rootfs");
                if (!Files.exists(rootfs)) {
                    run(checkout().resolve("samples/hello/make-rootfs.sh").toString(), rootfs.toString());
                }
                return daemon.actor(name, rootfs, List.of("/bin/sh", "/hello.sh"));
            }

            /**
             * Closes the runtime if no daemon did (a failed start; closing is idempotent), then checks and
             * removes the cgroup subtree.
             */
            @Override
            public void close() {
                runtime.close();
                releaseSubtree(subtree);
            }
        };
    }

    /**
     * Removes a test's cgroup subtree once its daemon has stopped.
     *
     * @throws AssertionError naming the run cgroups left in it: a run whose container was not released
     */
    public static void releaseSubtree(String subtree) {
        CgroupManager cgroups = Cgroups.detect(new CgroupConfig(subtree));
        List<String> left = cgroups.names();
        if (!left.isEmpty()) {
            throw new AssertionError("run cgroups left behind in " + subtree + ": " + left);
        }
        cgroups.release();
    }

    /** A cgroup subtree for one test runtime: unique per JVM and call. */
    public static String subtree() {
        return "actord-it-" + ProcessHandle.current().pid() + "-" + SUBTREES.incrementAndGet();
    }

    /** The in-process {@link FakeRuntime}, which the daemon closes. */
    public static Choice fake() {
        FakeRuntime runtime = new FakeRuntime();
        return new Choice() {
            @Override
            public ContainerRuntime runtime() {
                return runtime;
            }

            @Override
            public String description() {
                return "the in-process fake runtime (" + unavailableReason().orElse("") + ")";
            }

            @Override
            public boolean readsInput() {
                return false;
            }

            @Override
            public String actor(TestDaemon daemon, String name, String... cmd) throws IOException {
                return daemon.actor(name, cmd);
            }

            @Override
            public String helloActor(TestDaemon daemon, String name) throws IOException {
                return daemon.actor(name, "echo", "Hello, client!");
            }

            @Override
            public void close() {
                // The daemon closes the runtime.
            }
        };
    }

    /** The runtime's test payload rootfs (busybox + /bin/payload), built by the runtime module. */
    public static Path payloadRootfs() {
        return TestRuntime.payloadRootfs();
    }

    /**
     * The checkout's top directory, from where these test classes are (daemon/target/test-classes, or the
     * daemon's test-jar in daemon/target), so no working directory is assumed.
     */
    public static Path checkout() {
        try {
            Path location = Path.of(ItRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent().getParent().getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("locate the daemon's test classes", e);
        }
    }

    /** A payload command ({@code sleep 300}) as the entrypoint; anything starting with '/' is used as it is. */
    public static List<String> payloadCommand(String... cmd) {
        if (cmd[0].startsWith("/")) {
            return List.of(cmd);
        }
        List<String> full = new ArrayList<>(List.of("/bin/payload"));
        full.addAll(List.of(cmd));
        return full;
    }

    /** A build body for the API: rootfs and command. */
    public static String buildBody(Path rootfs, List<String> cmd) throws IOException {
        return Json.MAPPER.writeValueAsString(Map.of("rootfs", rootfs.toString(), "cmd", cmd));
    }


    private static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
