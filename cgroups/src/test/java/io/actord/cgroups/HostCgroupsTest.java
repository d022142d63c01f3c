package io.actord.cgroups;

import io.actord.cgroups.fs.MountInfo;
import io.actord.cgroups.fs.ProcCgroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCgroupsTest {
    private static HostCgroups resolve(String sample) {
        return HostCgroups.resolve(MountInfo.parse(resource(sample + ".mountinfo")),
                ProcCgroup.parse(resource(sample + ".cgroup")));
    }

    private static String resource(String name) {
        try (InputStream in = HostCgroupsTest.class.getResourceAsStream("/mountinfo/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldDetectHybridHostLikeTheBuildMachine() {
        HostCgroups host = resolve("hybrid-debian12-host");

        assertEquals(CgroupMode.HYBRID, host.mode());
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified")), host.unifiedDir());
        assertTrue(host.unifiedRoot());
        assertEquals(Path.of("/sys/fs/cgroup/memory/process_api/a0c15e991cb37ba46dbe4cd96bb940cc"),
                host.v1Dirs().get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu"), host.v1Dirs().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpuacct"), host.v1Dirs().get("cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/pids"), host.v1Dirs().get("pids"));
    }

    @Test
    void shouldDetectUnifiedHostUnderSystemd() {
        HostCgroups host = resolve("unified-systemd-service");

        assertEquals(CgroupMode.UNIFIED, host.mode());
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/system.slice/actord.service")), host.unifiedDir());
        assertFalse(host.unifiedRoot());
        assertEquals(Map.of(), host.v1Dirs());
    }

    @Test
    void shouldResolveOwnCgroupInsideMountThatShowsOnlyASubtree() {
        HostCgroups host = resolve("unified-in-cgroupns");

        assertEquals(CgroupMode.UNIFIED, host.mode());
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/job")), host.unifiedDir());
    }

    @Test
    void shouldDetectLegacyHostWithCpuAndCpuacctSharingAHierarchy() {
        HostCgroups host = resolve("legacy-centos7");

        assertEquals(CgroupMode.LEGACY, host.mode());
        assertEquals(Optional.empty(), host.unifiedDir());
        Path cpu = Path.of("/sys/fs/cgroup/cpu,cpuacct/system.slice/actord.service");
        assertEquals(cpu, host.v1Dirs().get("cpu"));
        assertEquals(cpu, host.v1Dirs().get("cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/system.slice/actord.service"), host.v1Dirs().get("memory"));
    }

    @Test
    void shouldUnescapeMountPoints() {
        HostCgroups host = resolve("legacy-escaped-mountpoint");

        assertEquals(Path.of("/mnt/my cgroups/memory/a"), host.v1Dirs().get("memory"));
    }

    @Test
    void shouldFailWhenNoCgroupFilesystemIsMounted() {
        var mounts = MountInfo.parse("28 1 259:2 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n");

        var e = assertThrows(CgroupException.class, () -> HostCgroups.resolve(mounts, ProcCgroup.parse("0::/\n")));
        assertTrue(e.getMessage().contains("no cgroup filesystem"), e.getMessage());
    }

    @Test
    void shouldPlaceAConfiguredParentInTheUnifiedHierarchy() {
        HostCgroups host = HostCgroups.resolve(MountInfo.parse(resource("unified-systemd-service.mountinfo")),
                ProcCgroup.uniform("/system.slice/actord-runs.service"));

        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/system.slice/actord-runs.service")), host.unifiedDir());
        assertFalse(host.unifiedRoot());
    }

    @Test
    void shouldPlaceAConfiguredParentInEveryV1Hierarchy() {
        HostCgroups host = HostCgroups.resolve(MountInfo.parse(resource("legacy-centos7.mountinfo")),
                ProcCgroup.uniform("/system.slice/actord-runs.service"));

        assertEquals(Path.of("/sys/fs/cgroup/memory/system.slice/actord-runs.service"), host.v1Dirs().get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/system.slice/actord-runs.service"), host.v1Dirs().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/pids/system.slice/actord-runs.service"), host.v1Dirs().get("pids"));
    }

    @Test
    void shouldRequireAConfiguredParentToExistInEveryHierarchy(@TempDir Path dir) throws IOException {
        Path unified = Files.createDirectories(dir.resolve("unified/system.slice/actord-runs.service"));
        Path memory = dir.resolve("memory/system.slice/actord-runs.service");
        HostCgroups host = new HostCgroups(CgroupMode.HYBRID, Optional.of(unified), false, Map.of("memory", memory));

        var e = assertThrows(CgroupException.class, () -> Cgroups.requireParent(host, "/system.slice/x"));
        assertTrue(e.getMessage().contains(memory.toString()) && !e.getMessage().contains(unified + ","),
                e.getMessage());

        Files.createDirectories(memory);
        Cgroups.requireParent(host, "/system.slice/x");
    }
}
