package io.actord.cgroups.v2;

import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;

import java.nio.file.Files;
import java.nio.file.Path;

/** memory.max and memory.swap.max (no swap for a limited cgroup). */
final class MemoryController implements Controller {
    static final String MEMORY_MAX = "memory.max";
    /** Absent when the kernel runs without swap accounting (CONFIG_MEMCG_SWAP / swapaccount=0). */
    static final String MEMORY_SWAP_MAX = "memory.swap.max";

    @Override
    public void apply(Resources resources, Path dir) {
        var bytes = resources.memory().bytes();
        CgroupFiles.write(dir.resolve(MEMORY_MAX), bytes.isPresent() ? Long.toString(bytes.getAsLong()) : "max");
        Path swap = dir.resolve(MEMORY_SWAP_MAX);
        if (Files.exists(swap)) {
            CgroupFiles.write(swap, bytes.isPresent() ? "0" : "max");
        }
    }
}
