package io.actord.daemon.bench;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.build.BuildControl;
import io.actord.daemon.build.BuildOutput;
import io.actord.daemon.build.BuildRequest;
import io.actord.daemon.build.BuiltImage;
import io.actord.daemon.build.DockerfileImageBuilder;
import io.actord.daemon.build.MissingLayers;
import io.actord.daemon.build.StepDns;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.ImportLimits;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.image.NamedImages;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestImages;
import io.actord.runtime.FileTrees;
import io.actord.runtime.LayerFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The build benchmark (not a test; {@code daemon/bench/build} runs it, as root): one Dockerfile FROM the runtime's
 * payload rootfs (busybox) with three RUN steps and a COPY of a 2 MB, 200-file context, built by actord's Dockerfile
 * builder (RUN steps in actord containers, layers in a fresh layer store) and by Debian's {@code buildah bud}
 * ({@code --isolation chroot}, overlay storage under {@code --root/--runroot} in a temporary directory, the same
 * rootfs given as an {@code oci:} layout), cold (no step cache: actord's useCache=0, buildah's {@code --layers
 * --no-cache}) and fully cached, alternating over the rounds. Prints medians, the ratio buildah/actord and both
 * images' sizes. Usage: {@code BuildBench [rounds=3]}
 */
public final class BuildBench {
    private static final String DOCKERFILE = """
            FROM %s
            RUN mkdir -p /app && echo built > /app/stamp && ls -R /bin > /app/bin-listing
            COPY context/ /app/src/
            RUN cat /app/src/*.txt | wc -c > /app/size && sha256sum /app/src/* > /app/sums
            RUN dd if=/dev/urandom of=/app/blob bs=1024 count=4096 2>/dev/null && rm -f /app/bin-listing
            CMD ["/bin/sh", "-c", "cat /app/size"]
            """;

    private BuildBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Optional<String> unavailable = ItRuntime.unavailableReason();
        if (unavailable.isPresent()) {
            System.out.println("build benchmark skipped: " + unavailable.get());
            return;
        }
        Path dir = Files.createTempDirectory("actord-build-bench");
        try (Buildah buildah = new Buildah(dir.resolve("buildah"))) {
            run(dir, rounds, buildah);
        } finally {
            FileTrees.delete(dir);
        }
    }

    private static void run(Path dir, int rounds, Buildah buildah) throws Exception {
        Path payload = ItRuntime.payloadRootfs();
        TestImages.Image base = TestImages.Image.of(List.of(TestImages.layerOf(payload))).withConfig(List.of(),
                List.of("/bin/sh"), List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), "/", "0");
        Path oci = TestImages.writeDir(dir.resolve("payload-oci"), TestImages.ociLayout(base, "1",
                TestImages.Compression.GZIP));
        Path actordContext = context(dir.resolve("ctx-actord"), "payload:1");
        Path buildahContext = context(dir.resolve("ctx-buildah"), "oci:" + oci + ":1");
        List<Long> actordCold = new ArrayList<>();
        List<Long> actordCached = new ArrayList<>();
        List<Long> buildahCold = new ArrayList<>();
        List<Long> buildahCached = new ArrayList<>();
        ItRuntime.Choice rt = ItRuntime.real(dir.resolve("rt"));
        StateStore state = RocksStateStore.open(dir.resolve("state/rocksdb"), ActorDaemon.TABLES);
        try {
            Compression compression = new Compression(dir.resolve("state/native"));
            LayerStore layers = LayerStore.open(dir.resolve("state/layers"), state, LayerFiles.kernel(), compression,
                    Clock.systemUTC());
            ImageImporter importer = new ImageImporter(layers, ImportLimits.DEFAULT);
            NamedImages named = new NamedImages(state, layers, Clock.systemUTC());
            named.put("payload:1", importer.importRootfs(payload));
            DockerfileImageBuilder builder = new DockerfileImageBuilder(rt.runtime(), importer, named,
                    MissingLayers.NONE, state, StepDns.NONE, dir.resolve("state/containers"), LayerFiles.kernel(), compression, Clock.systemUTC());
            BuiltImage image = null;
            for (int r = 1; r <= rounds; r++) {
                long t = System.nanoTime();
                image = build(builder, actordContext, "bench-cold-" + r, false);
                actordCold.add(System.nanoTime() - t);
                buildahCold.add(buildah.build(buildahContext, false));
                t = System.nanoTime();
                BuiltImage cached = build(builder, actordContext, "bench-cached-" + r, true);
                actordCached.add(System.nanoTime() - t);
                if (cached.cachedSteps() != 4) {
                    throw new IllegalStateException("the cached build took " + cached.cachedSteps() + " of 4 steps"
                            + " from the cache");
                }
                buildahCached.add(buildah.build(buildahContext, true));
                System.out.printf("round %d: cold actord %.2f s, buildah %.2f s; cached actord %.2f s, buildah %.2f s%n",
                        r, secs(actordCold.get(r - 1)), secs(buildahCold.get(r - 1)), secs(actordCached.get(r - 1)),
                        secs(buildahCached.get(r - 1)));
            }
            long actordBytes = 0;
            long baseBytes = bytes(layers.path(image.layers().get(0)));
            for (var layer : image.layers()) {
                actordBytes += bytes(layers.path(layer));
            }
            System.out.printf("%nmedian of %d rounds   actord     buildah    buildah/actord%n", rounds);
            line("cold build", actordCold, buildahCold);
            line("cached build", actordCached, buildahCached);
            System.out.printf("image size: actord %.1f MB in %d layers (%.1f MB above the base; the layers' files,"
                    + " a hard-linked file once); buildah %.1f MB (buildah images)%n", actordBytes / 1e6, image.layers().size(),
                    (actordBytes - baseBytes) / 1e6, buildah.imageBytes() / 1e6);
        } finally {
            state.close();
            rt.close();
        }
    }

    private static BuiltImage build(DockerfileImageBuilder builder, Path context, String id, boolean useCache) {
        return builder.build(new BuildRequest(id, context, "Dockerfile", Map.of(), useCache, new RunSize(512),
                RunNetwork.ISOLATED), new BuildOutput() {
                    @Override
                    public void append(byte[] buf, int off, int len) {
                    }

                    @Override
                    public void system(String message) {
                    }
                }, new BuildControl());
    }

    /** A context: the Dockerfile FROM {@code base} and 200 text files of 10 KB under context/. */
    private static Path context(Path dir, String base) throws IOException {
        Files.createDirectories(dir.resolve("context"));
        Files.writeString(dir.resolve("Dockerfile"), DOCKERFILE.formatted(base));
        for (int i = 0; i < 200; i++) {
            Files.writeString(dir.resolve("context/file" + i + ".txt"), ("file " + i + " of the context\n")
                    .repeat(10240 / 24), StandardCharsets.UTF_8);
        }
        return dir;
    }

    private static void line(String what, List<Long> actord, List<Long> buildah) {
        double a = secs(median(actord));
        double b = secs(median(buildah));
        System.out.printf("%-20s %7.2f s  %7.2f s  %6.2fx%n", what, a, b, b / a);
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static double secs(long nanos) {
        return nanos / 1e9;
    }

    /** The bytes of the regular files under {@code dir}, a file with several links (busybox's applets) once. */
    static long bytes(Path dir) throws IOException {
        Set<Object> seen = new HashSet<>();
        long sum = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (seen.add(Files.getAttribute(f, "unix:ino", LinkOption.NOFOLLOW_LINKS))) {
                    sum += Files.size(f);
                }
            }
        }
        return sum;
    }
}
