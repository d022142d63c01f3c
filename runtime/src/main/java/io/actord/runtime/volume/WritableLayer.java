package io.actord.runtime.volume;

import io.actord.runtime.rootfs.VolumeMount;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A container's writable layer: the overlay's upper and work directories, and the filesystem that holds
 * them when it enforces the disk quota.
 */
public sealed interface WritableLayer permits HostDirectoryLayer, Ext4VolumeLayer, BtrfsSubvolumeLayer {
    Path upper();

    Path work();

    /** The filesystem the launcher mounts inside the container before the overlay, if any. */
    Optional<VolumeMount> volume();

    /** The container's mount namespace holds the volume now; let go of what kept it until then. */
    default void launched() {
    }

    /**
     * Frees the layer after the container has ended, waiting up to {@code timeout} until nothing of it is
     * left (a loop device detached, a subvolume deleted). Idempotent.
     */
    void release(Duration timeout);
}
