package io.actord.runtime;

import io.actord.cgroups.Resources;
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

    /** Writes 300 MB into a 128 MB container (256 MB of disk); returns how many MB made it. */
    private static int writePastTheQuota(Path runDir, String name, String error) {
        try (Container c = rt.runtime().create(rt.spec(name, "/bin/payload", "write", "300")
                .resources(Resources.forMemory(128)).runDir(runDir).build())) {
            String out = TestRuntime.output(c, Duration.ofSeconds(60));
            ExitStatus status = c.awaitExit(Duration.ofSeconds(10)).orElseThrow();
            System.out.println(DiskQuotaIT.class.getSimpleName() + ": " + name + ": " + out.strip());

            Matcher m = Pattern.compile("write: " + error + " after (\\d+) MB").matcher(out);
            assertTrue(m.find(), out);
            assertEquals(ExitStatus.exited(1), status);
            return Integer.parseInt(m.group(1));
        }
    }

    @Test
    void shouldFillAnExt4VolumeAtTwiceTheMemoryWithEnospc() throws Exception {
        Path runDir = rt.base().resolve("runs/it-ext4");
        long hostFreeBefore = Files.getFileStore(rt.base()).getUsableSpace();

        int written = writePastTheQuota(runDir, "ext4", "ENOSPC");

        assertTrue(written > 200 && written <= 256, "ENOSPC near 256 MB, got " + written);
        long hostFreeAfter = Files.getFileStore(rt.base()).getUsableSpace();
        assertTrue(Math.abs(hostFreeBefore - hostFreeAfter) < 64L << 20,
                "the host filesystem kept its free space: " + hostFreeBefore + " -> " + hostFreeAfter);
        assertFalse(Files.exists(runDir));
    }

    @Test
    void shouldLimitABtrfsSubvolumeWithAQgroupAndEdquot() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/btrfs")) || Files.isExecutable(Path.of("/bin/btrfs")),
                "btrfs-progs is not installed (bin/lib/common.sh lists it)");
        Path image = rt.base().resolve("actord-btrfs.img");
        Path mountPoint = Files.createDirectories(rt.base().resolve("actord-btrfs"));
        sh("truncate", "-s", "1G", image.toString());
        sh("mkfs.btrfs", "-q", image.toString());
        String loop = sh("losetup", "--find", "--show", image.toString()).strip();
        try {
            sh("mount", loop, mountPoint.toString());
            try {
                Path runDir = mountPoint.resolve("runs/it-btrfs");

                int written = writePastTheQuota(runDir, "btrfs", "EDQUOT");

                assertTrue(written > 200 && written <= 256, "EDQUOT near 256 MB, got " + written);
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

    private static String sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", argv) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
        return out;
    }
}
