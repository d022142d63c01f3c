package io.actord.daemon.bench;

import io.actord.daemon.ActorDaemon;
import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.Cgroups;
import io.actord.cgroups.testing.TestLimits;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.ImportLimits;
import io.actord.daemon.image.ImportedImage;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.image.TarEntry;
import io.actord.runtime.FileTrees;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestImages;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.DiskLimit;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.LayerFiles;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.NetworkMode;
import io.actord.runtime.Output;
import io.actord.runtime.RuntimeConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The image benchmark (not a test; {@code daemon/bench/images} runs it):
 * <ol>
 *   <li>import time of a ~100 MB image (5 gzip layers of ~20 MB, half random and half text) from an OCI
 *       layout into an empty layer store, as layers/s and MB/s, next to GNU tar unpacking the same
 *       layers (no digests, no checks) in the same run;</li>
 *   <li>the start latency (create → /bin/true → exit → close) of a container whose rootfs is the
 *       payload rootfs as 1 layer, against 5 layers: the same payload layer with 4 one-file layers
 *       ({@code /opt/layerN/file}) stacked on it, through the real runtime (root only): what each extra
 *       overlayfs lowerdir costs at start.</li>
 * </ol>
 * Usage: {@code ImageBench [imports=3] [starts=40]}
 */
public final class ImageBench {
    private static final int LAYERS = 5;
    private static final int FILES_PER_LAYER = 200;
    private static final int FILE_BYTES = 100 * 1024;

    private ImageBench() {
    }

    public static void main(String[] args) throws Exception {
        int imports = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int starts = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path dir = Files.createTempDirectory("actord-image-bench");
        try {
            importTime(dir, imports);
            startLatency(dir, starts);
        } finally {
            FileTrees.delete(dir);
        }
    }

