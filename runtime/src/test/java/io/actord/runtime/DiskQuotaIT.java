package io.actord.runtime;

import io.actord.cgroups.testing.TestLimits;
import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Disk = 2 × memory on the writable layer: full inside the container, nothing spilled on the host. */
@Tag("privileged")
class DiskQuotaIT {
    private static TestRuntime rt;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(DiskQuotaIT.class);
    }

    @AfterAll
    static void close() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    /**
     * Writes {@code mb} MB into a container with {@code resources}; returns how many MB made it. Before the
     * container is closed, {@code onHost} checks its run directory.
     */
    private static int writePastTheQuota(Path runDir, String name, DiskLimit disk, int mb, String error,
                                         HostCheck onHost) throws Exception {
        try (Container c = rt.runtime().create(rt.spec(name, "/bin/payload", "write", Integer.toString(mb))
                .disk(disk).runDir(runDir).build())) {
            String out = TestRuntime.output(c, Duration.ofSeconds(60));
            ExitStatus status = c.awaitExit(Duration.ofSeconds(10)).orElseThrow();
            System.out.println(DiskQuotaIT.class.getSimpleName() + ": " + name + ": " + out.strip());
            onHost.check(runDir);

            Matcher m = Pattern.compile("write: " + error + " after (\\d+) MB").matcher(out);
            assertTrue(m.find(), out);
            assertEquals(ExitStatus.exited(1), status);
            return Integer.parseInt(m.group(1));
        }
    }

    @FunctionalInterface
    private interface HostCheck {
        void check(Path runDir) throws Exception;
    }

    @Test
    void shouldFillAnExt4VolumeAtTwiceTheMemoryWithEnospc() throws Exception {
        Path runDir = rt.base().resolve("runs/it-ext4");

        int written = writePastTheQuota(runDir, "ext4", DiskLimit.ofBytes(256L << 20), 300, "ENOSPC", dir -> {
            try (Stream<Path> files = Files.walk(dir)) {
                assertEquals(List.of("", "disk.img", "exit-status", "layers", "layers/0", "rootfs", "volume"), files
                        .map(p -> dir.relativize(p).toString()).sorted().toList(),
                        "the data is in the image only: nothing under rootfs/ or volume/ on the host (layers/0 is a"
                                + " link to the layer)");
            }
            String du = sh("du", "--block-size=1", dir.resolve("disk.img").toString());
            long allocated = Long.parseLong(du.split("\\s")[0]);
            assertTrue(allocated <= (256L << 20), "the image holds at most 256 MB on the host disk: " + allocated);
        });

        assertTrue(written > 200 && written <= 256, "ENOSPC near 256 MB, got " + written);
        assertFalse(Files.exists(runDir));
    }

    /** The run directory on a loop-mounted btrfs: a subvolume with a qgroup instead of an ext4 volume. */
    @Test
    void shouldLimitABtrfsSubvolumeWithAQgroupAndEdquot() throws Exception {
        require(Files.isExecutable(Path.of("/usr/bin/btrfs")) || Files.isExecutable(Path.of("/bin/btrfs")),
                "btrfs-progs is not installed (bin/lib/common.sh lists it)");
        require(Files.readString(Path.of("/proc/filesystems")).contains("btrfs") || loadModule("btrfs"),
                "this kernel has no btrfs");
        Path image = rt.base().resolve("actord-btrfs.img");
        Path mountPoint = Files.createDirectories(rt.base().resolve("actord-btrfs"));
        sh("truncate", "-s", "512M", image.toString());
        sh("mkfs.btrfs", "-q", image.toString());
        String loop = sh("losetup", "--find", "--show", image.toString()).strip();
        try {
            sh("mount", loop, mountPoint.toString());
            try {
                Path runDir = mountPoint.resolve("runs/it-btrfs");

                // A 64 MB limit: the mechanism is what is tested here, and the loop-backed btrfs is slow to fill.
                int written = writePastTheQuota(runDir, "btrfs", DiskLimit.ofBytes(64L << 20), 100, "EDQUOT", dir -> { });

                assertTrue(written > 48 && written <= 64, "EDQUOT near 64 MB, got " + written);
                assertFalse(Files.exists(runDir));
                String qgroups = sh("btrfs", "qgroup", "show", mountPoint.toString());
                assertFalse(qgroups.contains("0/256"), "the subvolume's qgroup went with it:\n" + qgroups);
            } finally {
                sh("umount", mountPoint.toString());
            }
        } finally {
            sh("losetup", "-d", loop);
            Files.deleteIfExists(image);
        }
    }

    /** Skips the test, visibly, when the host cannot run it. */
    private static void require(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED DiskQuotaIT btrfs: " + reason);
        }
        assumeTrue(condition, reason);
    }

    private static String sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", argv) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
        return out;
    }

    /**
     * Loads a module with the helper the kernel itself runs for that ({@code /proc/sys/kernel/modprobe}: the
     * cgroup-v2 guest points it at busybox, and a host without kmod has none); false when it cannot.
     */
    private static boolean loadModule(String module) throws IOException, InterruptedException {
        Path helper = Path.of(Files.readString(Path.of("/proc/sys/kernel/modprobe")).strip());
        return Files.isExecutable(helper)
                && new ProcessBuilder(helper.toString(), "-q", module).start().waitFor() == 0;
    }
}
