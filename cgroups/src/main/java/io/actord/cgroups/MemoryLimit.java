package io.actord.cgroups;

import java.util.OptionalLong;

/** A memory ceiling in bytes, or none. Swap is never allowed for a limited cgroup. */
public record MemoryLimit(OptionalLong bytes) {
    public MemoryLimit {
        bytes.ifPresent(b -> {
            if (b <= 0) {
                throw new IllegalArgumentException("memory limit must be positive, got " + b);
            }
        });
    }

    public static MemoryLimit unlimited() {
        return new MemoryLimit(OptionalLong.empty());
    }

    public static MemoryLimit ofBytes(long bytes) {
        return new MemoryLimit(OptionalLong.of(bytes));
    }

    public boolean isUnlimited() {
        return bytes.isEmpty();
    }
}
