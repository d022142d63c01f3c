package io.actord.daemon.build;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An image's files read from its layers: the topmost layer wins, an opaque directory or a file in its place hides
 * what lower layers have there (whiteouts need a device node, so privileges: the builder's IT covers them), and
 * {@link UpperDiff} leaves the runtime's mount points out of a step's diff.
 */
class LayerStackTest {
    @TempDir
    Path dir;

    private Path lower;
    private Path upper;

    @BeforeEach
    void layers() throws IOException {
        lower = dir.resolve("lower");
        upper = dir.resolve("upper");
        BuilderFixture.write(lower.resolve("etc/passwd"), "old");
        BuilderFixture.write(lower.resolve("var/cache/a"), "a");
        BuilderFixture.write(lower.resolve("opt/tool/bin"), "bin");
        BuilderFixture.write(upper.resolve("etc/passwd"), "new");
        BuilderFixture.write(upper.resolve("var/cache/b"), "b");
        BuilderFixture.write(upper.resolve("opt/tool"), "now a file");
    }

    private LayerStack stack(Set<String> opaque) {
        return new LayerStack(List.of(lower, upper), new PlainLayerFiles(opaque.stream().map(upper::resolve)
                .toArray(Path[]::new)));
    }

    @Test
    void shouldTakeTheTopmostLayersFile() {
        assertEquals("new", BuilderFixture.read(stack(Set.of()).find("etc/passwd")));
        assertEquals("new", BuilderFixture.read(stack(Set.of()).find("/etc/./passwd")));
    }

    @Test
    void shouldMergeDirectoriesUnlessOpaque() {
        assertEquals(List.of("a", "b"), stack(Set.of()).children("var/cache"));
        assertEquals(List.of("b"), stack(Set.of("var/cache")).children("var/cache"));
        assertTrue(stack(Set.of("var/cache")).find("var/cache/a").isEmpty());
    }

    @Test
    void shouldHideWhatIsBelowAFileInAnUpperLayer() {
        LayerStack s = stack(Set.of());
        assertTrue(s.find("opt/tool/bin").isEmpty());
        assertFalse(s.isDirectory("opt/tool"));
        assertTrue(s.isDirectory("opt") && s.isDirectory(""));
    }

    @Test
    void shouldLeaveTheRuntimesMountPointsOutOfADiff() throws IOException {
        Path diff = dir.resolve("diff");
        Files.createDirectories(diff.resolve("proc"));
        Files.createDirectories(diff.resolve("sys"));
        BuilderFixture.write(diff.resolve("etc/resolv.conf"), "");
        assertFalse(UpperDiff.prune(diff, new LayerStack(List.of(Files.createDirectories(dir.resolve("empty"))),
                new PlainLayerFiles()), 0), "only mount points: no layer");

        BuilderFixture.write(diff.resolve("etc/resolv.conf"), "");
        BuilderFixture.write(diff.resolve("app/x"), "x");
        assertTrue(UpperDiff.prune(diff, stack(Set.of()), 0));
        assertFalse(Files.exists(diff.resolve("etc")), "etc was copied up only for the mount point");
        assertTrue(Files.exists(diff.resolve("app/x")));
    }
}