    private static void importTime(Path dir, int imports) throws Exception {
        Random random = new Random(42);
        List<byte[]> layers = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            TestImages.Layer layer = new TestImages.Layer().dir("layer" + l);
            for (int f = 0; f < FILES_PER_LAYER; f++) {
                byte[] data = new byte[FILE_BYTES];
                random.nextBytes(data);
                byte[] text = ("line " + f + " of layer " + l + ", compressible text\n").repeat(FILE_BYTES / 80)
                        .getBytes();
                System.arraycopy(text, 0, data, FILE_BYTES / 2, Math.min(text.length, FILE_BYTES / 2));
                int[] ids = TestImages.ownIds();
                layer.raw(TarEntry.file("layer" + l + "/f" + f, 0644, data.length).withOwner(ids[0], ids[1]), data);
            }
            layers.add(layer.tar());
        }
        long tarBytes = layers.stream().mapToLong(b -> b.length).sum();
        Path layout = TestImages.writeDir(dir.resolve("layout"), TestImages.ociLayout(TestImages.Image.of(layers)
                .withConfig(List.of("/bin/true"), List.of(), List.of(), null, null), "bench", TestImages.Compression.GZIP));
        long blobBytes = 0;
        for (byte[] l : layers) {
            blobBytes += Files.size(layout.resolve("blobs/sha256").resolve(Digest.of(TestImages.compress(l,
                    TestImages.Compression.GZIP)).hex()));
        }
        double[] actord = new double[imports];
        double[] gnuTar = new double[imports];
        for (int i = 0; i < imports; i++) {
            Path state = dir.resolve("state" + i);
            try (StateStore store = RocksStateStore.open(state.resolve("rocksdb"), ActorDaemon.TABLES)) {
                LayerStore layerStore = LayerStore.open(state.resolve("layers"), store, LayerFiles.kernel(),
                        new Compression(state.resolve("native")), Clock.systemUTC());
                ImageImporter importer = new ImageImporter(layerStore, ImportLimits.DEFAULT);
                long t0 = System.nanoTime();
                try (ImportedImage image = importer.importImage("oci:" + layout + ":bench")) {
                    actord[i] = (System.nanoTime() - t0) / 1e9;
                    if (image.layers().size() != LAYERS) {
                        throw new IllegalStateException("imported " + image.layers().size() + " layers");
                    }
                }
            }
            gnuTar[i] = gnuTar(layout, layers, dir.resolve("tar" + i));
            FileTrees.delete(state);
            FileTrees.delete(dir.resolve("tar" + i));
        }
        double a = median(actord);
        double t = median(gnuTar);
        System.out.printf("image import: %d layers, %.1f MB uncompressed (%.1f MB gzip), %d files; median of %d%n",
                LAYERS, tarBytes / 1e6, blobBytes / 1e6, LAYERS * FILES_PER_LAYER, imports);
        System.out.printf("  actord (verify digests, safe extract): %6.2f s  %6.1f layers/s  %6.1f MB/s%n", a,
                LAYERS / a, tarBytes / 1e6 / a);
        System.out.printf("  GNU tar -xzf, same layers (no checks): %6.2f s  %6.1f layers/s  %6.1f MB/s%n", t,
                LAYERS / t, tarBytes / 1e6 / t);
        System.out.printf("  ratio actord/GNU tar: %.2f%n", a / t);
    }

    private static double gnuTar(Path layout, List<byte[]> layers, Path target) throws Exception {
        Files.createDirectories(target);
        long t0 = System.nanoTime();
        for (byte[] l : layers) {
            Path blob = layout.resolve("blobs/sha256").resolve(Digest.of(TestImages.compress(l,
                    TestImages.Compression.GZIP)).hex());
            Process p = new ProcessBuilder("tar", "-xzf", blob.toString(), "-C", target.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("tar -xzf " + blob + " failed");
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void startLatency(Path dir, int starts) throws Exception {
        if (ItRuntime.unavailableReason().isPresent()) {
            System.out.println("start latency: skipped: " + ItRuntime.unavailableReason().get());
            return;
        }
        Path payload = ItRuntime.payloadRootfs();
        Path state = dir.resolve("start");
        try (StateStore store = RocksStateStore.open(state.resolve("rocksdb"), ActorDaemon.TABLES)) {
            LayerStore layerStore = LayerStore.open(state.resolve("layers"), store, LayerFiles.kernel(),
                    new Compression(state.resolve("native")), Clock.systemUTC());
            ImageImporter importer = new ImageImporter(layerStore, ImportLimits.DEFAULT);
            List<Path> one = paths(layerStore, importer.importRootfs(payload));
            List<Path> five = new ArrayList<>(paths(layerStore, importer.importRootfs(payload)));
            for (int i = 1; i < LAYERS; i++) {
                Path extra = Files.createDirectories(dir.resolve("extra" + i).resolve("opt/layer" + i));
                Files.writeString(extra.resolve("file"), "layer " + i + "\n");
                five.addAll(paths(layerStore, importer.importRootfs(dir.resolve("extra" + i))));
            }
            CgroupConfig cgroups = new CgroupConfig(ItRuntime.subtree());
            double[] oneMs = new double[starts];
            double[] fiveMs = new double[starts];
            try (LinuxContainerRuntime runtime = LinuxContainerRuntime.open(RuntimeConfig.defaults()
                    .withCgroups(cgroups).withLibDir(state.resolve("lib")))) {
                for (int i = -5; i < starts; i++) { // five warm-up rounds, then alternate to share the noise
                    double a = start(runtime, one, state, "one" + i);
                    double b = start(runtime, five, state, "five" + i);
                    if (i >= 0) {
                        oneMs[i] = a;
                        fiveMs[i] = b;
                    }
                }
            } finally {
                Cgroups.detect(cgroups).release();
            }
            double m1 = median(oneMs);
            double m5 = median(fiveMs);
            System.out.printf("start latency (create -> /bin/true -> exit -> close, no disk quota), median of %d:%n",
                    starts);
            System.out.printf("  1 layer:  %6.1f ms (p95 %6.1f)%n", m1, p95(oneMs));
            System.out.printf("  5 layers: %6.1f ms (p95 %6.1f)%n", m5, p95(fiveMs));
            System.out.printf("  extra for 5 layers: %+.1f ms (ratio %.2f)%n", m5 - m1, m5 / m1);
        }
    }

    private static List<Path> paths(LayerStore store, ImportedImage image) {
        image.close(); // a benchmark store: nothing collects while it runs
        return image.layers().stream().map(store::path).toList();
    }

    private static double start(LinuxContainerRuntime runtime, List<Path> layers, Path state, String name) {
        String id = "imgbench-" + name;
        ContainerSpec spec = new ContainerSpec(id, layers, List.of("/bin/true"), Map.of("PATH", "/bin"), "/",
                ContainerSpec.User.ROOT, id, TestLimits.forMemory(128), DiskLimit.unlimited(), NetworkMode.ISOLATED, List.of(), new Output.Discard(),
                state.resolve("runs").resolve(id));
        long t0 = System.nanoTime();
        Container c = runtime.create(spec);
        ExitStatus status = c.awaitExit(Duration.ofSeconds(30)).orElseThrow();
        c.close();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!status.succeeded()) {
            throw new IllegalStateException(id + ": /bin/true " + status);
        }
        return ms;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double p95(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[(int) Math.ceil(0.95 * s.length) - 1];
    }
}
