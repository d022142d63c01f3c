package io.actord.runtime.volume;

import io.actord.cgroups.fs.Tasks;
import io.actord.runtime.ContainerException;
import io.actord.runtime.rootfs.VolumeMount;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.LoopDevice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The quota on hosts without btrfs: an ext4 image of the disk limit on a loop device (ENOSPC when it is
 * full). The launcher mounts it inside the container's mount namespace; the device was bound with
 * AUTOCLEAR, so it detaches by itself once that namespace dies and our descriptor is closed, which
 * {@link #release} waits for (it takes 10–40 ms here after the last process exits).
 */
public final class Ext4VolumeLayer implements WritableLayer {
    static final String IMAGE = "disk.img";
    static final String MOUNT_POINT = "volume";
    /**
     * Mount data: never let ext4lazyinit zero the inode tables in the background (it fills the sparse image); no
     * block-validity tree, whose set-up at mount walks every block group (about 7 ms of a 64 GB image's start):
     * the image is fresh from actord's template and the workload has no way to write the device under it.
     */
    static final String MOUNT_OPTIONS = "noinit_itable,noblock_validity";

    private final Path image;
    private final Optional<LoopDevice> loop;
    private final Path mountPoint;

    private Ext4VolumeLayer(Path image, Optional<LoopDevice> loop, Path mountPoint) {
        this.image = image;
        this.loop = loop;
        this.mountPoint = mountPoint;
    }

    static Ext4VolumeLayer create(Linux linux, Ext4Images images, Path runDir, long bytes) {
        Path image = realPath(runDir).resolve(IMAGE);
        images.create(image, bytes);
        Path mountPoint = runDir.resolve(MOUNT_POINT);
        LoopDevice loop;
        try {
            Files.createDirectory(mountPoint);
            loop = linux.attachLoop(image);
        } catch (IOException e) {
            delete(image);
            throw new UncheckedIOException("create " + mountPoint, e);
        } catch (RuntimeException e) {
            delete(image);
            throw e;
        }
        return new Ext4VolumeLayer(image, Optional.of(loop), mountPoint);
    }

    /** The layer a container of an earlier daemon left in {@code runDir}, if it had one. */
    static Optional<WritableLayer> find(Path runDir) {
        Path image = runDir.resolve(IMAGE);
        return Files.exists(image)
                ? Optional.of(new Ext4VolumeLayer(realPath(runDir).resolve(IMAGE), Optional.empty(),
                        runDir.resolve(MOUNT_POINT)))
                : Optional.empty();
    }

    /** sysfs shows a loop's backing file by its real path. */
    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("resolve " + dir, e);
        }
    }

    @Override
    public Path upper() {
        return mountPoint.resolve("upper");
    }

    @Override
    public Path work() {
        return mountPoint.resolve("work");
    }

    @Override
    public Optional<VolumeMount> volume() {
        return loop.map(l -> new VolumeMount(l.device(), "ext4", MOUNT_OPTIONS, mountPoint));
    }

    @Override
    public void launched() {
        loop.ifPresent(l -> l.fd().close());
    }

    @Override
    public void release(Duration timeout) {
        loop.ifPresent(l -> l.fd().close());
        if (!Tasks.await(() -> boundLoops(image).isEmpty(), timeout)) {
            throw new ContainerException("loop device(s) " + boundLoops(image) + " still attached to " + image + " "
                    + timeout.toMillis() + " ms after the container ended");
        }
        delete(image);
        if (Files.exists(image)) {
            throw new ContainerException("delete " + image + ": still there");
        }
    }

    /** The loop devices whose backing file is {@code image} (sysfs block/loopN/loop/backing_file). */
    static List<Integer> boundLoops(Path image) {
        List<Integer> bound = new ArrayList<>();
        try (Stream<Path> devices = Files.list(Path.of("/sys/block"))) {
            for (Path dev : (Iterable<Path>) devices::iterator) {
                String name = dev.getFileName().toString();
                if (name.startsWith("loop") && image.toString().equals(backingFile(dev))) {
                    bound.add(Integer.parseInt(name.substring(4)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list /sys/block", e);
        }
        return bound;
    }

    private static String backingFile(Path blockDevice) {
        try {
            return Files.readString(blockDevice.resolve("loop/backing_file")).strip();
        } catch (IOException e) {
            return null; // not bound (the loop directory exists only while it is)
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + file, e);
        }
    }
}
