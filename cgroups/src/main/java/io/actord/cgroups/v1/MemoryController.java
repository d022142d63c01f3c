package io.actord.cgroups.v1;

import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * memory.limit_in_bytes, and no swap: memory.memsw.limit_in_bytes (memory + swap) equal to the limit when
 * the kernel accounts swap, else memory.swappiness 0.
 */
final class MemoryController implements Controller {
    static final String LIMIT = "memory.limit_in_bytes";
    /** Only with swap accounting (CONFIG_MEMCG_SWAP and swapaccount=1). */
    static final String MEMSW_LIMIT = "memory.memsw.limit_in_bytes";
    static final String SWAPPINESS = "memory.swappiness";
    /** v1 reads "-1" as no limit. */
    static final String UNLIMITED = "-1";

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void apply(Resources resources, Path dir) {
        var bytes = resources.memory().bytes();
        String limit = bytes.isPresent() ? Long.toString(bytes.getAsLong()) : UNLIMITED;
        Path memsw = dir.resolve(MEMSW_LIMIT);
        if (!Files.exists(memsw)) {
            CgroupFiles.write(dir.resolve(LIMIT), limit);
            Path swappiness = dir.resolve(SWAPPINESS);
            if (Files.exists(swappiness)) {
                CgroupFiles.write(swappiness, bytes.isPresent() ? "0" : "60");
            }
            return;
        }
        // The kernel keeps memsw >= limit at every step (EINVAL otherwise): raise memsw first when growing.
        long currentMemsw = CgroupFiles.readLong(memsw);
        boolean growing = bytes.isEmpty() || bytes.getAsLong() > currentMemsw;
        if (growing) {
            CgroupFiles.write(memsw, limit);
            CgroupFiles.write(dir.resolve(LIMIT), limit);
        } else {
            CgroupFiles.write(dir.resolve(LIMIT), limit);
            CgroupFiles.write(memsw, limit);
        }
    }
}
