package io.actord.daemon.build;

import io.actord.daemon.build.BuildFailedException.Cause;
import io.actord.daemon.image.Digest;
import io.actord.daemon.testing.ItRuntime;
import io.actord.runtime.Container;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.LayerFiles;
import io.actord.runtime.testing.SpecBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The builder with the real runtime: RUN steps in containers of the runtime's payload image (busybox and
 * /bin/payload, named payload:1 in a real layer store), their diffs as layers, stages, the cache, the build's
 * memory, cancelling, and bad Dockerfiles. After each build no container, mount or directory of it is left.
 */
@Tag("privileged")
class DockerfileImageBuilderIT {
    private static final AtomicInteger BUILDS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static ItRuntime.Choice rt;
    private static BuilderFixture fx;
    private String buildId;

    @BeforeAll
    static void open() throws IOException {
        assumeTrue(ItRuntime.unavailableReason().isEmpty(), ItRuntime.unavailableReason().orElse(""));
        rt = ItRuntime.real(dir.resolve("rt"));
        fx = new BuilderFixture(dir.resolve("builder"), rt.runtime(), LayerFiles.kernel(), StepDns.NONE);
        fx.name("payload:1", ItRuntime.payloadRootfs());
    }

    @AfterAll
    static void close() {
        if (fx != null) {
            fx.close();
        }
        if (rt != null) {
            rt.close(); // fails when a step's cgroup was left
        }
    }

    @AfterEach
    void shouldLeaveNothingOfTheBuild() throws IOException {
        if (buildId == null) {
            return;
        }
        assertEquals(Set.of(), rt.runtime().containerIds(), "step containers left");
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(mounts.contains(buildId), "a mount of " + buildId + " is left:\n" + mounts);
        Path containers = dir.resolve("builder/containers");
        if (Files.isDirectory(containers)) {
            try (Stream<Path> left = Files.list(containers)) {
                assertEquals(List.of(), left.toList(), "step directories left");
            }
        }
        try (Stream<Path> left = Files.list(fx.layers.tmp())) {
            assertEquals(List.of(), left.toList(), "temporary layer files left");
        }
        try (Stream<Path> loops = Files.list(Path.of("/sys/block"))) {
            for (Path loop : loops.filter(p -> p.getFileName().toString().startsWith("loop")).toList()) {
                Path backing = loop.resolve("loop/backing_file");
                if (Files.exists(backing)) {
                    assertFalse(Files.readString(backing).contains(buildId), "a loop device of " + buildId + " is"
                            + " left: " + loop);
                }
            }
        }
    }

    private Path context(String dockerfile, String... files) throws IOException {
        buildId = "itbuild" + BUILDS.incrementAndGet();
        String[] all = Stream.concat(Stream.of("Dockerfile", dockerfile), Stream.of(files)).toArray(String[]::new);
        return fx.context(buildId, all);
    }

    private BuiltImage build(Path ctx, boolean useCache, int memoryMb) {
        fx.log.clear();
        BuildRequest r = fx.request(buildId, ctx, useCache);
        return fx.builder.build(new BuildRequest(r.buildId(), ctx, r.dockerfile(), r.buildArgs(), useCache,
                new io.actord.daemon.runoptions.RunSize(memoryMb), r.network()), fx.log, new BuildControl());
    }

    @Test
    void shouldKeepOnlyTheFinalStageAndShowADeletedBaseFileAsDeleted() throws Exception {
        Path ctx = context("""
                FROM payload:1 AS build
                RUN mkdir -p /out && echo built > /out/result.txt && echo gone > /out/gone.txt && echo x > /junk.txt
                RUN rm /out/gone.txt
                FROM payload:1
                RUN rm /bin/ed && mkdir /data && chown 1000:1001 /data && echo step-output
                COPY --from=build /out /app
                CMD ["/bin/sh", "-c", "cat /app/result.txt"]
                """);

        BuiltImage image = build(ctx, true, 256);

        assertEquals(3, image.layers().size(), "payload, the RUN rm diff, the COPY --from layer: " + fx.log);
        assertTrue(fx.log.output().contains("step-output"), "the step's output is in the log: " + fx.log);
        assertTrue(fx.log.lines().contains("Step 5/7 : RUN rm /bin/ed && mkdir /data && chown 1000:1001 /data && echo step-output"), fx.log.toString());
        Path diff = fx.layers.path(image.layers().get(1));
        assertEquals(List.of(0, 0, 1000, 1001), List.of(Files.getAttribute(diff.resolve("bin"), "unix:uid"),
                Files.getAttribute(diff.resolve("bin"), "unix:gid"), Files.getAttribute(diff.resolve("data"),
                "unix:uid"), Files.getAttribute(diff.resolve("data"), "unix:gid")),
                "the layer has the ids the step saw, whatever its user namespace mapped them to on the host");
        String seen = run(image.layers(), "test -e /bin/ed && echo ed-present || echo ed-gone; cat /app/result.txt;"
                + " test -e /junk.txt && echo junk-present || echo junk-gone;"
                + " test -e /app/gone.txt && echo gone-present || echo gone-gone");
        assertEquals(List.of("ed-gone", "built", "junk-gone", "gone-gone"), seen.lines().toList(),
                "a file the build stage deleted is not copied out of it either");
    }

