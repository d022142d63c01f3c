package io.actord.runtime;

import java.util.OptionalLong;

/**
 * The size of a container's writable layer, or none. Not a cgroup file: the runtime enforces it with a
 * quota volume ({@link io.actord.runtime.volume.WritableLayers}).
 */
public record DiskLimit(OptionalLong bytes) {
    public DiskLimit {
        bytes.ifPresent(b -> {
            if (b <= 0) {
                throw new IllegalArgumentException("disk limit must be positive, got " + b);
            }
        });
    }

    public static DiskLimit unlimited() {
        return new DiskLimit(OptionalLong.empty());
    }

    public static DiskLimit ofBytes(long bytes) {
        return new DiskLimit(OptionalLong.of(bytes));
    }

    public boolean isUnlimited() {
        return bytes.isEmpty();
    }
}
