package io.actord.cgroups;

import java.nio.file.Path;
import java.util.Optional;

/** A cgroupfs operation failed; the message names the file, the data written and the kernel's error. */
public final class CgroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CgroupException(String message, Path file, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    public CgroupException(String message) {
        this(message, null, null);
    }

    /** The cgroupfs file or directory involved, when there is one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
