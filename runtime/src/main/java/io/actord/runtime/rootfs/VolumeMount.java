package io.actord.runtime.rootfs;

import java.nio.file.Path;

/**
 * A filesystem the launcher mounts inside the container's mount namespace before the overlay, so that it
 * is unmounted when the namespace dies (the quota volume that holds the overlay's upper and work dirs).
 *
 * @param device     e.g. /dev/loop3
 * @param fsType     e.g. "ext4"
 * @param options    the filesystem's mount data, or null
 * @param mountPoint a directory on the host, in the run's directory
 */
public record VolumeMount(Path device, String fsType, String options, Path mountPoint) {
}
