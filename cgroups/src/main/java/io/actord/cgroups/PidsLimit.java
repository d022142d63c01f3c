package io.actord.cgroups;

import java.util.OptionalLong;

/** The most tasks (processes and threads) a cgroup may hold, or no limit. */
public record PidsLimit(OptionalLong max) {
    public PidsLimit {
        max.ifPresent(m -> {
            if (m <= 0) {
                throw new IllegalArgumentException("pids limit must be positive, got " + m);
            }
        });
    }

    public static PidsLimit unlimited() {
        return new PidsLimit(OptionalLong.empty());
    }

    public static PidsLimit of(long max) {
        return new PidsLimit(OptionalLong.of(max));
    }

    public boolean isUnlimited() {
        return max.isEmpty();
    }
}
