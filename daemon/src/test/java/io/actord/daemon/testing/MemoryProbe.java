package io.actord.daemon.testing;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * What this JVM holds in memory, for tests that check a daemon running in it does not buffer: the heap in
 * use after a GC, and the direct memory Netty has allocated for its buffers (where socket data sits; pooled
 * chunks count while the pool keeps them), in bytes.
 */
public final class MemoryProbe {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private MemoryProbe() {
    }

    /** A reading. */
    public record Reading(long heapBytes, long directBytes) {
        public long totalBytes() {
            return heapBytes + directBytes;
        }

        public Reading minus(Reading before) {
            return new Reading(heapBytes - before.heapBytes, directBytes - before.directBytes);
        }

        @Override
        public String toString() {
            return String.format("heap %.1f MB, Netty direct %.1f MB", heapBytes / 1048576.0, directBytes / 1048576.0);
        }
    }

    /** Collects garbage (twice, so what was freed is gone) and reads. */
    public static Reading read() {
        MEMORY.gc();
        MEMORY.gc();
        long direct = PlatformDependent.usedDirectMemory();
        if (direct < 0) {
            direct = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        }
        return new Reading(MEMORY.getHeapMemoryUsage().getUsed(), direct);
    }
}
