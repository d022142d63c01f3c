package io.actord.daemon.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.common.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}, written last into a backup: its presence says the backup is complete. The backup's
 * directory holds, by these names: {@code rocksdb/} (a checkpoint of the state store), {@code layers/sha256/<hex>/}
 * (each layer the checkpoint names), {@code logs/<runId>.log} (the checkpoint's runs' logs), {@code secrets.key}
 * and {@code input-secrets/}.
 *
 * @param format        always {@link #FORMAT}
 * @param formatVersion the layout of the backup's directory; a restore refuses a newer one
 * @param daemonVersion the actord that wrote it
 * @param createdAt     when the checkpoint was taken: the backup's point in time
 * @param stateSchema   the state store's schema version; a restore refuses one newer than it understands
 * @param records       how many records some tables had at that time (users, actors, builds, runs, storages, items)
 * @param layers        the layers' DiffIDs ({@code sha256:<hex>})
 * @param layersLinked  whether the layers are hard links to the daemon's own (the backup was on its file system)
 * @param logs          how many run logs it holds
 * @param secretsKey    whether it holds the key of secret environment variables
 * @param inputSecrets  whether it holds the key pair of secret input fields
 * @param millis        how long writing it took
 */
public record BackupManifest(String format, int formatVersion, String daemonVersion, Instant createdAt,
                             int stateSchema, Map<String, Long> records, List<String> layers, boolean layersLinked,
                             int logs, boolean secretsKey, boolean inputSecrets, long millis) {
    public static final String FORMAT = "actord-backup";
    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "manifest.json";
    /** The names inside a backup's directory. */
    static final String ROCKSDB = "rocksdb";
    static final String LAYERS = "layers";
    static final String LOGS = "logs";
    static final String SECRETS_KEY = "secrets.key";
    static final String INPUT_SECRETS = "input-secrets";

    /** Writes the manifest into {@code backup} (through a temporary file, so it appears whole or not at all). */
    void write(Path backup) throws IOException {
        Path temp = backup.resolve(FILE + ".tmp");
        try {
            Files.write(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialise a backup manifest", e);
        }
        Files.move(temp, backup.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The manifest of the backup in {@code backup}.
     *
     * @throws RestoreException when there is none (not a backup, or an unfinished one) or it is not one
     */
    static BackupManifest read(Path backup) {
        Path file = backup.resolve(FILE);
        BackupManifest m;
        try {
            m = Json.MAPPER.readValue(Files.readAllBytes(file), BackupManifest.class);
        } catch (NoSuchFileException e) {
            throw new RestoreException(backup + " is not a complete actord backup: it has no " + FILE);
        } catch (JsonProcessingException e) {
            throw new RestoreException("read " + file + ": not a backup manifest: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
        if (!FORMAT.equals(m.format())) {
            throw new RestoreException(file + " is not an actord backup manifest (format '" + m.format() + "')");
        }
        return m;
    }
}
