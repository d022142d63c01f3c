package io.actord.daemon.common;

import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A run's files seen from the host as another local user. The attack: a run (root in its container) made
 * {@code /actord/kv/x} a setuid root binary; on the host that was {@code <state>/runs/<id>/kv/x} (now it is on
 * the run's writable layer, under {@code <state>/containers}), and with the state directory in a 0755
 * directory (as {@code bin/up} makes {@code ./.actord-state}) any local user ran it and was root. The same for
 * the setuid binaries of image layers in {@code <state>/layers}.
 */
class StateDirectoryIT {
    @StartDaemon
    private TestDaemon daemon;

    @BeforeAll
    static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("SKIPPED StateDirectoryIT: requires root (files of another owner, setpriv)");
        }
        assumeTrue(root, "StateDirectoryIT requires root");
    }

    @Test
    void shouldKeepEverythingUnderTheStateDirectoryFromOtherLocalUsers() throws Exception {
        Files.setPosixFilePermissions(daemon.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = daemon.dir().resolve("state");
        String actor = daemon.actor("files", "sleep", "30");
        String run = daemon.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
        TestRuns.awaitStatus(daemon.api(), run, "RUNNING");
        Path container = state.resolve("containers").resolve(run + "-0");
        Path kv = container.resolve("exchange"); // where the test runtime keeps the run's /actord/kv
        Path setuid = kv.resolve("x");
        Files.copy(Path.of("/bin/true"), setuid); // what a root run can do in its /actord/kv
        Files.setAttribute(setuid, "unix:mode", 04755);

        for (Path p : List.of(state.resolve("layers"), state.resolve("logs"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p,
                    LinkOption.NOFOLLOW_LINKS)), p.toString());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        for (Path p : List.of(setuid, kv, state.resolve("layers/sha256"), state.resolve("rocksdb"))) {
            assertNotEquals(0, asNobody("stat", p.toString()), "nobody reached " + p);
        }
        // Through a shell: setpriv keeps root's capabilities until its own exec, so it would find any path.
        assertNotEquals(0, asNobody("sh", "-c", "exec \"$0\"", setuid.toString()),
                "nobody ran the run's setuid binary");
        assertNotEquals(0, asNobody("ls", state.toString()), "nobody listed the state directory");
    }

    /** The exit status of {@code command} run as nobody (uid and gid 65534, no groups). */
    private static int asNobody(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--"));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        System.out.println("StateDirectoryIT: as nobody " + String.join(" ", command) + " -> " + code + " "
                + out.trim());
        return code;
    }
}
