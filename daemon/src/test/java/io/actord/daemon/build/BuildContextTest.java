package io.actord.daemon.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The context walker and COPY source resolution on a real directory tree in a temporary directory. */
class BuildContextTest {
    @TempDir
    Path root;

    @Test
    void shouldListEverythingInByteOrderDepthFirstWithLinksKept() throws IOException {
        write("b.txt", "a/z.txt", "a/b/c.txt", "a.txt", "Dockerfile");
        Files.createSymbolicLink(root.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("a/up"), Path.of("../.."));

        assertEquals(List.of("F Dockerfile", "D a", "D a/b", "F a/b/c.txt", "S a/up -> ../..", "F a/z.txt", "F a.txt",
                "F b.txt", "S passwd -> /etc/passwd"), render(BuildContext.open(root).entries()));
    }

    @Test
    void shouldLeaveOutWhatDockerignoreExcludes() throws IOException {
        write("node_modules/x/index.js", "src/app.js", "src/app.test.js", "README.md", "docs/keep.md", "docs/drop.md",
                ".git/HEAD", ".env");
        Files.writeString(root.resolve(".dockerignore"), "node_modules\n.git\n**/*.test.js\n*.md\n.env\ndocs\n"
                + "!docs/keep.md\n");

        assertEquals(List.of("F .dockerignore", "D docs", "F docs/keep.md", "D src", "F src/app.js"),
                render(BuildContext.open(root).entries()));
    }

    @Test
    void shouldPreferTheIgnoreFileNamedAfterTheDockerfile() throws IOException {
        write(".actor/Dockerfile", "a.txt", "b.txt");
        Files.writeString(root.resolve(".dockerignore"), "a.txt\n");
        Files.writeString(root.resolve(".actor/Dockerfile.dockerignore"), "b.txt\n.actor/*.dockerignore\n");

        assertEquals(List.of("D .actor", "F .actor/Dockerfile", "F .dockerignore", "F a.txt"),
                render(BuildContext.open(root, root.resolve(".actor/Dockerfile")).entries()));
        assertEquals(List.of("D .actor", "F .actor/Dockerfile", "F .actor/Dockerfile.dockerignore", "F .dockerignore",
                "F b.txt"), render(BuildContext.open(root, root.resolve("Dockerfile")).entries()));
    }

    @Test
    void shouldListAnExcludedDirectoryOnlyWhenSomethingBelowIsIncluded() throws IOException {
        write("cache/a", "cache/b/c", "other/x");
        BuildContext context = new BuildContext(root, DockerIgnore.parse("cache\nother\n!cache/b\n"));

        assertEquals(List.of("D cache", "D cache/b", "F cache/b/c"), render(context.entries()));
        assertEquals(List.of("D cache/b", "F cache/b/c"), render(context.entriesUnder("cache/b")));
    }

    @Test
    void shouldResolveSourcesInsideTheContextOnly() throws IOException {
        write("app/main.js", "etc/passwd");
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        Files.createSymbolicLink(root.resolve("app/rel"), Path.of("../etc/passwd"));
        BuildContext context = BuildContext.open(root);
        Path real = context.root();

        assertEquals(real.resolve("app/main.js"), context.resolve("app/main.js"));
        assertEquals(real.resolve("app/main.js"), context.resolve("/app/./main.js"));
        assertEquals(real.resolve("app/main.js"), context.resolve("app/../app/main.js"));
        assertEquals(real.resolve("etc/passwd"), context.resolve("/etc/passwd"));
        assertEquals(real.resolve("etc/passwd"), context.resolve("abs/passwd"));
        assertEquals(real.resolve("etc/passwd"), context.resolve("up/etc/passwd"));
        assertEquals(real.resolve("etc/passwd"), context.resolve("app/rel"));
        assertEquals(real, context.resolve("."));
    }

    @Test
    void shouldRefuseSourcesThatLeaveTheContextOrAreMissingOrExcluded() throws IOException {
        write("secret.key", "ok");
        Files.writeString(root.resolve(".dockerignore"), "*.key\n");
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        BuildContext context = BuildContext.open(root);

        assertMessage("forbidden path outside the build context: ../x", () -> context.resolve("../x"));
        assertMessage("forbidden path outside the build context: a/../../x", () -> context.resolve("a/../../x"));
        assertMessage("file not found in build context: nope", () -> context.resolve("nope"));
        assertMessage("file not found in build context or excluded by .dockerignore: secret.key",
                () -> context.resolve("secret.key"));
        assertMessage("too many levels of symbolic links in build context: loop", () -> context.resolve("loop/x"));
    }

    @Test
    void shouldMatchWildcardSourcesWithinOnePathElement() throws IOException {
        write("package.json", "package-lock.json", "src/a.js", "src/lib/b.js", "skip.json");
        Files.writeString(root.resolve(".dockerignore"), "skip.json\n");
        BuildContext context = BuildContext.open(root);
        Path real = context.root();

        assertEquals(List.of(real.resolve("package-lock.json"), real.resolve("package.json")),
                context.sources("package*.json", 4));
        assertEquals(List.of(real.resolve("src/a.js")), context.sources("/src/*.js", 4));
        assertEquals(List.of(real.resolve("package.json")), context.sources("package.json", 4));
        assertMessage("Dockerfile line 4: no source files were specified: nothing in the build context matches *.json5",
                () -> context.sources("*.json5", 4));
        assertMessage("Dockerfile line 9: forbidden path outside the build context: ../x",
                () -> context.sources("../x", 9));
    }

    private void write(String... paths) throws IOException {
        for (String path : paths) {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, path);
        }
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
        DockerfileException e = assertThrows(DockerfileException.class, call);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    private static List<String> render(List<ContextEntry> entries) {
        return entries.stream().map(e -> e.type().name().charAt(0) + " " + e.path()
                + e.target().map(t -> " -> " + t).orElse("")).toList();
    }
}
