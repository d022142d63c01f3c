package io.actord.runtime.volume;

import io.actord.runtime.DiskLimit;
import io.actord.runtime.sys.Linux;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Chooses and prepares a container's writable layer: the disk limit ({@code ContainerSpec.disk()})
 * is enforced by a btrfs subvolume with a qgroup when the run directory is on btrfs, else by an ext4
 * image on a loop device; no limit means plain directories. Runs on ordinary daemon threads only (mkfs
 * and btrfs are child processes).
 */
public final class WritableLayers {
    /** How long a layer may take to go once its container has ended (a loop detaches in 10–40 ms). */
    public static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(10);

    private final Linux linux;
    private final Ext4Images ext4;

    /** @param templates where ext4 template images are kept (one per size) */
    public WritableLayers(Linux linux, Path templates) {
        this.linux = linux;
        this.ext4 = new Ext4Images(linux, templates);
    }

    /** Prepares the layer in {@code runDir} (an existing, empty directory). */
    public WritableLayer prepare(Path runDir, DiskLimit limit) {
        if (limit.isUnlimited()) {
            return HostDirectoryLayer.in(runDir);
        }
        long bytes = limit.bytes().getAsLong();
        return BtrfsSubvolumeLayer.supports(runDir)
                ? BtrfsSubvolumeLayer.create(runDir, bytes)
                : Ext4VolumeLayer.create(linux, ext4, runDir, bytes);
    }

    /** The layer a container of an earlier daemon process left in {@code runDir}, found from what is on disk. */
    public WritableLayer find(Path runDir) {
        return Ext4VolumeLayer.find(runDir)
                .or(() -> BtrfsSubvolumeLayer.find(runDir))
                .orElseGet(() -> HostDirectoryLayer.in(runDir));
    }
}
