package io.actord.daemon.image;

import io.actord.daemon.api.ApiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The numeric user and group a build's entrypoint runs as, resolved once at build time from Docker's
 * {@code USER} syntax ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}) against the image's
 * own /etc/passwd and /etc/group.
 */
public record BuildUser(int uid, int gid) {
    public static final BuildUser ROOT = new BuildUser(0, 0);

    /**
     * Resolves {@code spec} (null or empty: root) in the image whose layers are {@code topFirst}.
     *
     * @throws ApiException 400 invalid-value when a name is not in the image
     */
    public static BuildUser resolve(String spec, List<Path> topFirst) {
        if (spec == null || spec.isBlank()) {
            return ROOT;
        }
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        Optional<String[]> entry = lookup(topFirst, "etc/passwd", user, isNumber(user) ? 2 : 0);
        int uid;
        if (isNumber(user)) {
            uid = Integer.parseInt(user);
        } else {
            uid = Integer.parseInt(entry.orElseThrow(() -> ApiException.invalidValue("user '" + user
                    + "' is not in the image's /etc/passwd"))[2]);
        }
        if (colon >= 0) {
            String group = spec.substring(colon + 1);
            if (isNumber(group)) {
                return new BuildUser(uid, Integer.parseInt(group));
            }
            return new BuildUser(uid, Integer.parseInt(lookup(topFirst, "etc/group", group, 0)
                    .orElseThrow(() -> ApiException.invalidValue("group '" + group
                            + "' is not in the image's /etc/group"))[2]));
        }
        return new BuildUser(uid, entry.map(e -> Integer.parseInt(e[3])).orElse(0));
    }

    /**
     * The owner {@code COPY --chown=spec} gives: as {@link #resolve}, except that a user without a group gets
     * the user's uid as its gid too (Docker's rule for --chown, unlike USER's primary group).
     */
    public static BuildUser forChown(String spec, List<Path> topFirst) {
        if (spec.indexOf(':') >= 0) {
            return resolve(spec, topFirst);
        }
        int uid = resolve(spec, topFirst).uid();
        return new BuildUser(uid, uid);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }

    /** The line of {@code file} whose field {@code field} is {@code key}, from the topmost layer that has the file. */
    private static Optional<String[]> lookup(List<Path> topFirst, String file, String key, int field) {
        for (Path layer : topFirst) {
            Path p = layer.resolve(file);
            if (Files.isSymbolicLink(p) || Files.isSymbolicLink(p.getParent())) {
                return Optional.empty();
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty(); // a whiteout: the file was deleted in this layer
                }
                try {
                    return Files.readAllLines(p).stream().map(l -> l.split(":", -1))
                            .filter(f -> f.length >= 4 && f[field].equals(key) && isNumber(f[2]))
                            .findFirst();
                } catch (IOException e) {
                    throw new UncheckedIOException("read " + p, e);
                }
            }
        }
        return Optional.empty();
    }
}
