package io.actord.daemon.image;

import io.actord.daemon.common.StateDirectory;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.Table;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.runtime.FileTrees;
import io.actord.runtime.LayerFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The content-addressed layer store under the state directory:
 * <pre>
 *   layers/sha256/&lt;hex&gt;/   one unpacked layer, named by its DiffID; an overlayfs lowerdir, never written again
 *   layers/tmp/              layers being unpacked and layers being deleted; emptied at every start
 * </pre>
 * A layer is unpacked into {@code tmp/} while both its digests are computed, and renamed into place only
 * when they match, so a failed import leaves nothing outside {@code tmp/} (and nothing at all once it has
 * cleaned up). Which builds use a layer is the {@link Tables#LAYER_REFS} index, written in the same batch
 * as the build; a layer no build uses is removed by {@link #collect} — unless an import in progress has
 * {@linkplain Pin pinned} it, between finding it in the store and storing its build.
 */
public final class LayerStore {
    private static final Logger LOG = LoggerFactory.getLogger(LayerStore.class);

    private final Path layersDir;
    private final Path tmp;
    private final Table<String, Layer> layers;
    private final Table<LayerRefKey, Empty> refs;
    private final LayerFiles files;
    private final Compression compression;
    private final Clock clock;
    /** Guards {@link #pins} and every move into or out of {@link #layersDir}. */
    private final Object lock = new Object();
    private final Map<Digest, Integer> pins = new HashMap<>();

    private LayerStore(Path dir, StateStore store, LayerFiles files, Compression compression, Clock clock) {
        this.layersDir = dir.resolve(Digest.ALGORITHM);
        this.tmp = dir.resolve("tmp");
        this.layers = store.table(ImageTables.LAYERS);
        this.refs = store.table(ImageTables.LAYER_REFS);
        this.files = files;
        this.compression = compression;
        this.clock = clock;
    }

    /** Opens the store in {@code dir}, empties its temporary area and removes layers no build uses. */
    public static LayerStore open(Path dir, StateStore store, LayerFiles files, Compression compression,
                                  Clock clock) {
        LayerStore s = new LayerStore(dir, store, files, compression, clock);
        try {
            FileTrees.delete(s.tmp);
            StateDirectory.createPrivate(s.tmp);
            StateDirectory.createPrivate(s.layersDir);
        } catch (IOException e) {
            throw new UncheckedIOException("prepare layer store " + dir, e);
        }
        s.sweep();
        return s;
    }

    /** The directory of an unpacked layer (an overlayfs lowerdir). */
    public Path path(Digest diffId) {
        return layersDir.resolve(diffId.hex());
    }

    public Optional<Layer> find(Digest diffId) {
        return layers.get(diffId.toString()).filter(l -> Files.isDirectory(path(diffId)));
    }

    /** The temporary area: imports may stage files here; it is emptied at start. */
    public Path tmp() {
        return tmp;
    }

    /** Keeps the layers added to it from {@link #collect} until closed (until their build is stored). */
    public Pin pin() {
        return new Pin();
    }

    /**
     * Whether the layer is in the store; if so it is pinned to {@code pin} first, so it stays there.
     */
    public boolean has(Digest diffId, Pin pin) {
        pin.add(diffId);
        return find(diffId).isPresent();
    }

    /**
     * Unpacks one layer blob (plain, gzip or zstd tar) and stores it under its DiffID, unless the store
     * has it already; the layer is pinned to {@code pin}.
     *
     * @param what       names the layer in errors ("layer 2 of oci:/path")
     * @param blobDigest the digest the blob as read must have, if known
     * @param diffId     the digest its uncompressed tar must have, if known (unknown for a plain rootfs)
     * @return the DiffID
     * @throws ImageException for bad, hostile or oversized content or a digest mismatch (nothing is kept)
     */
    Digest unpack(InputStream blob, String what, Optional<Digest> blobDigest, Optional<Digest> diffId,
                         ImportBudget budget, Pin pin) throws IOException {
        Path work = Files.createTempDirectory(tmp, "layer-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            long before = budget.bytes();
            MessageDigest blobSha = Digest.newSha256();
            MessageDigest diffSha = Digest.newSha256();
            InputStream compressed = new DigestInputStream(new SourceErrors(blob, what), blobSha);
            long members = extractTar(compressed, tar -> new DigestInputStream(tar, diffSha), work, what, budget);
            compressed.transferTo(OutputStream.nullOutputStream());
            verify(what, "content", blobDigest, Digest.of(blobSha));
            Digest actual = Digest.of(diffSha);
            verify(what, "uncompressed content (DiffID)", diffId, actual);
            commit(work, new Layer(Layer.SCHEMA, actual.toString(), budget.bytes() - before, members,
                    clock.instant()), actual, pin);
            return actual;
        } finally {
            FileTrees.delete(work);
        }
    }

    /**
     * Writes the stored layer {@code diffId} to {@code sink} as a tar (overlayfs's whiteouts as OCI's, as
     * {@link DirectoryTar#writeUpper} writes a container's changes), for another host of a cluster that lacks it
     * ({@link #receive}); the layer stays while it is written. False, writing nothing, when it is not stored here.
     */
    public boolean send(Digest diffId, OutputStream sink) throws IOException {
        try (Pin pin = pin()) {
            if (!has(diffId, pin)) {
                return false;
            }
            DirectoryTar.writeUpper(path(diffId), files, sink);
            return true;
        }
    }

    /**
     * Stores the layer {@code diffId} from a tar that {@link #send} wrote on another host of the cluster, unless it
     * is here already, under the limits of an import. The DiffID is taken on that host's word (the cluster's token
     * vouches for the host): the tar is written again from the unpacked files, so its digest is the layer's DiffID
     * only for a layer made from a directory.
     *
     * @throws ImageException for bad, hostile or oversized content (nothing is kept)
     */
    public void receive(Digest diffId, InputStream tar, String what, ImportLimits limits) throws IOException {
        if (find(diffId).isPresent()) {
            return;
        }
        Path work = Files.createTempDirectory(tmp, "layer-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (Pin pin = pin()) {
            ImportBudget budget = new ImportBudget(limits);
            long members = extractTar(tar, UnaryOperator.identity(), work, what, budget);
            commit(work, layers.get(diffId.toString()).orElseGet(() -> new Layer(Layer.SCHEMA, diffId.toString(),
                    budget.bytes(), members, clock.instant())), diffId, pin);
        } finally {
            FileTrees.delete(work);
        }
    }

    /**
     * Unpacks an archive (plain, gzip or zstd tar) into the empty directory {@code into} with the extractor's rules
     * for hostile archives, under {@code limits} (a build context: {@code into} is not a layer of the store).
     *
     * @throws ImageException for bad, hostile or oversized content
     */
    public void extract(InputStream archive, Path into, String what, ImportLimits limits) throws IOException {
        extractTar(new SourceErrors(archive, what), UnaryOperator.identity(), into, what, new ImportBudget(limits));
    }

    /**
     * Extracts the tar that {@code compressed} holds (plain, gzip or zstd) into {@code into} with the extractor's rules,
     * metered by {@code budget}; {@code tap} sees the uncompressed tar (a layer's DiffID is its digest). Returns how
     * many members it had.
     */
    private long extractTar(InputStream compressed, UnaryOperator<InputStream> tap, Path into, String what,
                            ImportBudget budget) throws IOException {
        InputStream tar;
        try {
            tar = tap.apply(budget.meter(new SourceErrors(compression.decompress(compressed, what), what)));
        } catch (IOException e) {
            throw new ImageException(what + ": unreadable or corrupt: " + e.getMessage(), e);
        }
        TarReader reader = new TarReader(tar, what, budget::extendedHeader);
        long members = new LayerExtractor(into, files, budget, what).extract(reader);
        reader.drain();
        return members;
    }

    private static void verify(String what, String part, Optional<Digest> expected, Digest actual) {
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw new ImageException(what + ": " + part + " does not match its digest " + expected.get()
                    + " (it is " + actual + ")");
        }
    }

    private void commit(Path work, Layer layer, Digest diffId, Pin pin) throws IOException {
        synchronized (lock) {
            pin.add(diffId);
            Path target = path(diffId);
            if (find(diffId).isPresent()) {
                return; // another import stored the same layer meanwhile; ours is deleted by the caller
            }
            if (Files.exists(target)) {
                Files.move(target, trashName(diffId), StandardCopyOption.ATOMIC_MOVE); // a crash's leftover
            }
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            layers.put(layer.diffId(), layer);
        }
        LOG.info("layer stored diffId={} bytes={} members={}", diffId, layer.tarBytes(), layer.members());
    }

    /**
     * Calls {@code snapshot} while no layer can be stored or collected, and holds every layer stored at that moment
     * (pinned to the returned pin) until the pin is closed: a backup's checkpoint of the state, taken by
     * {@code snapshot}, then names exactly the layers on disk, and none of them goes while the backup copies it.
     * Stored layers are never written again (overlayfs lowerdirs), so a copy made later is the layer as checkpointed.
     */
    public Pin holdAll(Runnable snapshot) {
        Pin pin = new Pin();
        try {
            synchronized (lock) {
                try (var it = layers.scan(io.actord.daemon.state.Scan.all())) {
                    it.forEachRemaining(e -> pin.add(Digest.parse(e.key())));
                }
                snapshot.run();
            }
            return pin;
        } catch (RuntimeException e) {
            pin.close();
            throw e;
        }
    }

    /** Removes those of {@code candidates} that no build uses and no import has pinned; returns those removed. */
    public List<Digest> collect(Collection<Digest> candidates) {
        List<Path> doomed = new ArrayList<>();
        List<Digest> removed = new ArrayList<>();
        synchronized (lock) {
            for (Digest d : new LinkedHashSet<>(candidates)) {
                if (inUse(d)) {
                    continue;
                }
                removed.add(d);
                layers.delete(d.toString());
                Path p = path(d);
                if (Files.exists(p)) {
                    Path trash = trashName(d);
                    try {
                        Files.move(p, trash, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        throw new UncheckedIOException("move layer " + p + " out of the store", e);
                    }
                    doomed.add(trash);
                }
            }
        }
        for (Path trash : doomed) {
            try {
                FileTrees.delete(trash);
            } catch (IOException e) {
                LOG.warn("remove layer dir={} error=\"{}\" (removed at the next start)", trash, e.getMessage());
            }
        }
        if (!doomed.isEmpty()) {
            LOG.info("layers collected count={}", doomed.size());
        }
        return removed;
    }

    /** The layers the store's table lists. */
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>();
        try (var it = layers.scan(Scan.all())) {
            it.forEachRemaining(e -> all.add(e.value()));
        }
        return all;
    }

    /** Whether a build, a named image or a build cache entry uses the layer, or an import has pinned it. */
    public boolean inUse(Digest diffId) {
        synchronized (lock) {
            return pins.containsKey(diffId) || refs.count(LayerRefKey.ofLayer(diffId.toString())) > 0;
        }
    }

    /** Removes every layer on disk or in the table that nothing uses (as at start); returns those removed. */
    public List<Digest> prune() {
        return sweep();
    }

    /** Every layer on disk or in the table; those no build uses go. */
    private List<Digest> sweep() {
        Set<Digest> all = new HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layersDir)) {
            for (Path p : dirs) {
                try {
                    all.add(new Digest(p.getFileName().toString()));
                } catch (ImageException e) {
                    LOG.warn("layer store has a stray entry path={}", p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list " + layersDir, e);
        }
        try (var it = layers.scan(Scan.all())) {
            it.forEachRemaining(e -> all.add(Digest.parse(e.key())));
        }
        return collect(all);
    }

    private Path trashName(Digest d) {
        return tmp.resolve("gc-" + d.hex() + "-" + System.nanoTime());
    }

    /** Layers held for an import in progress; closing releases them. */
    public final class Pin implements AutoCloseable {
        private final Set<Digest> held = new HashSet<>();

        void add(Digest d) {
            synchronized (lock) {
                if (held.add(d)) {
                    pins.merge(d, 1, Integer::sum);
                }
            }
        }

        /** The layers held now. */
        public List<Digest> held() {
            synchronized (lock) {
                return List.copyOf(held);
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                held.forEach(d -> pins.computeIfPresent(d, (k, n) -> n == 1 ? null : n - 1));
                held.clear();
            }
        }
    }

    /** Turns read errors of the source into {@link ImageException}s: the archive is at fault, not the daemon. */
    private static final class SourceErrors extends FilterInputStream {
        private final String what;

        SourceErrors(InputStream in, String what) {
            super(in);
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new ImageException(what + ": unreadable, corrupt or truncated: " + e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new ImageException(what + ": unreadable, corrupt or truncated: " + e.getMessage(), e);
            }
        }
    }
}
