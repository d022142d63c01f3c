package io.actord.cgroups.v2;

import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;

import java.nio.file.Path;

/** cpu.max: "$QUOTA $PERIOD" in microseconds, or "max $PERIOD". */
final class CpuController implements Controller {
    static final String CPU_MAX = "cpu.max";

    @Override
    public void apply(Resources resources, Path dir) {
        var cpu = resources.cpu();
        String quota = cpu.quotaMicros().isPresent() ? Long.toString(cpu.quotaMicros().getAsLong()) : "max";
        CgroupFiles.write(dir.resolve(CPU_MAX), quota + " " + cpu.periodMicros());
    }
}
