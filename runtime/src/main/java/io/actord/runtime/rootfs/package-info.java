/**
 * A container's root filesystem: overlayfs over the read-only layers with the writable layer on the quota
 * volume, a minimal /dev, a read-only /sys and extra bind mounts, all mounted in the container's own mount
 * namespace before pivot_root, with container paths resolved inside the rootfs
 * ({@link io.actord.runtime.rootfs.ScopedPath}).
 */
package io.actord.runtime.rootfs;
