package io.actord.runtime.rootfs;

import io.actord.runtime.BindMount;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.MountFlag;
import io.actord.runtime.sys.MountSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static io.actord.runtime.sys.MountFlag.MS_NODEV;
import static io.actord.runtime.sys.MountFlag.MS_NOEXEC;
import static io.actord.runtime.sys.MountFlag.MS_NOSUID;
import static io.actord.runtime.sys.MountFlag.MS_RDONLY;

/**
 * Mounts a container's root filesystem in the calling thread's (new, private) mount namespace, before
 * pivot_root: the quota volume, the overlay, a minimal /dev, a read-only /sys and the extra binds.
 * actord-init mounts /proc later, from inside the pid namespace.
 *
 * <p>CAP_MKNOD stays in the default capability set, and there is no device cgroup: every filesystem the
 * workload can write is therefore mounted nodev, and the device nodes it may open are bind mounts of the
 * host's own (the bind keeps the source mount's flags, so they work inside a nodev /dev).
 */
public final class RootfsBuilder {
    static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");
    static final Map<String, String> DEV_LINKS = Map.of(
            "ptmx", "pts/ptmx", "fd", "/proc/self/fd", "stdin", "/proc/self/fd/0", "stdout", "/proc/self/fd/1",
            "stderr", "/proc/self/fd/2");
    static final Set<MountFlag> WRITABLE = Collections.unmodifiableSet(EnumSet.of(MS_NOSUID, MS_NODEV));
    static final Set<MountFlag> SPECIAL = Collections.unmodifiableSet(EnumSet.of(MS_NOSUID, MS_NODEV, MS_NOEXEC));

    /** One page, less the terminating NUL. */
    static final int MAX_MOUNT_DATA = 4095;

    private final Linux linux;

    public RootfsBuilder(Linux linux) {
        this.linux = linux;
    }

    public void build(RootfsLayout layout, List<BindMount> binds) {
        build(layout, binds, OptionalLong.empty());
    }

    /**
     * As {@link #build(RootfsLayout, List)}; with {@code rootOwner} (a user namespace's root on the host) the
     * writable layer's top directory is owned by it, so "/" belongs to the container's root and what it
     * writes there is owned by its ids on the host.
     */
    public void build(RootfsLayout layout, List<BindMount> binds, OptionalLong rootOwner) {
        layout.volume().ifPresent(v -> linux.mount(MountSpec.filesystem(v.device().toString(), v.mountPoint(),
                v.fsType(), WRITABLE, v.options())));
        createDirectories(layout.upper(), layout.work());
        rootOwner.ifPresent(id -> linux.lchown(layout.upper(), (int) id, (int) id));
        linux.mount(MountSpec.filesystem("overlay", layout.merged(), "overlay", WRITABLE, overlayOptions(layout)));
        Path root = layout.merged();
        mountDev(root);
        linux.mount(MountSpec.filesystem("sysfs", ScopedPath.directory(root, "/sys"), "sysfs",
                EnumSet.of(MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC), null));
        ScopedPath.directory(root, "/proc");
        for (BindMount bind : binds) {
            bindMount(root, bind);
        }
    }

    /**
     * The overlay's options. mount(2) copies at most one page of them, which absolute lowerdirs of ~100
     * characters each fill at ~35 layers. Past that, each layer gets a short symlink in the run directory
     * (0, 1, …; overlayfs resolves them when it mounts) and the thread, whose working directory is its own
     * after unshare, changes there to name them relative to it, as Docker's overlay2 does with its l/ links.
     */
    private String overlayOptions(RootfsLayout layout) {
        String absolute = overlayOptions(layout.layers(), layout);
        if (absolute.length() <= MAX_MOUNT_DATA) {
            return absolute;
        }
        Path links = createDirectories(layout.merged().resolveSibling("layers"));
        List<Path> names = new ArrayList<>();
        for (int i = 0; i < layout.layers().size(); i++) {
            symlink(links.resolve(Integer.toString(i)), layout.layers().get(i).toString());
            names.add(Path.of(Integer.toString(i)));
        }
        String relative = overlayOptions(names, layout);
        if (relative.length() > MAX_MOUNT_DATA) {
            throw new IllegalArgumentException(layout.layers().size() + " layers do not fit in one overlay mount:"
                    + " their options take " + relative.length() + " bytes, and mount(2) takes at most "
                    + MAX_MOUNT_DATA);
        }
        linux.chdir(links);
        return relative;
    }

    /** overlayfs lists the top layer first; {@code lowestFirst} come lowest first. */
    static String overlayOptions(List<Path> lowestFirst, RootfsLayout layout) {
        List<Path> topFirst = new ArrayList<>(lowestFirst);
        Collections.reverse(topFirst);
        return "lowerdir=" + String.join(":", topFirst.stream().map(Path::toString).toList())
                + ",upperdir=" + layout.upper() + ",workdir=" + layout.work();
    }

    private void mountDev(Path root) {
        Path dev = ScopedPath.directory(root, "/dev");
        linux.mount(MountSpec.filesystem("tmpfs", dev, "tmpfs", SPECIAL, "mode=755,size=65536k"));
        for (String name : DEVICES) {
            Path node = createFile(dev.resolve(name));
            linux.mount(MountSpec.bind(Path.of("/dev", name), node, false));
        }
        // newinstance: the container's ptys are its own, not the host's (devpts(5)).
        linux.mount(MountSpec.filesystem("devpts", createDirectories(dev.resolve("pts")), "devpts",
                EnumSet.of(MS_NOSUID, MS_NOEXEC), "newinstance,ptmxmode=0666,mode=0620"));
        linux.mount(MountSpec.filesystem("shm", createDirectories(dev.resolve("shm")), "tmpfs", SPECIAL,
                "mode=1777,size=65536k"));
        DEV_LINKS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(link -> symlink(dev.resolve(link.getKey()), link.getValue()));
    }

    private void bindMount(Path root, BindMount bind) {
        Path target = Files.isDirectory(bind.source())
                ? ScopedPath.directory(root, bind.target())
                : ScopedPath.file(root, bind.target());
        linux.mount(MountSpec.bind(bind.source(), target, true));
        // A bind takes the source mount's flags; only a remount can add nosuid, nodev and rdonly.
        EnumSet<MountFlag> flags = EnumSet.copyOf(WRITABLE);
        if (bind.readOnly()) {
            flags.add(MS_RDONLY);
        }
        linux.mount(MountSpec.remountBind(target, flags));
    }

    private static Path createDirectories(Path... dirs) {
        try {
            for (Path dir : dirs) {
                Files.createDirectories(dir);
            }
            return dirs[dirs.length - 1];
        } catch (IOException e) {
            throw new UncheckedIOException("create " + List.of(dirs), e);
        }
    }

    private static Path createFile(Path file) {
        try {
            return Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + file, e);
        }
    }

    private static void symlink(Path link, String target) {
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException("link " + link + " -> " + target, e);
        }
    }
}
