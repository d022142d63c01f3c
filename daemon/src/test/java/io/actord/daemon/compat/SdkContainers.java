package io.actord.daemon.compat;

import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.CgroupManager;
import io.actord.cgroups.Cgroups;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.RuntimeConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the SDK ITs share: real isolated containers of the SDK rootfs (make-rootfs.sh) in a cgroup subtree of the
 * test's own, which must be empty again at the end.
 */
final class SdkContainers {
    private final CgroupConfig cgroups;
    private final SignalRecordingRuntime runtime;

    private SdkContainers(CgroupConfig cgroups, SignalRecordingRuntime runtime) {
        this.cgroups = cgroups;
        this.runtime = runtime;
    }

    /** Skips the calling test class, printing why, without root or the npm packages; else makes the rootfs. */
    static void requirements(String testName) {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("SKIPPED " + testName + ": requires root (real containers)");
        }
        assumeTrue(root, testName + " requires root (real containers)");
        NodeScripts.install();
        NodeScripts.rootfs();
    }

    /** A runtime of real containers in the cgroup subtree {@code cgroupName}, its state under {@code dir}. */
    static SdkContainers open(Path dir, String cgroupName) {
        CgroupConfig cgroups = new CgroupConfig(cgroupName + "-" + ProcessHandle.current().pid());
        LinuxContainerRuntime runtime = LinuxContainerRuntime.open(RuntimeConfig.defaults().withCgroups(cgroups)
                .withLibDir(dir.resolve("lib")));
        return new SdkContainers(cgroups, new SignalRecordingRuntime(runtime));
    }

    /** A daemon in {@code dir} with this runtime. */
    TestDaemon start(Path dir, Duration grace, List<String> flags) {
        System.out.println("actors run in containers: " + runtime.description());
        return TestDaemon.start(dir, runtime, grace, flags);
    }

    SignalRecordingRuntime runtime() {
        return runtime;
    }

    /** Removes the cgroup subtree (its run cgroups went with the containers), after the daemon closed. */
    void release() {
        CgroupManager m = Cgroups.detect(cgroups);
        assertEquals(List.of(), m.names(), "run cgroups left behind");
        m.release();
    }
}
