/**
 * A container's writable layer and its disk quota (2 × memory): an ext4 image on an AUTOCLEAR loop device,
 * mounted inside the container's mount namespace so it dies with it, or a btrfs subvolume with a qgroup
 * when the run directory is on btrfs.
 */
package io.actord.runtime.volume;