    @Test
    void shouldReuseEveryStepBeforeTheCopyOfAChangedFile() throws Exception {
        Path ctx = context("""
                FROM payload:1
                RUN echo one > /one.txt
                COPY a.txt /a.txt
                RUN cat /a.txt /one.txt > /both.txt
                """, "a.txt", "first\n");
        build(ctx, true, 128);
        Files.writeString(ctx.resolve("a.txt"), "second\n");

        BuiltImage second = build(ctx, true, 128);

        assertEquals(1, second.cachedSteps(), fx.log.toString());
        List<String> lines = fx.log.lines();
        assertEquals(" ---> Using cache", lines.get(lines.indexOf("Step 2/4 : RUN echo one > /one.txt") + 1));
        assertEquals("second\none", run(second.layers(), "cat /both.txt").strip());

        BuiltImage cached = build(ctx, true, 128);
        assertEquals(3, cached.cachedSteps(), fx.log.toString());
        assertEquals(second.layers(), cached.layers());

        BuiltImage rebuilt = build(ctx, false, 128);
        assertEquals(0, rebuilt.cachedSteps(), fx.log.toString());
        assertTrue(fx.log.lines().stream().noneMatch(l -> l.contains("Using cache")), fx.log.toString());
    }

    @Test
    void shouldRunAStepAsTheStagesUser() throws IOException {
        Path ctx = context("FROM payload:1\nUSER nobody\nRUN echo uid=$(id -u)\n");
        BuiltImage image = build(ctx, true, 128);
        assertTrue(fx.log.output().contains("uid=65534"), fx.log.toString());
        assertEquals(java.util.Optional.of("nobody"), image.user());
    }

    @Test
    void shouldFailAStepThatExitsNonZero() throws IOException {
        Path ctx = context("FROM payload:1\nRUN /bin/payload exit 3\n");
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> build(ctx, true, 128));
        assertEquals(Cause.STEP_FAILED, e.failure());
        assertEquals("line 2: RUN /bin/payload exit 3: exit code 3", e.getMessage());
        assertEquals(e.getMessage(), fx.log.lines().get(fx.log.lines().size() - 1));
    }

    @Test
    void shouldFailAStepPastTheBuildsMemoryAsOutOfMemory() throws IOException {
        Path ctx = context("FROM payload:1\nRUN /bin/payload memhog 512\n");
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> build(ctx, true, 128));
        assertEquals(Cause.OUT_OF_MEMORY, e.failure(), e.getMessage() + "\n" + fx.log);
        assertTrue(e.getMessage().endsWith("out of memory: the build's memory is 128 MB"), e.getMessage());
    }

    @Test
    void shouldEndCancelledWhenCancelledDuringASleep() throws Exception {
        Path ctx = context("FROM payload:1\nRUN echo sleeping && /bin/payload sleep 300\n");
        BuildControl control = new BuildControl();
        fx.log.clear();
        CompletableFuture<BuiltImage> build = CompletableFuture.supplyAsync(() -> fx.builder.build(
                fx.request(buildId, ctx, true), fx.log, control));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            while (!fx.log.output().contains("sleeping")) {
                Thread.sleep(50);
            }
        }, "the step started: " + fx.log);
        control.cancel("aborted by the test");
        BuildFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                BuildFailedException.class, () -> {
                    try {
                        build.join();
                    } catch (java.util.concurrent.CompletionException c) {
                        throw c.getCause();
                    }
                }), "a cancelled build ends");
        assertEquals(Cause.CANCELLED, e.failure(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "FROM payload:1\\nRUN true\\nFOO bar\\n|3|FOO",
            "FROM payload:1\\nRUN true \\\\\\n|2|continuation",
            "FROM payload:1\\nCOPY ../outside /x\\n|2|outside the build context",
            "FROM payload:1\\nFROM nosuch:2\\n|2|no image named nosuch:2"})
    void shouldFailABadDockerfileNamingTheLine(String dockerfile, int line, String says) throws IOException {
        Path ctx = context(dockerfile.replace("\\n", "\n").replace("\\\\", "\\"));
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> build(ctx, true, 128));
        assertEquals(Cause.INVALID, e.failure(), e.getMessage());
        assertEquals(OptionalInt.of(line), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    /** What {@code script} prints in a container started on {@code layers}. */
    private String run(List<Digest> layers, String script) throws Exception {
        List<Path> paths = layers.stream().map(fx.layers::path).toList();
        String id = buildId + "-check";
        try (Container c = rt.runtime().create(new SpecBuilder(id, paths.get(0), dir.resolve("rt/check/" + id),
                "/bin/sh", "-c", script).layers(paths.subList(1, paths.size())).build())) {
            String out = new String(c.output().orElseThrow().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(ExitStatus.exited(0), c.awaitExit(Duration.ofSeconds(30)).orElseThrow(), out);
            return out;
        }
    }
}
