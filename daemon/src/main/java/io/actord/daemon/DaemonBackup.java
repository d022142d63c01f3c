package io.actord.daemon;

import io.actord.daemon.backup.BackupManifest;
import io.actord.daemon.backup.Restore;
import io.actord.daemon.backup.RestoreException;
import io.actord.daemon.backup.StateLayout;
import io.actord.daemon.common.UsageException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The daemon's side of backups: where its configuration keeps what a backup holds, and {@code actord --restore DIR}
 * (with the daemon's other flags, of which it reads {@code --state-dir} and {@code --config}): it restores the state
 * directory from the backup and exits, without serving (start the daemon, or the service, after it). Like the info
 * flags it is handled before the daemon starts, and it is no config-file key: a restore is a one-off act.
 */
public final class DaemonBackup {
    static final String USAGE = """
              --restore DIR restore the state directory (--state-dir, or the config file's) from the backup in DIR
                            (actorctl daemon backup made it), then exit; the state directory must hold no state
            """;

    private DaemonBackup() {
    }

    /** Where the state directory of {@code config} keeps what a backup holds. */
    public static StateLayout layout(DaemonConfig config) {
        return new StateLayout(config.stateDir(), config.rocksDbDir(), config.layersDir(), config.logsDir(),
                config.secretsKeyFile(), config.inputSecretsKeyDir());
    }

    /**
     * Restores when {@code args} has {@code --restore DIR}, saying what it did on {@code out} and what failed on
     * {@code err}; the exit status (0 restored, 1 refused or failed, 2 a usage error), or empty without the flag.
     */
    public static OptionalInt restoreIfAsked(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        Optional<String> backup = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--restore") && i + 1 < args.length) {
                backup = Optional.of(args[++i]);
            } else if (args[i].startsWith("--restore=")) {
                backup = Optional.of(args[i].substring("--restore=".length()));
            } else {
                rest.add(args[i]);
            }
        }
        if (backup.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            DaemonConfig config = DaemonConfig.parse(rest.toArray(String[]::new));
            Path from = Path.of(backup.get()).toAbsolutePath();
            BackupManifest m = Restore.restore(from, layout(config));
            out.println("actord: restored " + config.stateDir() + " from " + from + " (taken " + m.createdAt()
                    + " by actord " + m.daemonVersion() + "): " + m.records() + ", " + m.layers().size() + " layers, "
                    + m.logs() + " run logs; runs that were active then end FAILED at the daemon's next start");
            return OptionalInt.of(0);
        } catch (UsageException e) {
            err.println("actord: " + e.getMessage());
            err.print(DaemonConfig.USAGE);
            return OptionalInt.of(2);
        } catch (RestoreException e) {
            err.println("actord: restore: " + e.getMessage());
            return OptionalInt.of(1);
        } catch (IOException | RuntimeException e) {
            err.println("actord: restore from " + backup.get() + " failed: " + e.getMessage()
                    + " (the state directory is as it was)");
            return OptionalInt.of(1);
        }
    }
}
