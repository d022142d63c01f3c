package io.actord.daemon.image;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Imports images into the {@link LayerStore}: an OCI image layout or a docker-archive (by
 * {@link ImageRef}), or a plain rootfs — a directory (streamed as one tar layer) or a tar file, plain or
 * compressed. Layers the store already has are not read again. Each import is bounded by
 * {@link ImportLimits}; on any failure the layers it added are removed again.
 */
public final class ImageImporter {
    private static final Logger LOG = LoggerFactory.getLogger(ImageImporter.class);
    private static final int PIPE_BUFFER = 1 << 20;

    private final LayerStore store;
    private final ImportLimits limits;

    public ImageImporter(LayerStore store, ImportLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    public LayerStore store() {
        return store;
    }

    /**
     * Unpacks a source archive (plain, gzip or zstd tar) into the empty directory {@code into}, as safely as a layer
     * and under the same limits as an import.
     *
     * @throws ImageException for bad, hostile or oversized content
     */
    public void extract(InputStream archive, Path into, String what) throws IOException {
        store.extract(archive, into, what, limits);
    }

    /** Imports the image {@code reference} names ({@link ImageRef} syntax). */
    public ImportedImage importImage(String reference) {
        ImageRef ref = ImageRef.parse(reference);
        return guarded(ref.toString(), (pin, budget) -> {
            try (ImageFiles files = ImageFiles.open(ref.path())) {
                ResolvedImage image = ref.transport() == ImageRef.Transport.OCI
                        ? OciLayout.resolve(files, ref.reference(), ref.toString())
                        : DockerArchive.resolve(files, ref.reference(), ref.toString());
                List<Digest> layers = new ArrayList<>();
                for (int i = 0; i < image.layers().size(); i++) {
                    ResolvedImage.Blob blob = image.layers().get(i);
                    String what = "layer " + (i + 1) + " (" + blob.diffId() + ") of " + ref;
                    if (blob.digest().isPresent() && store.has(blob.diffId(), pin)) {
                        verifyBlob(files, blob, what);
                    } else {
                        try (InputStream in = files.open(blob.name())) {
                            store.unpack(in, what, blob.digest(), Optional.of(blob.diffId()), budget, pin);
                        }
                    }
                    layers.add(blob.diffId());
                }
                return new Imported(layers, image.config(), image.description());
            }
        });
    }

    /**
     * A layer already stored is not unpacked again, but the image's blob for it must still be there and
     * match its digest: the config's DiffID alone would let any manifest claim a layer it does not carry.
     */
    private static void verifyBlob(ImageFiles files, ResolvedImage.Blob blob, String what) throws IOException {
        MessageDigest sha = Digest.newSha256();
        try (InputStream in = new DigestInputStream(files.open(blob.name()), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        Digest actual = Digest.of(sha);
        if (!actual.equals(blob.digest().orElseThrow())) {
            throw new ImageException(what + ": blob does not match its digest " + blob.digest().get() + " (it is "
                    + actual + ")");
        }
    }

    /** Imports a plain rootfs on the host: a directory or a (possibly gzip or zstd compressed) tar file. */
    public ImportedImage importRootfs(Path source) {
        if (!source.isAbsolute()) {
            throw new ImageException("rootfs must be an absolute path on the daemon's host, got '" + source + "'");
        }
        String what = "rootfs " + source;
        return guarded(what, (pin, budget) -> {
            Digest layer;
            if (Files.isDirectory(source)) {
                layer = fromDirectory(source, what, budget, pin);
            } else if (Files.isRegularFile(source)) {
                try (InputStream in = Files.newInputStream(source)) {
                    layer = store.unpack(in, what, Optional.empty(), Optional.empty(), budget, pin);
                }
            } else {
                throw new ImageException(what + " is neither a directory nor a tar file");
            }
            return new Imported(List.of(layer), ImageConfig.NONE, what);
        });
    }

    /**
     * Stores one layer given as its uncompressed tar stream (a build step's diff), through the same extractor,
     * limits and digest as an image's layers; the layer stays pinned until the result is closed.
     *
     * @param what names the layer in errors and the log ("step 3 of build abc")
     */
    public ImportedImage importLayer(InputStream tar, String what) {
        return guarded(what, (pin, budget) -> new Imported(List.of(store.unpack(tar, what, Optional.empty(),
                Optional.empty(), budget, pin)), ImageConfig.NONE, what));
    }

    private Digest fromDirectory(Path source, String what, ImportBudget budget, LayerStore.Pin pin)
            throws IOException {
        PipedInputStream in = new PipedInputStream(PIPE_BUFFER);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                DirectoryTar.write(source, out);
            } catch (IOException e) {
                failure.set(e);
            } finally {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the reader is gone: it has its own error to report
                }
            }
        }, "rootfs-tar");
        writer.setDaemon(true);
        writer.start();
        Digest layer;
        try (in) {
            layer = store.unpack(in, what, Optional.empty(), Optional.empty(), budget, pin);
        } catch (ImageException e) {
            in.close(); // a writer blocked on the full pipe fails and ends
            join(writer);
            throw failure.get() == null ? e : readError(what, failure.get());
        }
        join(writer);
        if (failure.get() != null) {
            throw readError(what, failure.get());
        }
        return layer;
    }

    private static ImageException readError(String what, IOException e) {
        return new ImageException(what + ": read: " + e.getMessage(), e);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Imported(List<Digest> layers, ImageConfig config, String description) {
    }

    private interface Step {
        Imported run(LayerStore.Pin pin, ImportBudget budget) throws IOException;
    }

    private ImportedImage guarded(String source, Step step) {
        long started = System.nanoTime();
        ImportBudget budget = new ImportBudget(limits);
        LayerStore.Pin pin = store.pin();
        try {
            Imported done = step.run(pin, budget);
            LOG.info("image imported source={} image=\"{}\" layers={} unpackedBytes={} ms={}", source,
                    done.description(), done.layers().size(), budget.bytes(), (System.nanoTime() - started) / 1_000_000);
            return new ImportedImage(source, done.layers(), done.config(), budget.bytes(), store, pin);
        } catch (IOException e) {
            release(pin);
            throw new UncheckedIOException("import " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(pin);
            throw e;
        }
    }

    /** After a failed import: nothing it added stays. */
    private void release(LayerStore.Pin pin) {
        List<Digest> added = pin.held();
        pin.close();
        store.collect(added);
    }
}
