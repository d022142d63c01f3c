package io.actord.daemon.build;

import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.ImportedImage;
import io.actord.daemon.image.LayerStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One build under way: its request, log and control, the layers it holds in the store until it ends (pinned, so no
 * collection takes them between a cache hit or an import and the caller's reference), and its step counters. Closing
 * it releases them. Not thread-safe: one build runs on one thread.
 */
final class BuildSession implements AutoCloseable {
    /** Writes a layer as an uncompressed tar. */
    @FunctionalInterface
    interface TarSource {
        void write(OutputStream sink) throws IOException;
    }

    private final BuildRequest request;
    private final BuildOutput out;
    private final BuildControl control;
    private final ImageImporter importer;
    private final LayerStore.Pin pin;
    private final List<ImportedImage> imports = new ArrayList<>();
    private final int totalSteps;
    private int step;
    private int cachedSteps;
    private OptionalInt line = OptionalInt.empty();

    BuildSession(BuildRequest request, BuildOutput out, BuildControl control, ImageImporter importer, int totalSteps) {
        this.request = request;
        this.out = out;
        this.control = control;
        this.importer = importer;
        this.pin = importer.store().pin();
        this.totalSteps = totalSteps;
    }

    BuildRequest request() {
        return request;
    }

    BuildOutput out() {
        return out;
    }

    BuildControl control() {
        return control;
    }

    LayerStore.Pin pin() {
        return pin;
    }

    List<ImportedImage> imports() {
        return imports;
    }

    /** The steps begun so far (the number of the one under way). */
    int steps() {
        return step;
    }

    int cachedSteps() {
        return cachedSteps;
    }

    void cached() {
        cachedSteps++;
        out.system(" ---> Using cache");
    }

    /** The line of the step under way, for failures that do not name one. */
    OptionalInt line() {
        return line;
    }

    /** Logs the next step ("Step 3/9 : RUN npm ci"), after checking the build was not cancelled. */
    void begin(Instruction instruction) {
        checkCancelled();
        step++;
        line = OptionalInt.of(instruction.line());
        out.system("Step " + step + "/" + Math.max(step, totalSteps) + " : " + instruction.text());
    }

    /** Fails the build with CANCELLED when the caller has cancelled it. */
    void checkCancelled() {
        Optional<String> why = control.cancelled();
        if (why.isPresent()) {
            throw failure(BuildFailedException.Cause.CANCELLED, "build cancelled: " + why.get());
        }
    }

    /** A failure whose message is the log's last line. */
    BuildFailedException failure(BuildFailedException.Cause cause, String message) {
        out.system(message);
        return new BuildFailedException(cause, line, message);
    }

    /** The host directories of {@code layers}, lowest first. */
    List<Path> paths(List<Digest> layers) {
        return layers.stream().map(importer.store()::path).toList();
    }

    /** Stores the layer {@code tar} writes and returns its DiffID; it stays pinned until the build ends. */
    Digest store(TarSource tar, String what) {
        Path file = null;
        try {
            file = Files.createTempFile(importer.store().tmp(), "build-", ".tar");
            try (OutputStream sink = Files.newOutputStream(file)) {
                tar.write(sink);
            }
            ImportedImage layer;
            try (InputStream in = Files.newInputStream(file)) {
                layer = importer.importLayer(in, what);
            }
            imports.add(layer);
            layer.layers().forEach(d -> importer.store().has(d, pin));
            return layer.layers().get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("store " + what + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    out.system("[Warning] could not remove " + file + ": " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        imports.forEach(ImportedImage::close);
        pin.close();
    }
}
