package io.actord.runtime.sys;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One mount(2) call. {@link #toString()} renders it as C, the form errors and recorded call logs use.
 *
 * @param source the device, filesystem name or bind source; null where the call takes none
 * @param target where it is mounted
 * @param fsType the filesystem type; null for binds, remounts and propagation changes
 * @param flags  MS_* flags (kept in bit order, so messages are stable)
 * @param data   filesystem options; null for none
 */
public record MountSpec(String source, Path target, String fsType, Set<MountFlag> flags, String data) {
    public MountSpec {
        Objects.requireNonNull(target, "target");
        EnumSet<MountFlag> copy = EnumSet.noneOf(MountFlag.class);
        copy.addAll(flags);
        flags = Collections.unmodifiableSet(copy);
    }

    /** A new instance of a filesystem, e.g. {@code filesystem("tmpfs", dev, "tmpfs", flags, "mode=755")}. */
    public static MountSpec filesystem(String source, Path target, String fsType, Set<MountFlag> flags, String data) {
        return new MountSpec(source, target, fsType, flags, data);
    }

    /** Binds {@code source} (and, with {@code recursive}, the mounts below it) onto {@code target}. */
    public static MountSpec bind(Path source, Path target, boolean recursive) {
        return new MountSpec(source.toString(), target, null,
                recursive ? EnumSet.of(MountFlag.MS_BIND, MountFlag.MS_REC) : EnumSet.of(MountFlag.MS_BIND), null);
    }

    /** Changes the per-mount flags of the bind mount at {@code target} (they are not inherited from the source). */
    public static MountSpec remountBind(Path target, Set<MountFlag> flags) {
        EnumSet<MountFlag> all = EnumSet.of(MountFlag.MS_BIND, MountFlag.MS_REMOUNT);
        all.addAll(flags);
        return new MountSpec(null, target, null, all, null);
    }

    /** Makes {@code target} and every mount below it private: no mount events propagate in or out. */
    public static MountSpec privateRecursive(Path target) {
        return new MountSpec(null, target, null, EnumSet.of(MountFlag.MS_REC, MountFlag.MS_PRIVATE), null);
    }

    /** The flags as the kernel's bit mask. */
    public long flagBits() {
        return flags.stream().mapToLong(MountFlag::bit).reduce(0, (a, b) -> a | b);
    }

    @Override
    public String toString() {
        return SyscallException.render("mount", source, target, fsType, flags, data);
    }
}
