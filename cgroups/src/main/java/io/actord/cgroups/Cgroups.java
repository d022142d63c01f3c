package io.actord.cgroups;

import io.actord.cgroups.fs.MountInfo;
import io.actord.cgroups.fs.ProcCgroup;
import io.actord.cgroups.v1.CgroupV1Manager;
import io.actord.cgroups.v2.CgroupV2Manager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Detects the host's cgroup mode once and opens the matching driver: the one place that chooses it. */
public final class Cgroups {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);

    private Cgroups() {
    }

    public static CgroupManager detect() {
        return detect(CgroupConfig.defaults());
    }

    public static CgroupManager detect(CgroupConfig config) {
        Path proc = Path.of("/proc/self");
        ProcCgroup place = config.parent().map(ProcCgroup::uniform)
                .orElseGet(() -> ProcCgroup.read(proc.resolve("cgroup")));
        HostCgroups host = HostCgroups.resolve(MountInfo.read(proc.resolve("mountinfo")), place);
        config.parent().ifPresent(parent -> requireParent(host, parent));
        CgroupManager manager = open(host, config, ProcessHandle.current().pid());
        LOG.info("cgroups mode={} driver=\"{}\"", host.mode(), manager.description());
        return manager;
    }

    /**
     * A configured parent belongs to someone else (under systemd, a unit with Delegate=yes): it must exist in
     * every hierarchy, since making it would be creating cgroups outside what was delegated.
     */
    static void requireParent(HostCgroups host, String parent) {
        List<Path> missing = Stream.concat(host.unifiedDir().stream(), host.v1Dirs().values().stream())
                .distinct().filter(dir -> !Files.isDirectory(dir)).toList();
        if (!missing.isEmpty()) {
            throw new CgroupException("cgroup parent " + parent + " does not exist: " + missing + " missing; it must"
                    + " be made for actord first (systemd: is actord-runs.service active?)");
        }
    }

    /** Opens the driver for an already resolved host: v2 on unified hosts, v1 on hybrid and legacy ones. */
    public static CgroupManager open(HostCgroups host, CgroupConfig config, long selfPid) {
        return switch (host.mode()) {
            case UNIFIED -> CgroupV2Manager.open(host.unifiedDir().orElseThrow(), host.unifiedRoot(),
                    config.subtree(), selfPid);
            case HYBRID, LEGACY -> CgroupV1Manager.open(host.mode(), host.v1Dirs(), host.unifiedDir(),
                    config.subtree());
        };
    }
}
