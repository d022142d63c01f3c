package io.actord.runtime.process;

import io.actord.runtime.BindMount;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.NetworkMode;
import io.actord.runtime.rootfs.RootfsLayout;
import io.actord.runtime.rootfs.VolumeMount;
import io.actord.runtime.sys.Errno;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.testing.RecordingLinux;
import io.actord.runtime.userns.IdRange;
import io.actord.runtime.userns.UserNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerLauncherTest {
    @TempDir
    Path dir;

    private final RecordingLinux linux = new RecordingLinux();

    private LaunchPlan plan(NetworkMode network, Optional<VolumeMount> volume, List<BindMount> mounts)
            throws Exception {
        return plan(network, volume, mounts, List.of(Path.of("/layers/base"), Path.of("/layers/app")));
    }

    private LaunchPlan plan(NetworkMode network, Optional<VolumeMount> volume, List<BindMount> mounts,
                            List<Path> layers) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path rootfs = Files.createDirectories(run.resolve("rootfs"));
        Path upper = volume.isPresent() ? run.resolve("volume/upper") : run.resolve("upper");
        Path work = volume.isPresent() ? run.resolve("volume/work") : run.resolve("work");
        RootfsLayout layout = new RootfsLayout(layers, rootfs, upper, work, volume);
        Fd fd = new Fd(3, linux);
        return new LaunchPlan("c1", layout, mounts, "c1-host", network,
                Path.of("/var/lib/actord/lib/init-x/actord-init"), Map.of(0, fd, 1, fd, 2, fd, 3, fd, 4, fd));
    }

    @Test
    void shouldBuildIsolatedContainerInOrderAndSpawnInitFromTheOldRoot() throws Exception {
        Path run = dir.resolve("run");
        LaunchPlan plan = plan(NetworkMode.ISOLATED,
                Optional.of(new VolumeMount(Path.of("/dev/loop7"), "ext4", "noinit_itable", dir.resolve("run/volume"))),
                List.of());

        assertEquals(RecordingLinux.SPAWNED_PID, new ContainerLauncher(linux).launch(plan).pid());

        String dev = run + "/rootfs/dev";
        assertEquals(List.of(
                "unshare(CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET|CLONE_NEWPID)",
                "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)",
                "mount(\"/dev/loop7\", \"" + run + "/volume\", \"ext4\", MS_NOSUID|MS_NODEV, \"noinit_itable\")",
                "chdir(\"" + run + "/layers\")",
                "mount(\"overlay\", \"" + run + "/rootfs\", \"overlay\", MS_NOSUID|MS_NODEV, \"lowerdir=1:0,"
                        + "upperdir=../volume/upper,workdir=../volume/work\")",
                "mount(\"tmpfs\", \"" + dev + "\", \"tmpfs\", MS_NOSUID|MS_NODEV|MS_NOEXEC, \"mode=755,size=65536k\")",
                "mount(\"/dev/null\", \"" + dev + "/null\", NULL, MS_BIND, NULL)",
                "mount(\"/dev/zero\", \"" + dev + "/zero\", NULL, MS_BIND, NULL)",
                "mount(\"/dev/full\", \"" + dev + "/full\", NULL, MS_BIND, NULL)",
                "mount(\"/dev/random\", \"" + dev + "/random\", NULL, MS_BIND, NULL)",
                "mount(\"/dev/urandom\", \"" + dev + "/urandom\", NULL, MS_BIND, NULL)",
                "mount(\"/dev/tty\", \"" + dev + "/tty\", NULL, MS_BIND, NULL)",
                "mount(\"devpts\", \"" + dev + "/pts\", \"devpts\", MS_NOSUID|MS_NOEXEC, "
                        + "\"newinstance,ptmxmode=0666,mode=0620\")",
                "mount(\"shm\", \"" + dev + "/shm\", \"tmpfs\", MS_NOSUID|MS_NODEV|MS_NOEXEC, \"mode=1777,size=65536k\")",
                "mount(\"sysfs\", \"" + run + "/rootfs/sys\", \"sysfs\", MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)",
                "open(\"" + run + "/volume/upper\", DIRECTORY)",
                "sethostname(\"c1-host\")",
                "ioctl(\"lo\", SIOCSIFFLAGS, IFF_UP)",
                "sysctl(\"net.ipv4.ping_group_range\", \"0 2147483647\")",
                "pivot_root(\"" + run + "/rootfs\")",
                "posix_spawn(\"var/lib/actord/lib/init-x/actord-init\", [\"actord-init\"], [0, 1, 2, 3, 4])",
                "umount2(\".\", MNT_DETACH)"), linux.calls());
        assertEquals("pts/ptmx", Files.readSymbolicLink(Path.of(dev, "ptmx")).toString());
        assertTrue(Files.isDirectory(run.resolve("rootfs/proc")), "mount point for init's /proc");
        assertTrue(Files.isDirectory(run.resolve("volume/upper")) && Files.isDirectory(run.resolve("volume/work")));
    }

    @Test
    void shouldIdmapTheLayersUnderTheOverlayAndGiveTheUpperToTheMappedRootWithAUserNamespace() throws Exception {
        Path run = dir.resolve("run");
        LaunchPlan host = plan(NetworkMode.ISOLATED, Optional.empty(), List.of());
        Fd userns = new Fd(9, linux);
        Map<Integer, Fd> fds = new java.util.HashMap<>(host.initFds());
        fds.put(InitProtocol.FD_USERNS, userns);
        LaunchPlan plan = new LaunchPlan(host.id(), host.rootfs(), host.mounts(), host.hostname(), host.network(),
                host.initBinary(), fds, Optional.empty(), ContainerSpec.User.ROOT,
                Optional.of(new UserNamespace(new IdRange(1_073_741_824L, 65536), userns)));

        new ContainerLauncher(linux).launch(plan);

        List<String> calls = linux.calls();
        String rootfs = run + "/rootfs";
        assertEquals(List.of(
                "mount(\"tmpfs\", \"" + rootfs + "\", \"tmpfs\", MS_NOSUID|MS_NODEV|MS_NOEXEC, \"mode=700\")",
                "idmappedBind(\"/layers/base\", \"" + rootfs + "/0\", 9)",
                "idmappedBind(\"/layers/app\", \"" + rootfs + "/1\", 9)",
                "lchown(\"" + run + "/upper\", 1073741824, 1073741824)",
                "chdir(\"" + run + "/layers\")",
                "mount(\"overlay\", \"" + rootfs + "\", \"overlay\", MS_NOSUID|MS_NODEV, \"lowerdir=1:0,"
                        + "upperdir=../upper,workdir=../work\")"), calls.subList(2, 8));
        assertEquals(Path.of(rootfs, "0"), Files.readSymbolicLink(run.resolve("layers/0")), "the idmapped layer");
        int lo = calls.indexOf("ioctl(\"lo\", SIOCSIFFLAGS, IFF_UP)");
        assertEquals(List.of("sysctl(\"net.ipv4.ip_unprivileged_port_start\", \"0\")",
                "sysctl(\"net.ipv4.ping_group_range\", \"0 2147483647\")"), calls.subList(lo + 1, lo + 3));
        assertTrue(calls.contains("posix_spawn(\"var/lib/actord/lib/init-x/actord-init\", [\"actord-init\"],"
                + " [0, 1, 2, 3, 4, 6])"), calls.toString());
    }

    @Test
    void shouldShareHostNetworkWithoutTouchingLo() throws Exception {
        new ContainerLauncher(linux).launch(plan(NetworkMode.HOST, Optional.empty(), List.of()));

        assertEquals("unshare(CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWPID)", linux.calls().get(0));
        assertTrue(linux.calls().stream().noneMatch(c -> c.contains("\"lo\"")), linux.calls().toString());
        assertTrue(linux.calls().get(3).startsWith("mount(\"overlay\""), "no volume mount: " + linux.calls().get(3));
    }

    @Test
    void shouldBindExtraMountsNodevNosuidAndReadOnlyOnRequest() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = Files.writeString(dir.resolve("config.json"), "{}");
        new ContainerLauncher(linux).launch(plan(NetworkMode.HOST, Optional.empty(),
                List.of(new BindMount(data, "/mnt/data", false), new BindMount(file, "/etc/app.json", true))));

        Path rootfs = dir.resolve("run/rootfs");
        List<String> calls = linux.calls();
        int bind = calls.indexOf("mount(\"" + data + "\", \"" + rootfs + "/mnt/data\", NULL, MS_BIND|MS_REC, NULL)");
        assertTrue(bind > 0, calls.toString());
        assertEquals("mount(NULL, \"" + rootfs + "/mnt/data\", NULL, MS_NOSUID|MS_NODEV|MS_REMOUNT|MS_BIND, NULL)",
                calls.get(bind + 1));
        assertEquals("mount(NULL, \"" + rootfs + "/etc/app.json\", NULL, MS_RDONLY|MS_NOSUID|MS_NODEV|MS_REMOUNT|MS_BIND,"
                + " NULL)", calls.get(bind + 3));
        assertTrue(Files.isRegularFile(rootfs.resolve("etc/app.json")), "a file bind needs a file to mount on");
        assertTrue(bind < calls.indexOf("sethostname(\"c1-host\")"), "binds come before the pivot");
    }

    @Test
    void shouldNameLayersBySymlinksInTheRunDirectorySoTheOptionsFitInAPageAndShowNoHostPath() throws Exception {
        List<Path> layers = storeLayers(60);

        new ContainerLauncher(linux).launch(plan(NetworkMode.HOST, Optional.empty(), List.of(), layers));

        Path links = dir.resolve("run/layers");
        List<String> calls = linux.calls();
        int overlay = indexOfPrefix(calls, "mount(\"overlay\"");
        assertEquals("chdir(\"" + links + "\")", calls.get(overlay - 1));
        assertTrue(calls.get(overlay).contains("\"lowerdir=59:58:57:"), calls.get(overlay));
        assertTrue(calls.get(overlay).contains(":1:0,upperdir="), calls.get(overlay));
        assertEquals(layers.get(0), Files.readSymbolicLink(links.resolve("0")));
        assertEquals(layers.get(59), Files.readSymbolicLink(links.resolve("59")));
    }

    /** Layers as the daemon's layer store names them: 64 hex digits below sha256/, lowest first. */
    private static List<Path> storeLayers(int n) {
        List<Path> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            layers.add(Path.of("/var/lib/actord/layers/sha256", String.format("%064x", i)));
        }
        return layers;
    }

    private static int indexOfPrefix(List<String> calls, String prefix) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldStopBeforeSpawningWhenAMountFails() throws Exception {
        linux.failOn("mount(\"overlay\"", Errno.EINVAL);

        SyscallException e = assertThrows(SyscallException.class,
                () -> new ContainerLauncher(linux).launch(plan(NetworkMode.ISOLATED, Optional.empty(), List.of())));

        assertTrue(e.getMessage().startsWith("mount(\"overlay\", \""), e.getMessage());
        assertTrue(e.getMessage().endsWith("): EINVAL (Invalid argument)"), e.getMessage());
        assertTrue(linux.calls().stream().noneMatch(c -> c.startsWith("posix_spawn")), linux.calls().toString());
    }

    @Test
    void shouldKillAndReapInitWhenTheOldRootCannotBeDetached() throws Exception {
        linux.failOn("umount2(\".\"", Errno.EBUSY);

        assertThrows(SyscallException.class,
                () -> new ContainerLauncher(linux).launch(plan(NetworkMode.ISOLATED, Optional.empty(), List.of())));

        List<String> calls = linux.calls();
        assertEquals(List.of("pidfd_open(4242)", "pidfd_send_signal(SIGKILL)", "waitpid(4242)"),
                calls.subList(calls.size() - 3, calls.size()));
    }

    @Test
    void shouldKeepMountsInsideTheRootfsWhenTheImageLinksOut() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("run/rootfs"));
        Files.createSymbolicLink(rootfs.resolve("dev"), Path.of("/etc"));
        Files.createSymbolicLink(rootfs.resolve("sys"), Path.of("../../../../.."));

        new ContainerLauncher(linux).launch(plan(NetworkMode.HOST, Optional.empty(), List.of()));

        assertTrue(linux.calls().contains("mount(\"tmpfs\", \"" + rootfs + "/etc\", \"tmpfs\", MS_NOSUID|MS_NODEV|MS_NOEXEC, "
                + "\"mode=755,size=65536k\")"), linux.calls().toString());
        assertTrue(linux.calls().contains("mount(\"sysfs\", \"" + rootfs + "\", \"sysfs\", "
                + "MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)"), linux.calls().toString());
        assertFalse(linux.calls().stream().anyMatch(c -> c.contains("\"/etc")), linux.calls().toString());
    }
}
