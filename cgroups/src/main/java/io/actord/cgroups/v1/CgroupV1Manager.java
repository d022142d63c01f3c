package io.actord.cgroups.v1;

import io.actord.cgroups.Cgroup;
import io.actord.cgroups.CgroupException;
import io.actord.cgroups.CgroupManager;
import io.actord.cgroups.CgroupMode;
import io.actord.cgroups.CgroupNames;
import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs live in {@code <own cgroup>/<subtree>/<run>} of every controller hierarchy it uses (and of the
 * cgroup2 hierarchy on hybrid hosts). Nothing is ever written above the own cgroups: on managed hosts the
 * memory cgroup this process sits in belongs to someone else.
 */
public final class CgroupV1Manager implements CgroupManager {
    /** Limits need these; cpuacct (usage) is used when mounted, often together with cpu. */
    static final List<String> REQUIRED = List.of("memory", "cpu", "pids");
    static final String CPUACCT = "cpuacct";

    private final CgroupMode mode;
    private final Map<String, Path> bases;
    private final Optional<Path> unifiedBase;

    private CgroupV1Manager(CgroupMode mode, Map<String, Path> bases, Optional<Path> unifiedBase) {
        this.mode = mode;
        this.bases = bases;
        this.unifiedBase = unifiedBase;
    }

    /**
     * @param ownDirs    this process's directory in each mounted v1 controller hierarchy
     * @param unifiedDir its directory in the controller-less cgroup2 hierarchy of a hybrid host
     */
    public static CgroupV1Manager open(CgroupMode mode, Map<String, Path> ownDirs, Optional<Path> unifiedDir,
                                       String subtree) {
        List<String> missing = REQUIRED.stream().filter(c -> !ownDirs.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new CgroupException("cgroup v1 controllers " + missing + " are not mounted (see /proc/self/mountinfo)");
        }
        Map<String, Path> bases = new LinkedHashMap<>();
        ownDirs.forEach((controller, dir) -> bases.put(controller, dir.resolve(CgroupNames.check(subtree))));
        CgroupV1Manager manager = new CgroupV1Manager(mode, Map.copyOf(bases), unifiedDir.map(d -> d.resolve(subtree)));
        manager.prepareBases();
        return manager;
    }

    /** Makes the subtree in every hierarchy; again after a {@link #release()} removed it. */
    private void prepareBases() {
        new LinkedHashSet<>(bases.values()).forEach(CgroupFiles::mkdirs);
        unifiedBase.ifPresent(CgroupFiles::mkdirs);
    }

    @Override
    public CgroupMode mode() {
        return mode;
    }

    @Override
    public String description() {
        return mode.description() + " at " + bases.get("memory") + ", " + bases.get("cpu") + ", " + bases.get("pids")
                + unifiedBase.map(u -> ", " + u).orElse("");
    }

    @Override
    public Cgroup create(String name, Resources resources) {
        CgroupV1 cgroup = cgroupNamed(name);
        prepareBases();
        Set<Path> made = new LinkedHashSet<>();
        try {
            for (Path dir : cgroup.allDirs()) {
                if (!Files.isDirectory(dir)) {
                    CgroupFiles.mkdir(dir);
                    made.add(dir);
                }
            }
            if (made.size() < cgroup.allDirs().size() && cgroup.populated()) {
                throw new CgroupException("create cgroup " + cgroup.path() + ": it exists and holds processes "
                        + cgroup.pids());
            }
            cgroup.apply(resources);
        } catch (CgroupException e) {
            for (Path dir : made) {
                try {
                    CgroupFiles.rmdir(dir);
                } catch (CgroupException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        return cgroup;
    }

    @Override
    public Optional<Cgroup> find(String name) {
        CgroupV1 cgroup = cgroupNamed(name);
        return cgroup.allDirs().stream().anyMatch(Files::isDirectory) ? Optional.of(cgroup) : Optional.empty();
    }

    @Override
    public List<String> names() {
        return CgroupFiles.childDirs(bases.get("memory"));
    }

    @Override
    public void release() {
        if (names().isEmpty()) {
            for (Path base : new LinkedHashSet<>(bases.values())) {
                CgroupFiles.rmdir(base);
            }
            unifiedBase.ifPresent(CgroupFiles::rmdir);
        }
    }

    private CgroupV1 cgroupNamed(String name) {
        CgroupNames.check(name);
        Map<String, Path> dirs = new LinkedHashMap<>();
        bases.forEach((controller, base) -> dirs.put(controller, base.resolve(name)));
        return new CgroupV1(name, dirs, unifiedBase.map(u -> u.resolve(name)));
    }
}
