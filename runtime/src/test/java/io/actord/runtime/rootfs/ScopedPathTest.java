package io.actord.runtime.rootfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScopedPathTest {
    @TempDir
    Path root;

    @Test
    void shouldJoinPlainPaths() {
        assertEquals(root.resolve("a/b"), ScopedPath.resolve(root, "/a/./b/"));
    }

    @Test
    void shouldStopDotDotAtTheRoot() {
        assertEquals(root.resolve("etc"), ScopedPath.resolve(root, "/../../../etc"));
    }

    @Test
    void shouldFollowAbsoluteLinksInsideTheRoot() throws Exception {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("/usr/lib"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/"));

        assertEquals(root.resolve("usr/lib/x"), ScopedPath.resolve(root, "/lib/x"));
        assertEquals(root.resolve("passwd"), ScopedPath.resolve(root, "/etc/passwd"));
    }

    @Test
    void shouldFollowRelativeLinksWithoutClimbingOut() throws Exception {
        Files.createDirectories(root.resolve("var"));
        Files.createSymbolicLink(root.resolve("var/run"), Path.of("../../../../run"));

        assertEquals(root.resolve("run/actord.sock"), ScopedPath.resolve(root, "/var/run/actord.sock"));
    }

    @Test
    void shouldCreateMissingDirectoriesInsideTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("data"), Path.of("/srv/data"));

        Path made = ScopedPath.directory(root, "/data/cache");

        assertEquals(root.resolve("srv/data/cache"), made);
        assertTrue(Files.isDirectory(made));
    }

    @Test
    void shouldRefuseLinkLoops() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("/b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));

        assertThrows(IllegalArgumentException.class, () -> ScopedPath.resolve(root, "/a/x"));
    }
}
