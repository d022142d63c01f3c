package io.actord.daemon.compat;

import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
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
 * {@link SdkActorsContract} in real isolated containers: a rootfs with this host's node and the pinned
 * npm packages (make-rootfs.sh), network mode isolated, so the actors reach the API only through their
 * run's in-run endpoint inside the run's network namespace. Needs root and the container runtime; skips,
 * printing why, without them.
 */
@Tag("privileged")
class ApifySdkIT extends SdkActorsContract {
    static final Path ROOTFS = Path.of("target/sdk-rootfs").toAbsolutePath();

    @TempDir
    Path dir;
    ItRuntime.Choice choice;

    @BeforeAll
    static void requirements() {
        ItRuntime.unavailableReason().ifPresent(reason -> System.out.println("SKIPPED ApifySdkIT: " + reason));
        assumeTrue(ItRuntime.unavailableReason().isEmpty(), () -> "ApifySdkIT: " + ItRuntime.unavailableReason().orElse(""));
        NodeScripts.install();
        NodeScripts.Result r = NodeScripts.run(List.of("bash", NodeScripts.SOURCES.resolve("make-rootfs.sh").toString(),
                NodeScripts.WORK.toString(), ROOTFS.toString()), Duration.ofMinutes(5));
        assertEquals(0, r.exitCode(), "make-rootfs.sh failed: " + r.output());
    }

    @Override
    TestDaemon startDaemon(Duration grace) {
        choice = ItRuntime.realOrFake(dir);
        System.out.println("ApifySdkIT: actors run on " + choice.description());
        return TestDaemon.start(dir, choice.runtime(), grace);
    }

    @Override
    String actor(String name, String script) throws Exception {
        return daemon.actor(name, ROOTFS, List.of("/usr/bin/node", "/app/" + script));
    }

    @Override
    List<Signal> signalsOf(String runId) {
        return List.of();
    }

    @Override
    void stopDaemon() {
        super.stopDaemon();
        if (choice != null) {
            choice.close();
        }
    }
}
