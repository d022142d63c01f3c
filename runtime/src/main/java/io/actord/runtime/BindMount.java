package io.actord.runtime;

import java.nio.file.Path;

/** A host path bound into the container at {@code target} (absolute, inside the container). */
public record BindMount(Path source, String target, boolean readOnly) {
    public BindMount {
        if (!target.startsWith("/") || target.contains("/../") || target.endsWith("/..")) {
            throw new IllegalArgumentException("bind mount target must be an absolute path without '..': " + target);
        }
    }
}
