package io.actord.runtime;

import io.actord.runtime.testing.SpecBuilder;
import io.actord.runtime.testing.TestRuntime;
import io.actord.runtime.userns.IdRange;
import io.actord.runtime.userns.IdRangePool;
import io.actord.runtime.userns.UserNamespaceMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Containers with a user namespace of their own ({@link UserNamespaceMode#AUTO}, asked for by each spec here,
 * whatever the runtime's default): root inside, an unprivileged range of host ids outside, on every file they
 * write, and nothing of the host's root.
 */
@Tag("privileged")
class UserNamespaceIT {
    private static TestRuntime rt;
    /**
     * The payload rootfs, copied onto an ext4 image: the layers must be on a filesystem that takes idmapped
     * mounts, and the v2 guest's checkout is on a share that does not, nor is its tmpfs (before Linux 6.3).
     */
    private static Path layer;
    private static Path layers;

    @BeforeAll
    static void open() throws Exception {
        rt = TestRuntime.open(UserNamespaceIT.class);
        Path image = rt.base().resolve("layers.img");
        Path mountPoint = Files.createDirectories(rt.base().resolve("layers"));
        sh("truncate", "-s", "64M", image.toString());
        sh("mkfs.ext4", "-q", "-F", image.toString());
        // A loop device with autoclear: the umount frees it.
        sh("mount", "-o", "loop", image.toString(), mountPoint.toString());
        layers = mountPoint;
        layer = layers.resolve("payload-rootfs");
        sh("cp", "-a", TestRuntime.payloadRootfs().toString(), layer.toString());
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }

    /** {@link TestRuntime#spec} on the copied layer, with a user namespace of its own. */
    private static SpecBuilder spec(String name, String... command) {
        return new SpecBuilder("it-" + name, layer, rt.base().resolve("runs/it-" + name), command)
                .userNamespace(UserNamespaceMode.AUTO);
    }

    @AfterAll
    static void close() throws Exception {
        try {
            if (layers != null) {
                sh("umount", layers.toString());
            }
        } finally {
            if (rt != null) {
                rt.close();
            }
        }
    }

    @Test
    void shouldRunAsRootInsideAndAsAHighUnprivilegedUidOnTheHost() throws Exception {
        try (Container c = rt.runtime().create(spec("ids", "/bin/sh", "-c",
                "id -u; id -g; cat /proc/self/uid_map; echo ready; exec /bin/payload sleep 30")
                .userNamespace(UserNamespaceMode.AUTO).build())) {
            BufferedReader out = reader(c);
            assertEquals("0", out.readLine(), "root inside");
            assertEquals("0", out.readLine());
            List<String> map = Arrays.stream(out.readLine().strip().split("\\s+")).toList();
            assertEquals("ready", out.readLine());
            long hostRoot = Long.parseLong(map.get(1));

            assertEquals(List.of("0", Long.toString(hostRoot), "65536"), map);
            assertTrue(hostRoot >= IdRange.CONTAINER_IDS, "the run's root is no host account: " + hostRoot);
            String ids = hostRoot + "\t" + hostRoot + "\t" + hostRoot + "\t" + hostRoot;
            Path workload = onlyChild(c.pid());
            assertEquals("Uid:\t" + ids, statusLine(workload, "Uid:"), "seen from the host");
            assertEquals("Gid:\t" + ids, statusLine(workload, "Gid:"));
            assertEquals("Uid:\t" + ids, statusLine(Path.of("/proc", Long.toString(c.pid())), "Uid:"), "and init");
            c.kill();
        }
    }

    @Test
    void shouldGiveWhatItWritesOnItsRootAndInABindMountToItsHostIds() throws Exception {
        Path shared = Files.createDirectories(rt.base().resolve("shared"));
        try (Container c = rt.runtime().create(spec("files", "/bin/sh", "-c",
                "touch /on-root /data/in-bind && chown 1000:1000 /data/in-bind && echo ready"
                        + " && exec /bin/payload sleep 30")
                .userNamespace(UserNamespaceMode.AUTO).mount(new BindMount(shared, "/data", false)).build())) {
            assertEquals("ready", reader(c).readLine());
            long hostRoot = hostRoot(c);

            Path onRoot = Path.of("/proc", Long.toString(c.pid()), "root", "on-root");
            assertEquals(hostRoot, owner(onRoot, "uid"), "the writable layer, seen from the host");
            assertEquals(hostRoot, owner(onRoot, "gid"));
            assertEquals(hostRoot + 1000, owner(shared.resolve("in-bind"), "uid"), "the bind's source on the host");
            assertEquals(hostRoot + 1000, owner(shared.resolve("in-bind"), "gid"));
            assertEquals(hostRoot, owner(shared, "uid"), "the bind's directory was given to the run's root");
            c.kill();
        }
    }

    @Test
    void shouldSeeImageFilesAsOwnedByItsRootWithoutCopyingTheLayer() throws Exception {
        Path rootfs = layer;
        long onDisk = owner(rootfs.resolve("bin/payload"), "uid");

        String out = rt.run(spec("layer", "/bin/sh", "-c",
                "stat -c '%u:%g' /bin/payload; echo changed >> /bin/payload && stat -c '%u:%g' /bin/payload")
                .userNamespace(UserNamespaceMode.AUTO));

        assertEquals(List.of(onDisk + ":" + onDisk, onDisk + ":" + onDisk), lines(out),
                "the idmapped layer shows the image's own ids inside, before and after a copy-up");
        assertEquals(onDisk, owner(rootfs.resolve("bin/payload"), "uid"), "and the layer on disk is untouched");
        assertFalse(Files.readString(rootfs.resolve("bin/payload"), StandardCharsets.ISO_8859_1).endsWith("changed\n"));
    }

    @Test
    void shouldGiveTwoLiveContainersDisjointRanges() throws Exception {
        try (Container a = sleeper("range-a"); Container b = sleeper("range-b")) {
            IdRange ra = rangeOf(a);
            IdRange rb = rangeOf(b);

            assertTrue(ra.hostStart() + ra.size() <= rb.hostStart() || rb.hostStart() + rb.size() <= ra.hostStart(),
                    ra + " and " + rb + " overlap");
            assertTrue(rt.runtime().idRanges().isTaken(ra));
            assertTrue(rt.runtime().idRanges().isTaken(rb));
            a.kill();
            b.kill();
        }
    }

    @Test
    void shouldKeepAHostRootOnlyFileUnreadableToTheRunsRootAndItsCapabilities() throws Exception {
        Path secret = Files.writeString(rt.base().resolve("secret"), "host secret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path rootDir = Files.createDirectories(rt.base().resolve("root-only"));
        Files.setPosixFilePermissions(rootDir, PosixFilePermissions.fromString("rwx------"));

        String script = "grep CapEff /proc/self/status; cat /secret 2>&1; ls /root-only 2>&1;"
                + " chmod 644 /secret 2>&1; chown 0 /secret 2>&1; cat /proc/1/root/secret 2>&1; echo done";
        for (UserNamespaceMode mode : List.of(UserNamespaceMode.AUTO, UserNamespaceMode.HOST)) {
            String out = rt.run(spec("secret-" + mode.wireName(), "/bin/sh", "-c", script).userNamespace(mode)
                    .mount(new BindMount(secret, "/secret", true)).mount(new BindMount(rootDir, "/root-only", true)));
            System.out.println("UserNamespaceIT: " + mode.wireName() + ": " + out.replace('\n', '|'));
            assertTrue(out.contains("done"), out);
            if (mode == UserNamespaceMode.AUTO) {
                assertFalse(out.contains("host secret"), "CAP_DAC_OVERRIDE holds only over the run's own ids: " + out);
                assertTrue(out.contains("cat: can't open '/secret': Permission denied"), out);
                assertTrue(out.contains("Permission denied") && out.contains("/root-only"), out);
                assertFalse(out.contains("CapEff:\t0000000000000000"), "it still has Docker's set, inside: " + out);
            } else {
                assertTrue(out.contains("host secret"), "the control: the host's root reads it: " + out);
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    }

    /** A restart: the new runtime takes the live container's range before it hands any out, and frees it at its end. */
    @Test
    void shouldTakeBackTheRangeOfALiveContainerAfterARestartAndFreeItWhenItEnds() throws Exception {
        ContainerState state;
        IdRange range;
        try (LinuxContainerRuntime first = rt.reopen()) {
            Container c = first.create(spec("restart", "/bin/sh", "-c", "echo ready; exec /bin/payload sleep 60")
                    .userNamespace(UserNamespaceMode.AUTO).build());
            assertEquals("ready", reader(c).readLine());
            state = c.state();
            range = rangeOf(c);
            assertTrue(first.idRanges().isTaken(range));
            // The daemon that made it goes away: its end of the output pipe goes now, not when a GC finds it
            // (LeakIT, later in the same JVM, counts descriptors).
            c.output().orElseThrow().close();
        }
        try (LinuxContainerRuntime second = rt.reopen()) {
            assertTrue(second.idRanges().isTaken(range), "claimed from /proc when the runtime opened");
            Container c = second.attach(state).orElseThrow();
            try (Container other = sleeper(second, "restart-other")) {
                assertNotEquals(range, rangeOf(other));
                other.kill();
            }
            c.kill();
            c.awaitExit(Duration.ofSeconds(10)).orElseThrow();
            c.close();
            assertFalse(second.idRanges().isTaken(range), "given back once the container is gone");
        }
    }

    @Test
    void shouldTellTheRangeFromAUidMap() {
        assertEquals(Optional.of(new IdRange(1073741824L, 65536)), IdRange.fromUidMap("         0 1073741824      65536\n"));
        assertEquals(Optional.empty(), IdRange.fromUidMap("         0          0 4294967295\n"), "the host's own");
        assertTrue(IdRangePool.uidMapOf(Path.of("/proc/self")).isEmpty(), "this JVM runs in the host's");
    }

    private static Container sleeper(String name) throws IOException {
        return sleeper(rt.runtime(), name);
    }

    private static Container sleeper(LinuxContainerRuntime runtime, String name) throws IOException {
        Container c = runtime.create(spec(name, "/bin/sh", "-c", "echo ready; exec /bin/payload sleep 60")
                .userNamespace(UserNamespaceMode.AUTO).build());
        assertEquals("ready", reader(c).readLine());
        return c;
    }

    private static IdRange rangeOf(Container c) {
        return IdRangePool.uidMapOf(Path.of("/proc", Long.toString(c.pid()))).orElseThrow();
    }

    private static long hostRoot(Container c) {
        return rangeOf(c).root();
    }

    private static long owner(Path path, String which) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:" + which, LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static Path onlyChild(long pid) throws IOException {
        String children = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid),
                "children")).strip();
        assertFalse(children.isEmpty() || children.contains(" "), "init has one child: '" + children + "'");
        return Path.of("/proc", children);
    }

    private static String statusLine(Path proc, String key) throws IOException {
        return Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith(key)).findFirst()
                .orElseThrow();
    }

    private static BufferedReader reader(Container c) {
        return new BufferedReader(new InputStreamReader(c.output().orElseThrow(), StandardCharsets.UTF_8));
    }

    private static List<String> lines(String output) {
        return Arrays.stream(output.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
