package io.actord.daemon.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The daemon's state directory and the directories in it are the daemon's alone (0700): runs leave files
 * there that must not reach another local user. A run is root in its container, so its writable layer in
 * {@code <state>/containers} (nosuid and nodev only inside the run) may hold a setuid root binary or a device
 * node; image layers in {@code <state>/layers} carry the setuid binaries and file capabilities images
 * legitimately have. None of that may be reachable by path from the host but by root.
 */
public final class StateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(StateDirectory.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** rwx for the owner alone, for directories the daemon creates. */
    public static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(OWNER_ONLY);

    private StateDirectory() {
    }

    /**
     * Creates the state directory 0700, or makes an existing one 0700 (one that {@code bin/up} or an older
     * daemon made 0755), logging that it did.
     */
    public static void makePrivate(Path stateDir) {
        try {
            if (!Files.isDirectory(stateDir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(stateDir, PRIVATE);
            }
            Set<PosixFilePermission> was = Files.getPosixFilePermissions(stateDir, LinkOption.NOFOLLOW_LINKS);
            if (!was.equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(stateDir, OWNER_ONLY);
                LOG.info("state directory made private dir={} was={}", stateDir, PosixFilePermissions.toString(was));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("make the state directory " + stateDir + " private (0700)", e);
        }
    }

    /** {@code dir} and any missing parent, each created 0700 (existing ones are left as they are). */
    public static Path createPrivate(Path dir) throws IOException {
        return Files.createDirectories(dir, PRIVATE);
    }
}
