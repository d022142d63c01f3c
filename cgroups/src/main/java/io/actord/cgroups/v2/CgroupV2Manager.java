package io.actord.cgroups.v2;

import io.actord.cgroups.Cgroup;
import io.actord.cgroups.CgroupException;
import io.actord.cgroups.CgroupManager;
import io.actord.cgroups.CgroupMode;
import io.actord.cgroups.CgroupNames;
import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs live in {@code <own cgroup>/<subtree>/<run>}; controllers are enabled on the own cgroup and on the
 * subtree, never on a run's leaf.
 */
public final class CgroupV2Manager implements CgroupManager {
    static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids");

    private final Path base;

    private CgroupV2Manager(Path base) {
        this.base = base;
    }

    /**
     * Prepares the subtree below {@code ownDir}, the daemon's cgroup.
     *
     * @param ownIsRoot the hierarchy's root is exempt from the no-internal-process rule, so nothing moves
     */
    public static CgroupV2Manager open(Path ownDir, boolean ownIsRoot, String subtree, long selfPid) {
        if (ownIsRoot) {
            SubtreeControl.enable(ownDir, CONTROLLERS);
        } else {
            SubtreeControl.delegate(ownDir, CONTROLLERS, selfPid);
        }
        CgroupV2Manager manager = new CgroupV2Manager(ownDir.resolve(subtree));
        manager.prepareBase();
        return manager;
    }

    /** Makes the subtree and hands it the controllers; again after a {@link #release()} removed it. */
    private void prepareBase() {
        CgroupFiles.mkdirs(base);
        SubtreeControl.enable(base, CONTROLLERS);
    }

    @Override
    public CgroupMode mode() {
        return CgroupMode.UNIFIED;
    }

    @Override
    public String description() {
        return CgroupMode.UNIFIED.description() + " at " + base;
    }

    @Override
    public Cgroup create(String name, Resources resources) {
        Path dir = base.resolve(CgroupNames.check(name));
        if (!Files.isDirectory(base)) {
            prepareBase();
        }
        boolean made = !Files.isDirectory(dir);
        CgroupFiles.mkdirs(dir);
        CgroupV2 cgroup = new CgroupV2(name, dir);
        if (!made && cgroup.populated()) {
            throw new CgroupException("create cgroup " + dir + ": it exists and holds processes " + cgroup.pids());
        }
        try {
            cgroup.apply(resources);
        } catch (CgroupException e) {
            try {
                cgroup.destroy();
            } catch (CgroupException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return cgroup;
    }

    @Override
    public Optional<Cgroup> find(String name) {
        Path dir = base.resolve(CgroupNames.check(name));
        return Files.isDirectory(dir) ? Optional.of(new CgroupV2(name, dir)) : Optional.empty();
    }

    @Override
    public List<String> names() {
        return CgroupFiles.childDirs(base);
    }

    @Override
    public void release() {
        if (names().isEmpty()) {
            CgroupFiles.rmdir(base);
        }
    }
}
