package io.actord.daemon.build;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.ImportLimits;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.image.NamedImages;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.LayerFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A builder over a real state store and layer store in a directory, with a base image named {@code base:1} (a
 * directory with /etc/passwd, /etc/group and /bin/tool), for tests. Layer files are written without privileges
 * (owners, whiteouts and extended attributes are not applied) unless the caller gives the kernel's.
 */
final class BuilderFixture implements AutoCloseable {
    final Path dir;
    final StateStore state;
    final LayerStore layers;
    final ImageImporter importer;
    final NamedImages named;
    final DockerfileImageBuilder builder;
    final Log log = new Log();

    BuilderFixture(Path dir, ContainerRuntime runtime, LayerFiles files, StepDns dns) throws IOException {
        this.dir = dir;
        state = RocksStateStore.open(dir.resolve("rocksdb"), ActorDaemon.TABLES);
        Compression compression = new Compression(dir.resolve("native"));
        layers = LayerStore.open(dir.resolve("layers"), state, files, compression, Clock.systemUTC());
        importer = new ImageImporter(layers, ImportLimits.DEFAULT);
        named = new NamedImages(state, layers, Clock.systemUTC());
        builder = new DockerfileImageBuilder(runtime, importer, named, MissingLayers.NONE, state, dns,
                dir.resolve("containers"), files, compression, Clock.systemUTC());
    }

    /** Names the rootfs directory {@code rootfs} as {@code name}. */
    void name(String name, Path rootfs) {
        named.put(name, importer.importRootfs(rootfs));
    }

    /** A small base image named base:1. */
    void baseImage() throws IOException {
        Path rootfs = dir.resolve("base-rootfs");
        write(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
        write(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:\napp:x:1001:\n");
        write(rootfs.resolve("bin/tool"), "tool\n");
        name("base:1", rootfs);
    }

    /** A context directory {@code name} with the files given as path, content, path, content... */
    Path context(String name, String... pathsAndContents) throws IOException {
        Path ctx = dir.resolve(name);
        Files.createDirectories(ctx);
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            write(ctx.resolve(pathsAndContents[i]), pathsAndContents[i + 1]);
        }
        return ctx;
    }

    BuildRequest request(String id, Path context, boolean useCache) {
        return new BuildRequest(id, context, "Dockerfile", Map.of(), useCache, new RunSize(128), RunNetwork.ISOLATED);
    }

    BuiltImage build(String id, Path context, boolean useCache) {
        return builder.build(request(id, context, useCache), log, new BuildControl());
    }

    /** The image's files as a container would see them. */
    LayerStack stack(List<Digest> image) {
        return new LayerStack(image.stream().map(layers::path).toList(), LayerFiles.kernel());
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    static String read(Optional<Path> file) {
        try {
            return Files.readString(file.orElseThrow(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        state.close();
    }

    /** A build log kept in memory. */
    static final class Log implements BuildOutput {
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder output = new StringBuilder();

        @Override
        public synchronized void append(byte[] buf, int off, int len) {
            output.append(new String(buf, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public synchronized void system(String message) {
            lines.add(message);
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized String output() {
            return output.toString();
        }

        synchronized void clear() {
            lines.clear();
            output.setLength(0);
        }

        @Override
        public synchronized String toString() {
            return String.join("\n", lines) + "\n--- output ---\n" + output;
        }
    }
}
