package io.actord.daemon.compat;

import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@link SdkActorsContract} with each actor run as a host process ({@link FakeRuntime#hostProcesses}), so it
 * needs no root: the in-run endpoint then listens on host loopback. ApifySdkIT runs the same in real
 * isolated containers.
 */
@ApifyCompat
class ApifySdkHostTest extends SdkActorsContract {
    @TempDir
    Path dir;
    FakeRuntime runtime;

    @Override
    TestDaemon startDaemon(Duration grace, List<String> flags) {
        NodeScripts.install();
        runtime = FakeRuntime.hostProcesses(NodeScripts.WORK);
        return TestDaemon.start(dir, runtime, grace, flags);
    }

    @Override
    String actor(String name, String script) throws Exception {
        return daemon.actor(name, "node", NodeScripts.WORK.resolve(script).toString());
    }

    @Override
    List<Signal> signalsOf(String runId) {
        return runtime.containersOf(runId).stream().flatMap(c -> c.signals().stream()).toList();
    }
}
