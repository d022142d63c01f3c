package io.actord.runtime.rootfs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a container's root filesystem comes from and goes.
 *
 * @param layers read-only lower layers, lowest first
 * @param merged the overlay's mount point, the container's "/" after pivot_root
 * @param upper  the overlay's writable layer
 * @param work   overlayfs's work directory (same filesystem as {@code upper})
 * @param volume the filesystem {@code upper} and {@code work} live on, when it must be mounted first
 */
public record RootfsLayout(List<Path> layers, Path merged, Path upper, Path work, Optional<VolumeMount> volume) {
    public RootfsLayout {
        layers = List.copyOf(layers);
    }
}
