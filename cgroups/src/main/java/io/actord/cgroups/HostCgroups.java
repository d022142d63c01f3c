package io.actord.cgroups;

import io.actord.cgroups.fs.MountInfo.Mount;
import io.actord.cgroups.fs.ProcCgroup;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where this process sits in each cgroup hierarchy of the host, resolved from mountinfo and
 * /proc/self/cgroup. Pure, so fixture files can test it.
 *
 * @param mode        the host's cgroup mode
 * @param unifiedDir  this process's directory in the cgroup2 hierarchy, if one is mounted
 * @param unifiedRoot whether that directory is the hierarchy's root (no-internal-process rule exempt)
 * @param v1Dirs      this process's directory in each v1 controller hierarchy, by controller
 */
public record HostCgroups(CgroupMode mode, Optional<Path> unifiedDir, boolean unifiedRoot, Map<String, Path> v1Dirs) {
    /** The v1 controllers the v1 driver uses; cpuacct may share a hierarchy with cpu. */
    static final List<String> V1_CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids");

    public static HostCgroups resolve(List<Mount> mounts, ProcCgroup self) {
        Optional<Mount> unified = mounts.stream().filter(m -> m.fsType().equals("cgroup2")).findFirst();
        Map<String, Path> v1 = new LinkedHashMap<>();
        for (String controller : V1_CONTROLLERS) {
            mounts.stream()
                    .filter(m -> m.fsType().equals("cgroup") && m.superOptions().contains(controller))
                    .findFirst()
                    .ifPresent(m -> v1.put(controller, dirIn(m, self.v1Path(controller), controller)));
        }
        boolean anyV1 = mounts.stream().anyMatch(m -> m.fsType().equals("cgroup"));
        CgroupMode mode;
        if (!anyV1 && unified.isPresent()) {
            mode = CgroupMode.UNIFIED;
        } else if (anyV1 && unified.isPresent()) {
            mode = CgroupMode.HYBRID;
        } else if (anyV1) {
            mode = CgroupMode.LEGACY;
        } else {
            throw new CgroupException("no cgroup filesystem is mounted (see /proc/self/mountinfo)");
        }
        Optional<String> unifiedPath = self.unifiedPath();
        Optional<Path> unifiedDir = unified.map(m -> dirIn(m, unifiedPath, "cgroup2"));
        boolean atRoot = unifiedPath.map("/"::equals).orElse(false);
        return new HostCgroups(mode, unifiedDir, atRoot, Map.copyOf(v1));
    }

    /**
     * The directory of {@code path} inside a mount whose root is {@code mount.root()}: inside a cgroup
     * namespace or a container, the mount may show only a subtree of the hierarchy.
     */
    private static Path dirIn(Mount mount, Optional<String> path, String what) {
        String own = path.orElseThrow(() -> new CgroupException(
                "/proc/self/cgroup has no entry for the " + what + " hierarchy mounted at " + mount.mountPoint()));
        String root = mount.root();
        String relative;
        if (root.equals("/")) {
            relative = own;
        } else if (own.equals(root) || own.startsWith(root + "/")) {
            relative = own.substring(root.length());
        } else {
            throw new CgroupException("own " + what + " cgroup " + own + " is outside the mount of " + root
                    + " at " + mount.mountPoint());
        }
        relative = relative.replaceFirst("^/+", "");
        return relative.isEmpty() ? mount.mountPoint() : mount.mountPoint().resolve(relative);
    }
}
