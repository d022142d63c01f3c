package io.actord.daemon.build;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One entry of a build context to send: a regular file, a directory or a symbolic link (kept as a link).
 *
 * @param path   relative to the context root, '/'-separated, never empty
 * @param file   the entry on the host
 * @param target a link's target as stored in the link
 */
public record ContextEntry(String path, Path file, Type type, Optional<String> target) {
    public enum Type { FILE, DIRECTORY, SYMLINK }
}
