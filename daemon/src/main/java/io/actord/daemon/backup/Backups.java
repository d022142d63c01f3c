package io.actord.daemon.backup;

import io.actord.daemon.actor.ActorTables;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.StateDirectory;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageTables;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.TableDef;
import io.actord.daemon.storage.StorageTables;
import io.actord.daemon.user.UserTables;
import io.actord.runtime.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a backup of the daemon's state while runs go on. The state store's checkpoint is the backup's point in
 * time: it is taken while the layer store holds every layer it has ({@link LayerStore#holdAll}), so the layers the
 * checkpoint names are on disk until they are copied (hard links where the backup is on the state's file system;
 * layers are never written again). The runs' logs are copied (not linked: a resurrected run appends to its log)
 * after the checkpoint, for the runs it holds, so a run active then has its output up to the copy. The keys of
 * secret variables and inputs go too: without them the backup's secrets could not be read. The manifest is written
 * last. One backup at a time; a backup that fails leaves nothing behind in its directory.
 */
public final class Backups {
    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);
    /** The tables whose record counts the manifest gives. */
    private static final List<TableDef<String, ?>> COUNTED = List.of(UserTables.USERS, ActorTables.ACTORS,
            ActorTables.BUILDS, RunTables.RUNS, StorageTables.DATASETS, StorageTables.KEY_VALUE_STORES,
            StorageTables.REQUEST_QUEUES);

    private final StateLayout state;
    private final String daemonVersion;
    private final StateStore store;
    private final LayerStore layers;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();

    public Backups(StateLayout state, String daemonVersion, StateStore store, LayerStore layers, Clock clock) {
        this.state = state;
        this.daemonVersion = daemonVersion;
        this.store = store;
        this.layers = layers;
        this.clock = clock;
    }

    /**
     * Writes a backup into {@code directory}: a new directory (made 0700: it holds the secrets' keys) in an existing
     * one, or an empty directory, on the daemon's host.
     *
     * @throws ApiException 400 invalid-value for a relative path, a directory that is not empty, a missing parent or
     *                      a place inside the state directory; 503 service-unavailable while another backup is written;
     *                      400 not-implemented when the state is in PostgreSQL
     */
    public BackupManifest backup(String directory) {
        if (!(store instanceof RocksStateStore)) {
            throw new ApiException(ErrorType.NOT_IMPLEMENTED, "the state is in PostgreSQL (--state): back the database"
                    + " up with pg_dump or pg_basebackup; this backup copies a RocksDB state");
        }
        Path target = target(directory);
        if (!running.tryLock()) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "another backup is being written; try again when it"
                    + " has finished");
        }
        try {
            boolean made = prepare(target);
            try {
                return write(target);
            } catch (IOException | RuntimeException e) {
                discard(target, made, e);
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("write a backup into " + target, io);
                }
                throw (RuntimeException) e;
            }
        } finally {
            running.unlock();
        }
    }

    private Path target(String directory) {
        Path target;
        try {
            target = Path.of(directory);
        } catch (InvalidPathException e) {
            throw ApiException.invalidValue("'directory' is not a path: " + e.getReason());
        }
        if (!target.isAbsolute()) {
            throw ApiException.invalidValue("'directory' must be an absolute path on the daemon's host, got '"
                    + directory + "'");
        }
        target = target.normalize();
        Path stateDir = state.stateDir().toAbsolutePath().normalize();
        if (target.startsWith(stateDir) || stateDir.startsWith(target)) {
            throw ApiException.invalidValue("a backup cannot go into the state directory " + state.stateDir()
                    + " or a directory that holds it, got " + target);
        }
        return target;
    }

    /** Makes {@code target} (0700), or checks that it is an empty directory; returns whether it made it. */
    private static boolean prepare(Path target) {
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw ApiException.invalidValue(target + " exists and is not a directory");
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                    if (entries.iterator().hasNext()) {
                        throw ApiException.invalidValue(target + " is not empty: a backup goes into a new or empty"
                                + " directory");
                    }
                }
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
                return false;
            }
            Path parent = target.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw ApiException.invalidValue("the parent directory of " + target + " does not exist");
            }
            Files.createDirectory(target, StateDirectory.PRIVATE);
            return true;
        } catch (IOException e) {
            throw ApiException.invalidValue("cannot use " + target + " for a backup: " + e.getMessage());
        }
    }

    private BackupManifest write(Path target) throws IOException {
        long started = System.nanoTime();
        Path db = target.resolve(BackupManifest.ROCKSDB);
        Instant[] at = new Instant[1];
        try (LayerStore.Pin held = layers.holdAll(() -> {
            at[0] = clock.instant();
            store.checkpoint(db);
        })) {
            Map<String, Long> records = new LinkedHashMap<>();
            List<String> layerIds = new ArrayList<>();
            List<String> runIds = new ArrayList<>();
            int schema;
            try (StateStore copy = RocksStateStore.openReadOnly(db)) {
                schema = copy.schemaVersion();
                COUNTED.forEach(t -> records.put(t.name(), copy.table(t).count()));
                keys(copy, ImageTables.LAYERS, layerIds);
                keys(copy, RunTables.RUNS, runIds);
            }
            boolean linked = TreeCopy.sameFileSystem(state.layers(), target);
            List<String> copied = copyLayers(layerIds, target.resolve(BackupManifest.LAYERS), linked);
            int logs = copyLogs(runIds, target.resolve(BackupManifest.LOGS));
            boolean secretsKey = copyIfPresent(state.secretsKey(), target.resolve(BackupManifest.SECRETS_KEY));
            boolean inputSecrets = copyIfPresent(state.inputSecrets(), target.resolve(BackupManifest.INPUT_SECRETS));
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, BackupManifest.FORMAT_VERSION,
                    daemonVersion, at[0], schema, records, copied, linked, logs, secretsKey, inputSecrets,
                    (System.nanoTime() - started) / 1_000_000);
            manifest.write(target);
            LOG.info("backup written dir={} at={} layers={} linked={} logs={} records={} ms={}", target, at[0],
                    copied.size(), linked, logs, records, manifest.millis());
            return manifest;
        }
    }

    private static <V> void keys(StateStore copy, TableDef<String, V> table, List<String> into) {
        try (CloseableIterator<Entry<String, V>> it = copy.table(table).scan(Scan.all())) {
            it.forEachRemaining(e -> into.add(e.key()));
        }
    }

    /** Copies each layer that is on disk; a layer in the table without its directory is left out (as at a start). */
    private List<String> copyLayers(List<String> ids, Path into, boolean link) throws IOException {
        List<String> copied = new ArrayList<>();
        for (String id : ids) {
            Path from = layers.path(Digest.parse(id));
            if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("backup: layer={} is in the state but not on disk; the backup has no copy of it", id);
                continue;
            }
            Path to = into.resolve(state.layers().relativize(from));
            StateDirectory.createPrivate(to.getParent());
            TreeCopy.copy(from, to, link);
            copied.add(id);
        }
        return copied;
    }

    private int copyLogs(List<String> runIds, Path into) throws IOException {
        StateDirectory.createPrivate(into);
        int n = 0;
        for (String runId : runIds) {
            Path log = state.logs().resolve(runId + ".log");
            if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(log, into.resolve(log.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                n++;
            }
        }
        return n;
    }

    private static boolean copyIfPresent(Path from, Path to) throws IOException {
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        TreeCopy.copy(from, to, false);
        return true;
    }

    /** Removes what the failed backup wrote: the directory it made, or what it put into the empty one it was given. */
    private static void discard(Path target, boolean made, Exception cause) {
        try {
            if (made) {
                FileTrees.delete(target);
                return;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                for (Path p : entries) {
                    FileTrees.delete(p);
                }
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
