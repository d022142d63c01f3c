package io.actord.runtime.rootfs;

import io.actord.runtime.BindMount;
import io.actord.runtime.ExchangeDirectory;
import io.actord.runtime.FileTrees;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.MountFlag;
import io.actord.runtime.sys.MountSpec;
import io.actord.runtime.sys.OpenMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

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
     * Makes the exchange directory on the writable layer, owned by the workload's user, writes its files and
     * opens it, so this process can read what the workload leaves there even after the container's mount
     * namespace is gone. An entry of the image's with a file's name is removed first and the file created
     * anew, so an image's symlink there cannot redirect the write (this thread still sees the host's files).
     */
    public Fd exchange(Path root, ExchangeDirectory exchange, int uid, int gid) {
        Path dir = ScopedPath.directory(root, exchange.path());
        try {
            own(dir, uid, gid, "rwxr-xr-x");
            for (Map.Entry<String, byte[]> file : new TreeMap<>(exchange.files()).entrySet()) {
                Path f = dir.resolve(file.getKey());
                FileTrees.delete(f);
                Files.write(f, file.getValue(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                own(f, uid, gid, "rw-r--r--");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fill " + exchange.path() + " in " + root, e);
        }
        return linux.open(dir, OpenMode.DIRECTORY);
    }

    private static void own(Path p, int uid, int gid, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The overlay's options, every path relative to the run directory's {@code layers/}, where each layer gets
     * a short symlink (0, 1, …; overlayfs resolves them when it mounts) and which the thread, whose working
     * directory is its own after unshare, changes to. A run reads its root's options in /proc/self/mountinfo,
     * where absolute paths would show it the host's state directory; and mount(2) copies at most one page of
     * them, which absolute lowerdirs of ~100 characters fill at ~35 layers (Docker's overlay2 l/ links).
     */
    private String overlayOptions(RootfsLayout layout) {
        Path links = createDirectories(layout.merged().resolveSibling("layers"));
        List<String> topFirst = new ArrayList<>();
        for (int i = 0; i < layout.layers().size(); i++) {
            symlink(links.resolve(Integer.toString(i)), layout.layers().get(i).toString());
            topFirst.add(0, Integer.toString(i));
        }
        String options = "lowerdir=" + String.join(":", topFirst) + ",upperdir=" + links.relativize(layout.upper())
                + ",workdir=" + links.relativize(layout.work());
        if (options.length() > MAX_MOUNT_DATA) {
            throw new IllegalArgumentException(layout.layers().size() + " layers do not fit in one overlay mount:"
                    + " their options take " + options.length() + " bytes, and mount(2) takes at most "
                    + MAX_MOUNT_DATA);
        }
        linux.chdir(links);
        return options;
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
