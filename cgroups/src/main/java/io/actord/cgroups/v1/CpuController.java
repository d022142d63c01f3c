package io.actord.cgroups.v1;

import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;

import java.nio.file.Path;

/** CFS bandwidth: cpu.cfs_period_us, then cpu.cfs_quota_us ("-1" for none). */
final class CpuController implements Controller {
    static final String PERIOD = "cpu.cfs_period_us";
    static final String QUOTA = "cpu.cfs_quota_us";

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void apply(Resources resources, Path dir) {
        var cpu = resources.cpu();
        CgroupFiles.write(dir.resolve(PERIOD), Long.toString(cpu.periodMicros()));
        CgroupFiles.write(dir.resolve(QUOTA),
                cpu.quotaMicros().isPresent() ? Long.toString(cpu.quotaMicros().getAsLong()) : "-1");
    }
}
