package io.actord.daemon.build;

import io.actord.daemon.build.BuildFailedException.Cause;
import io.actord.daemon.image.ImageTables;
import io.actord.daemon.image.LayerRefKey;
import io.actord.daemon.image.TarEntry;
import io.actord.daemon.image.TarWriter;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestImages;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The builder on Dockerfiles without RUN (which needs the real runtime, see {@code DockerfileImageBuilderIT}): COPY
 * layers, the config, stages, the cache and the failures that name a line. No privileges.
 */
class DockerfileImageBuilderTest {
    @TempDir
    Path dir;

    private BuilderFixture fx;

    @BeforeEach
    void open() throws IOException {
        fx = new BuilderFixture(dir, new FakeRuntime(), new PlainLayerFiles(), StepDns.NONE);
        fx.baseImage();
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void shouldCopyTheContextAndSetTheConfig() throws IOException {
        Path ctx = fx.context("ctx", "Dockerfile", """
                FROM base:1
                WORKDIR /app
                ENV MODE=prod
                LABEL team=scrapers
                COPY package.json ./
                COPY src/ ./src/
                ENTRYPOINT ["node"]
                CMD ["main.js"]
                EXPOSE 4321
                """, "package.json", "{}", "src/main.js", "main", "src/lib/util.js", "util");

        BuiltImage image = fx.build("b1", ctx, true);

        LayerStack files = fx.stack(image.layers());
        assertEquals("{}", BuilderFixture.read(files.find("app/package.json")));
        assertEquals("main", BuilderFixture.read(files.find("app/src/main.js")));
        assertEquals("util", BuilderFixture.read(files.find("app/src/lib/util.js")));
        assertEquals("tool\n", BuilderFixture.read(files.find("bin/tool")), "the base image's files stay");
        assertEquals(4, image.layers().size(), "base, the working directory, two COPY layers: " + image.layers());
        assertEquals(List.of("node"), image.entrypoint());
        assertEquals(List.of("main.js"), image.cmd());
        assertEquals("prod", image.env().get("MODE"));
        assertEquals("/app", image.workDir());
        assertEquals("scrapers", image.labels().get("team"));
        assertEquals(9, image.steps());
        assertTrue(fx.log.lines().contains("Step 5/9 : COPY package.json ./"), fx.log.toString());
        assertTrue(fx.log.lines().stream().anyMatch(l -> l.startsWith("[Warning] line 9: EXPOSE")), fx.log.toString());
    }

    @Test
    void shouldReuseTheStepsBeforeTheCopyOfAChangedFile() throws IOException {
        Path ctx = fx.context("ctx", "Dockerfile", """
                FROM base:1
                COPY a.txt /a/
                COPY b.txt /b/
                COPY c.txt /c/
                """, "a.txt", "a", "b.txt", "b", "c.txt", "c");
        BuiltImage first = fx.build("b1", ctx, true);
        BuilderFixture.write(ctx.resolve("b.txt"), "b changed");
        fx.log.clear();

        BuiltImage second = fx.build("b2", ctx, true);

        assertEquals(1, second.cachedSteps(), fx.log.toString());
        assertEquals(" ---> Using cache", fx.log.lines().get(fx.log.lines().indexOf("Step 2/4 : COPY a.txt /a/") + 1));
        assertFalse(fx.log.lines().get(fx.log.lines().indexOf("Step 3/4 : COPY b.txt /b/") + 1).contains("cache"));
        assertEquals(first.layers().subList(0, 2), second.layers().subList(0, 2));
        assertEquals("b changed", BuilderFixture.read(fx.stack(second.layers()).find("b/b.txt")));

        fx.log.clear();
        BuiltImage third = fx.build("b3", ctx, true);
        assertEquals(3, third.cachedSteps(), fx.log.toString());
        assertEquals(second.layers(), third.layers());

        BuiltImage uncached = fx.build("b4", ctx, false);
        assertEquals(0, uncached.cachedSteps());
    }

    @Test
    void shouldKeepOnlyTheFinalStagesLayers() throws IOException {
        Path ctx = fx.context("ctx", "Dockerfile", """
                FROM base:1 AS build
                COPY big.txt /work/big.txt
                COPY out.txt /work/dist/out.txt

                FROM base:1 AS unused
                COPY nothing-here /x

                FROM base:1
                COPY --from=build /work/dist /app
                """, "big.txt", "big", "out.txt", "out");

        BuiltImage image = fx.build("b1", ctx, true);

        assertEquals(2, image.layers().size(), "the base and the COPY --from layer: " + image.layers());
        LayerStack files = fx.stack(image.layers());
        assertEquals("out", BuilderFixture.read(files.find("app/out.txt")));
        assertTrue(files.find("work").isEmpty(), "the build stage's files are not in the image");
        assertFalse(fx.log.lines().contains("Step 5/7 : COPY nothing-here /x"), "the unused stage is skipped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gz", "bz2", "xz"})
    void shouldExtractALocalArchiveOnAdd(String compression) throws IOException {
        Path ctx = fx.context("ctx", "Dockerfile", "FROM base:1\nADD files.tar." + compression + " /opt/\n");
        try (OutputStream out = compress(Files.newOutputStream(ctx.resolve("files.tar." + compression)), compression);
             TarWriter tar = new TarWriter(out)) {
            tar.add(TarEntry.directory("tools/", 0755));
            tar.add(TarEntry.file("tools/run.sh", 0755, 3), "ok\n".getBytes(StandardCharsets.UTF_8));
        }

        BuiltImage image = fx.build("b1", ctx, true);

        assertEquals("ok\n", BuilderFixture.read(fx.stack(image.layers()).find("opt/tools/run.sh")));
    }

    private static OutputStream compress(OutputStream out, String compression) throws IOException {
        return switch (compression) {
            case "gz" -> new GZIPOutputStream(out);
            case "bz2" -> new BZip2CompressorOutputStream(out);
            default -> new XZOutputStream(out, new LZMA2Options());
        };
    }

    @Test
    void shouldStartFromAnOciLayoutOnTheHostAndKeepItsLayersReferenced() throws IOException {
        byte[] layer = new TestImages.Layer().dir("etc").file("etc/os-release", "test\n").tar();
        TestImages.Image oci = TestImages.Image.of(List.of(layer)).withConfig(List.of(), List.of("/bin/sh"),
                List.of("PATH=/bin", "LANG=C.UTF-8"), "/srv", "0");
        Path layout = TestImages.writeDir(dir.resolve("oci"), TestImages.ociLayout(oci, "1.0",
                TestImages.Compression.GZIP));
        Path ctx = fx.context("ctx", "Dockerfile", "FROM oci:" + layout + ":1.0\nENV MODE=x\n");

        BuiltImage image = fx.build("b1", ctx, true);

        assertEquals(1, image.layers().size());
        assertEquals("C.UTF-8", image.env().get("LANG"), "the base's environment is inherited");
        assertEquals("/srv", image.workDir());
        assertEquals(List.of("/bin/sh"), image.cmd());
        assertTrue(fx.state.table(ImageTables.LAYER_REFS).count(LayerRefKey.ofLayer(image.layers().get(0)
                .toString())) > 0, "the imported layer outlives the build's pin");
    }

    @Test
    void shouldFailAnUnknownInstructionNamingItsLine() throws IOException {
        assertInvalid(3, "FROM base:1\nCOPY a /a\nFOO bar\n", "FOO");
    }

    @Test
    void shouldFailAnUnterminatedContinuationNamingItsLine() throws IOException {
        assertInvalid(2, "FROM base:1\nENV A=1 \\\n", "continuation");
    }

    @Test
    void shouldFailACopyFromOutsideTheContextNamingItsLine() throws IOException {
        assertInvalid(2, "FROM base:1\nCOPY ../secret /s\n", "outside the build context");
    }

    @Test
    void shouldFailAnUnknownBaseImageNamingItsLine() throws IOException {
        assertInvalid(2, "ARG V=1\nFROM nosuch/image:${V}\n", "no image named nosuch/image:1");
    }

    @Test
    void shouldRefuseARegistryReference() throws IOException {
        assertInvalid(1, "FROM docker://apify/actor-node:20\n", "reaches no registry");
    }

    private void assertInvalid(int line, String dockerfile, String says) throws IOException {
        Path ctx = fx.context("ctx", "Dockerfile", dockerfile, "a", "a");
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> fx.build("bad", ctx, true));
        assertEquals(Cause.INVALID, e.failure());
        assertEquals(OptionalInt.of(line), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(says) && e.getMessage().contains("line " + line), e.getMessage());
        assertEquals(Optional.of(e.getMessage()), fx.log.lines().stream().reduce((a, b) -> b), "the log ends with it");
    }
}
