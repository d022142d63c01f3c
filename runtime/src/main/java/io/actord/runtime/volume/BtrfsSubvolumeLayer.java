package io.actord.runtime.volume;

import io.actord.runtime.ContainerException;
import io.actord.runtime.rootfs.VolumeMount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The quota when the run directory is on btrfs: a subvolume with a qgroup limit (EDQUOT when it is
 * full), about 10 ms in all here, against ext4-on-loop's mkfs and loop device. Nothing is mounted: the
 * subvolume is an ordinary directory on the host, deleted (and its qgroup with it, once the kernel has
 * dropped the subvolume) after the container has ended.
 */
public final class BtrfsSubvolumeLayer implements WritableLayer {
    static final String SUBVOLUME = "layer";
    private final Path subvolume;

    private BtrfsSubvolumeLayer(Path subvolume) {
        this.subvolume = subvolume;
    }

    static boolean supports(Path runDir) {
        return fileStore(runDir).type().equals("btrfs");
    }

    static BtrfsSubvolumeLayer create(Path runDir, long bytes) {
        Path subvolume = runDir.resolve(SUBVOLUME);
        btrfs("subvolume", "create", subvolume.toString());
        BtrfsSubvolumeLayer layer = new BtrfsSubvolumeLayer(subvolume);
        try {
            limit(subvolume, bytes);
            Files.createDirectory(layer.upper());
            Files.createDirectory(layer.work());
            return layer;
        } catch (IOException e) {
            layer.release(Duration.ZERO);
            throw new UncheckedIOException("create the overlay directories in " + subvolume, e);
        } catch (RuntimeException e) {
            layer.release(Duration.ZERO);
            throw e;
        }
    }

    /** The layer a container of an earlier daemon left in {@code runDir}, if it had one. */
    static Optional<WritableLayer> find(Path runDir) {
        Path subvolume = runDir.resolve(SUBVOLUME);
        return Files.isDirectory(subvolume) && supports(runDir)
                ? Optional.of(new BtrfsSubvolumeLayer(subvolume)) : Optional.empty();
    }

    @Override
    public Path upper() {
        return subvolume.resolve("upper");
    }

    @Override
    public Path work() {
        return subvolume.resolve("work");
    }

    @Override
    public Optional<VolumeMount> volume() {
        return Optional.empty();
    }

    /**
     * Deletes the subvolume with a commit, waits until the kernel has dropped it, then its qgroup: the
     * kernel removes a stale qgroup by itself only sometimes, and only once its usage is back to zero,
     * which is why the wait comes first.
     */
    @Override
    public void release(Duration timeout) {
        if (!Files.isDirectory(subvolume)) {
            return;
        }
        String parent = subvolume.getParent().toString();
        String id = btrfs("inspect-internal", "rootid", subvolume.toString());
        btrfs("subvolume", "delete", "--commit-after", subvolume.toString());
        btrfs("subvolume", "sync", parent, id);
        try {
            btrfs("qgroup", "destroy", "0/" + id, parent);
        } catch (ContainerException e) {
            if (!e.getMessage().contains("No such file or directory")) {
                throw e;
            }
        }
    }

    /** Quotas are off on a fresh filesystem: enable them (a one-time rescan, ~20 ms) when the limit needs it. */
    private static void limit(Path subvolume, long bytes) {
        try {
            btrfs("qgroup", "limit", Long.toString(bytes), subvolume.toString());
        } catch (ContainerException quotaDisabled) {
            btrfs("quota", "enable", subvolume.getParent().toString());
            btrfs("qgroup", "limit", Long.toString(bytes), subvolume.toString());
        }
    }

    private static FileStore fileStore(Path dir) {
        try {
            return Files.getFileStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("find the filesystem of " + dir, e);
        }
    }

    private static String btrfs(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("btrfs");
        argv.addAll(List.of(args));
        return Commands.run(argv);
    }
}
