package io.actord.cgroups.v1;

import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;

import java.nio.file.Path;

/** pids.max: a number or "max", as on v2. */
final class PidsController implements Controller {
    static final String PIDS_MAX = "pids.max";

    @Override
    public String name() {
        return "pids";
    }

    @Override
    public void apply(Resources resources, Path dir) {
        var max = resources.pids().max();
        CgroupFiles.write(dir.resolve(PIDS_MAX), max.isPresent() ? Long.toString(max.getAsLong()) : "max");
    }
}
