package io.actord.daemon.backup;

import io.actord.daemon.common.StateDirectory;
import io.actord.daemon.state.StateStore;
import io.actord.runtime.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a state directory back from a backup, offline (no daemon may use the directory). It refuses a directory
 * that already holds any of what a backup holds, so it never mixes two states. Everything is copied into a staging
 * directory inside the state directory first (layers as hard links when the backup is on the same file system:
 * they are never written, and the restored layer store only unlinks), then moved into place, so a failed restore
 * leaves the state directory as it was.
 *
 * <p>The runs that were active at the backup's point in time have no container in the restored state: at its first
 * start the daemon's recovery finds their containers gone (or, on the host of the original daemon, belonging to
 * another state directory) and ends them FAILED, as it ends runs whose containers vanished while it was down.
 */
public final class Restore {
    private static final Logger LOG = LoggerFactory.getLogger(Restore.class);

    private Restore() {
    }

    /**
     * Restores {@code backup} into the state directory {@code target} describes.
     *
     * @throws RestoreException when {@code backup} is not a complete backup this actord can read, or the state
     *                          directory already holds state
     * @throws IOException      when copying fails (the state directory is then left as it was)
     */
    public static BackupManifest restore(Path backup, StateLayout target) throws IOException {
        BackupManifest manifest = BackupManifest.read(backup);
        if (manifest.formatVersion() > BackupManifest.FORMAT_VERSION || manifest.stateSchema() > StateStore.SCHEMA_VERSION) {
            throw new RestoreException(backup + " was written by a newer actord (" + manifest.daemonVersion()
                    + ": backup format " + manifest.formatVersion() + ", state schema " + manifest.stateSchema()
                    + "); this one reads up to format " + BackupManifest.FORMAT_VERSION + ", schema "
                    + StateStore.SCHEMA_VERSION);
        }
        if (!Files.isDirectory(backup.resolve(BackupManifest.ROCKSDB))) {
            throw new RestoreException(backup + " is not a complete backup: it has no " + BackupManifest.ROCKSDB + "/");
        }
        List<Part> parts = parts(backup, target);
        for (Part p : parts) {
            if (holdsState(p.to())) {
                throw new RestoreException("the state directory " + target.stateDir() + " already holds state ("
                        + p.to() + "); restore into a new or empty state directory");
            }
        }
        StateDirectory.makePrivate(target.stateDir());
        Path staging = Files.createTempDirectory(target.stateDir(), ".restore-");
        try {
            List<Path> staged = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                Path to = staging.resolve(Integer.toString(i));
                staged.add(to);
                if (Files.exists(p.from(), LinkOption.NOFOLLOW_LINKS)) {
                    TreeCopy.copy(p.from(), to, p.linkable() && TreeCopy.sameFileSystem(p.from(), staging));
                }
            }
            for (int i = 0; i < parts.size(); i++) {
                Path to = parts.get(i).to();
                if (Files.exists(staged.get(i), LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(to); // an empty directory: holdsState said so
                    Files.move(staged.get(i), to, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            FileTrees.delete(staging);
        }
        LOG.info("restored backup={} stateDir={} at={} layers={} logs={} records={}", backup, target.stateDir(),
                manifest.createdAt(), manifest.layers().size(), manifest.logs(), manifest.records());
        return manifest;
    }

    /** One thing a backup holds, where it goes, and whether hard links may stand for its files. */
    private record Part(Path from, Path to, boolean linkable) {
    }

    private static List<Part> parts(Path backup, StateLayout target) {
        return List.of(new Part(backup.resolve(BackupManifest.ROCKSDB), target.rocksDb(), false),
                new Part(backup.resolve(BackupManifest.LAYERS), target.layers(), true),
                new Part(backup.resolve(BackupManifest.LOGS), target.logs(), false),
                new Part(backup.resolve(BackupManifest.SECRETS_KEY), target.secretsKey(), false),
                new Part(backup.resolve(BackupManifest.INPUT_SECRETS), target.inputSecrets(), false));
    }

    /** A file, or a directory with anything in it (an empty one is what a daemon that stored nothing leaves). */
    private static boolean holdsState(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
            return entries.iterator().hasNext();
        }
    }
}
