package io.actord.cgroups;

import java.util.OptionalLong;

/**
 * A CFS bandwidth limit: at most {@code quotaMicros} of CPU time per {@code periodMicros} of wall time
 * (quota/period = cores), or none.
 */
public record CpuLimit(OptionalLong quotaMicros, long periodMicros) {
    /** The kernel's default CFS period; cpu.max and cpu.cfs_period_us both use it. */
    public static final long DEFAULT_PERIOD_MICROS = 100_000;
    /** The kernel rejects smaller quotas (cpu.max: EINVAL below 1 ms). */
    public static final long MIN_QUOTA_MICROS = 1_000;

    public CpuLimit {
        if (periodMicros < 1_000 || periodMicros > 1_000_000) {
            throw new IllegalArgumentException("cpu period must be 1000..1000000 us, got " + periodMicros);
        }
        quotaMicros.ifPresent(q -> {
            if (q < MIN_QUOTA_MICROS) {
                throw new IllegalArgumentException("cpu quota must be at least " + MIN_QUOTA_MICROS + " us, got " + q);
            }
        });
    }

    public static CpuLimit unlimited() {
        return new CpuLimit(OptionalLong.empty(), DEFAULT_PERIOD_MICROS);
    }

    /** A limit of {@code quotaMicros} per the default 100 ms period. */
    public static CpuLimit ofQuota(long quotaMicros) {
        return new CpuLimit(OptionalLong.of(quotaMicros), DEFAULT_PERIOD_MICROS);
    }

    public boolean isUnlimited() {
        return quotaMicros.isEmpty();
    }

    /** The share of one core this limit allows, or positive infinity. */
    public double cores() {
        return quotaMicros.isEmpty() ? Double.POSITIVE_INFINITY : (double) quotaMicros.getAsLong() / periodMicros;
    }
}
