package io.actord.daemon.compat;

import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
    SdkContainers containers;

    @BeforeAll
    static void requirements() {
        SdkContainers.requirements("ApifySdkIT");
    }

    @Override
    TestDaemon startDaemon(Duration grace, List<String> flags) {
        containers = SdkContainers.open(dir, "actord-sdk-it");
        return containers.start(dir, grace, flags);
    }

    @Override
    String actor(String name, String script) throws Exception {
        return daemon.actor(name, NodeScripts.ROOTFS, List.of("/usr/bin/node", "/app/" + script));
    }

    @Override
    List<Signal> signalsOf(String runId) {
        return containers.runtime().signalsOf(runId);
    }

    /** One core each (4096 MB), so the shared test host finishes in reasonable time. */
    @Override
    int memoryMbytes() {
        return 4096;
    }

    /** Removes the test's cgroup subtree (its run cgroups went with the containers). */
    @Override
    void afterDaemon() {
        if (containers != null) {
            containers.release();
        }
    }
}
