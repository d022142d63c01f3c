package io.actord.daemon.compat;

import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.CgroupManager;
import io.actord.cgroups.Cgroups;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.RuntimeConfig;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link SdkActorsContract} in real isolated containers: a rootfs with this host's node binary and the
 * pinned npm packages (make-rootfs.sh), network mode isolated, so the actors reach the API only through
 * their run's in-run endpoint at 127.0.0.1:7070 inside the run's network namespace. Needs root; skips,
 * printing why, without it.
 */
@ApifyCompat
@Tag("privileged")
class ApifySdkIT extends SdkActorsContract {
    @TempDir
    Path dir;
    CgroupConfig cgroups;
    SignalRecordingRuntime runtime;

    @BeforeAll
    static void requirements() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("SKIPPED ApifySdkIT: requires root (real containers)");
        }
        assumeTrue(root, "ApifySdkIT requires root (real containers)");
        NodeScripts.install();
        NodeScripts.rootfs();
    }

    @Override
    TestDaemon startDaemon(Duration grace, List<String> flags) {
        cgroups = new CgroupConfig("actord-sdk-it-" + ProcessHandle.current().pid());
        LinuxContainerRuntime runtime = LinuxContainerRuntime.open(RuntimeConfig.defaults().withCgroups(cgroups)
                .withLibDir(dir.resolve("lib")));
        this.runtime = new SignalRecordingRuntime(runtime);
        System.out.println("ApifySdkIT: actors run in containers: " + this.runtime.description());
        return TestDaemon.start(dir, this.runtime, grace, flags);
    }

    @Override
    String actor(String name, String script) throws Exception {
        return daemon.actor(name, NodeScripts.ROOTFS, List.of("/usr/bin/node", "/app/" + script));
    }

    @Override
    List<Signal> signalsOf(String runId) {
        return runtime.signalsOf(runId);
    }

    /** One core each (4096 MB), so the shared test host finishes in reasonable time. */
    @Override
    int memoryMbytes() {
        return 4096;
    }

    /** Removes the test's cgroup subtree (its run cgroups went with the containers). */
    @Override
    void afterDaemon() {
        if (cgroups != null) {
            CgroupManager m = Cgroups.detect(cgroups);
            assertEquals(List.of(), m.names(), "run cgroups left behind");
            m.release();
        }
    }
}
