/**
 * Backups of the daemon's state while it serves ({@link io.actord.daemon.backup.Backups}: a checkpoint of the state
 * store, the image layers it names, the secrets' keys and the runs' logs, with a manifest), and the offline restore
 * of a state directory from one ({@link io.actord.daemon.backup.Restore}). README's "Backup and restore" says what a
 * backup holds and what it cannot.
 */
package io.actord.daemon.backup;
