package io.actord.daemon.build;

import io.actord.daemon.build.ResolvedInstruction.Copy;
import io.actord.daemon.image.BuildUser;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.TarEntry;
import io.actord.daemon.image.TarWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's COPY/ADD destination rules as the layer's members, without a store or privileges. */
class CopyPlannerTest {
    @TempDir
    Path dir;

    private Path ctx;
    private LayerStack image;

    @BeforeEach
    void files() throws IOException {
        ctx = Files.createDirectories(dir.resolve("ctx"));
        BuilderFixture.write(ctx.resolve("src/a.js"), "a");
        BuilderFixture.write(ctx.resolve("src/lib/b.js"), "b");
        BuilderFixture.write(ctx.resolve("package.json"), "{}");
        BuilderFixture.write(ctx.resolve("package-lock.json"), "{}");
        BuilderFixture.write(ctx.resolve("node_modules/x/index.js"), "x");
        BuilderFixture.write(ctx.resolve(".dockerignore"), "node_modules\n");
        Path layer = Files.createDirectories(dir.resolve("layer"));
        BuilderFixture.write(layer.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createDirectories(layer.resolve("app"));
        image = new LayerStack(List.of(layer), new PlainLayerFiles());
    }

    private List<String> names(String dest, String... sources) {
        return names(copy(false, dest, Optional.empty(), sources), Optional.empty());
    }

    private List<String> names(Copy copy, Optional<BuildUser> owner) {
        return entries(copy, owner).stream().map(TarEntry::name).toList();
    }

    private List<TarEntry> entries(Copy copy, Optional<BuildUser> owner) {
        return plan(copy, owner).items().stream().map(i -> ((CopyPlan.Member) i).entry()).toList();
    }

    private CopyPlan plan(Copy copy, Optional<BuildUser> owner) {
        return new CopyPlanner(copy, image, owner, new Compression(dir.resolve("native")))
                .plan(SourceTree.of(BuildContext.open(ctx)));
    }

    private static Copy copy(boolean add, String dest, Optional<String> chmod, String... sources) {
        return new Copy(4, add, Optional.empty(), List.of(sources), dest, Optional.empty(), chmod);
    }

    @Test
    void shouldCopyADirectorysContentsNotTheDirectory() {
        assertEquals(List.of("dest/", "dest/a.js", "dest/lib/", "dest/lib/b.js"), names("/dest", "src"));
    }

    @Test
    void shouldPutAFileIntoADestinationEndingWithSlash() {
        assertEquals(List.of("app/package.json"), names("/app/", "package.json"));
    }

    @Test
    void shouldPutAFileIntoADirectoryOfTheImage() {
        assertEquals(List.of("app/package.json"), names("/app", "package.json"));
    }

    @Test
    void shouldCopyAFileToTheDestinationNameOtherwise() {
        assertEquals(List.of("opt/", "opt/conf.json"), names("/opt/conf.json", "package.json"),
                "the missing parent is made");
    }

    @Test
    void shouldMatchWildcardsAndNeedADirectoryForSeveral() {
        assertEquals(List.of("app/package-lock.json", "app/package.json"), names("/app/", "package*.json"));
        DockerfileException e = assertThrows(DockerfileException.class, () -> names("/app", "package*.json"));
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("ending with /"), e.getMessage());
    }

    @Test
    void shouldLeaveOutWhatTheDockerignoreExcludes() {
        assertTrue(names("/app/", ".").stream().noneMatch(n -> n.contains("node_modules")), names("/app/", ".")
                .toString());
    }

    @Test
    void shouldGiveTheChownOwnerAndTheChmodMode() {
        List<TarEntry> entries = entries(copy(false, "/new/dir/", Optional.of("0640"), "package.json"),
                Optional.of(new BuildUser(1000, 1000)));
        assertEquals(List.of("new/", "new/dir/", "new/dir/package.json"), entries.stream().map(TarEntry::name)
                .toList());
        entries.forEach(e -> assertEquals(1000, e.uid(), e.name()));
        assertEquals(0755, entries.get(0).mode(), "made parents are 0755");
        assertEquals(0640, entries.get(2).mode());
    }

    @Test
    void shouldRefuseASourceOutsideTheContext() {
        DockerfileException e = assertThrows(DockerfileException.class, () -> names("/x", "../outside"));
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("outside the build context"),
                e.getMessage());
    }

    @Test
    void shouldKeyOnContentAndModeButNotOnTimes() throws IOException {
        Copy copy = copy(false, "/app/", Optional.empty(), "src");
        String before = plan(copy, Optional.empty()).inputs();
        Files.setLastModifiedTime(ctx.resolve("src/a.js"), FileTime.fromMillis(0));
        assertEquals(before, plan(copy, Optional.empty()).inputs(), "a touched file is the same input");
        Files.writeString(ctx.resolve("src/a.js"), "a2");
        String changed = plan(copy, Optional.empty()).inputs();
        assertNotEquals(before, changed);
        Files.setPosixFilePermissions(ctx.resolve("src/a.js"), java.nio.file.attribute.PosixFilePermissions
                .fromString("rwx------"));
        assertNotEquals(changed, plan(copy, Optional.empty()).inputs());
    }

    @Test
    void shouldExtractALocalTarOnAdd() throws IOException {
        Path archive = ctx.resolve("files.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive));
             TarWriter tar = new TarWriter(out)) {
            tar.add(TarEntry.file("bin/tool", 0755, 2), "t\n".getBytes());
        }
        CopyPlan plan = plan(copy(true, "/opt/", Optional.empty(), "files.tar.gz"), Optional.empty());
        assertTrue(plan.items().stream().anyMatch(i -> i instanceof CopyPlan.Archive a && a.directory().equals("opt")),
                plan.items().toString());
        assertEquals(List.of("opt/", "opt/files.tar.gz"), names(copy(false, "/opt/", Optional.empty(), "files.tar.gz"),
                Optional.empty()), "COPY does not extract");
    }
}
