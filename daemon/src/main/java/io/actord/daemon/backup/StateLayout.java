package io.actord.daemon.backup;

import java.nio.file.Path;

/**
 * Where a state directory keeps what a backup holds (the daemon's configuration says; a backup keeps the same names
 * relative to its own directory, {@link BackupManifest}).
 *
 * @param stateDir     the state directory
 * @param rocksDb      the state store's database
 * @param layers       the layer store ({@code sha256/<hex>/} below it)
 * @param logs         the runs' log files ({@code <runId>.log})
 * @param secretsKey   the key of secret environment variables
 * @param inputSecrets the key pair of secret input fields
 */
public record StateLayout(Path stateDir, Path rocksDb, Path layers, Path logs, Path secretsKey, Path inputSecrets) {
}
