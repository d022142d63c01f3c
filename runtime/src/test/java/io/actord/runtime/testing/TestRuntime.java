package io.actord.runtime.testing;

import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.CgroupManager;
import io.actord.cgroups.Cgroups;
import io.actord.cgroups.testing.Host;
import io.actord.runtime.Container;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.RuntimeConfig;
import io.actord.runtime.userns.UserNamespaceMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One {@link LinuxContainerRuntime} for a privileged test class, in a cgroup subtree and a temp directory
 * of its own, so tests never meet a running daemon's runs and leave nothing behind. Needs no Maven at
 * test time: the payload rootfs comes from the system property {@value #PAYLOAD_PROPERTY}, by default
 * from where the build puts it ({@link #payloadRootfs()}).
 */
public final class TestRuntime implements AutoCloseable {
    public static final String PAYLOAD_PROPERTY = "actord.payload.rootfs";
    public static final String USERNS_PROPERTY = "actord.userns";

    private final Path base;
    private final CgroupConfig cgroups;
    private final LinuxContainerRuntime runtime;

    private TestRuntime(Path base, CgroupConfig cgroups, LinuxContainerRuntime runtime) {
        this.base = base;
        this.cgroups = cgroups;
        this.runtime = runtime;
    }

    /** Skips (visibly) without root; prints the cgroup driver the class runs against. */
    public static TestRuntime open(Class<?> testClass) {
        Host.requireRoot(testClass);
        try {
            Path base = Files.createTempDirectory("actord-it-");
            CgroupConfig cgroups = new CgroupConfig("actord-it-" + ProcessHandle.current().pid());
            LinuxContainerRuntime runtime = LinuxContainerRuntime.open(config(base, cgroups));
            System.out.println(testClass.getSimpleName() + ": " + runtime.description());
            return new TestRuntime(base, cgroups, runtime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rootfs the build made: busybox-static and the payload program (src/test/c). Without the property,
     * it is found beside these test classes (runtime/target/test-classes, or the runtime's test-jar in
     * runtime/target when another module uses it), so no working directory is assumed.
     */
    public static Path payloadRootfs() {
        String property = System.getProperty(PAYLOAD_PROPERTY);
        Path rootfs = property != null ? Path.of(property).toAbsolutePath() : besideTestClasses();
        if (!Files.isExecutable(rootfs.resolve("bin/payload"))) {
            throw new IllegalStateException("no payload rootfs at " + rootfs + ": build it with"
                    + " `mvn -pl runtime -am verify` or point -D" + PAYLOAD_PROPERTY + " at one");
        }
        return rootfs;
    }

    private static Path besideTestClasses() {
        try {
            Path location = Path.of(TestRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent().resolve("payload-rootfs");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("locate the runtime's test classes", e);
        }
    }

    /** Whether this class's containers get a user namespace of their own unless their spec says otherwise. */
    public static boolean ownUserNamespaces() {
        return userNamespaceMode() == UserNamespaceMode.AUTO;
    }

    public LinuxContainerRuntime runtime() {
        return runtime;
    }

    /** A scratch directory of this test class, removed on close. */
    public Path base() {
        return base;
    }

    /** A spec for the payload rootfs with the id {@code it-NAME}: 128 MB, isolated, piped output. */
    public SpecBuilder spec(String name, String... command) {
        return new SpecBuilder("it-" + name, payloadRootfs(), base.resolve("runs/it-" + name), command);
    }

    /** A fresh runtime on the same subtree and directories, as a restarted daemon would open it. */
    public LinuxContainerRuntime reopen() {
        return LinuxContainerRuntime.open(config(base, cgroups));
    }

    /**
     * The runtime's defaults, but for {@code -Dactord.userns=auto|host}, which runs a test class with or
     * without a user namespace per container (the ITs must hold either way).
     */
    private static RuntimeConfig config(Path base, CgroupConfig cgroups) {
        return RuntimeConfig.defaults().withCgroups(cgroups).withLibDir(base.resolve("lib"))
                .withUserNamespace(userNamespaceMode());
    }

    /** {@code -Dactord.userns}, else the runtime's default. */
    public static UserNamespaceMode userNamespaceMode() {
        String userns = System.getProperty(USERNS_PROPERTY);
        return userns == null || userns.isBlank() ? RuntimeConfig.defaults().userNamespace()
                : UserNamespaceMode.parse(userns);
    }

    public CgroupManager cgroups() {
        return Cgroups.detect(cgroups);
    }

    /**
     * The whole output of a container with {@link io.actord.runtime.Output.Pipe}, read until EOF, waiting
     * {@code wait} on a plain host ({@link Host#patience}).
     */
    public static String output(Container container, Duration wait) {
        Duration timeout = Host.patience(wait);
        InputStream in = container.output().orElseThrow();
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return read.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            container.kill();
            throw new AssertionError("no end of output from " + container + " within " + timeout, e);
        }
    }

    /** Runs a container to its end and returns its output. */
    public String run(SpecBuilder spec) {
        try (Container c = runtime.create(spec.build())) {
            String out = output(c, Duration.ofSeconds(60));
            c.awaitExit(Host.patience(Duration.ofSeconds(10))).orElseThrow(() -> new AssertionError(c + " did not exit"));
            return out;
        }
    }

    @Override
    public void close() throws IOException {
        runtime.close();
        CgroupManager manager = cgroups();
        assertEquals(List.of(), manager.names(), "run cgroups left behind");
        manager.release();
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
