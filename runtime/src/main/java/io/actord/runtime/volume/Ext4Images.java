package io.actord.runtime.volume;

import io.actord.runtime.sys.Linux;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Fresh ext4 images of a given size. mkfs.ext4 runs once per size into a template (7–14 ms here, most
 * of it the process); each run gets a sparse copy of its metadata: 100–150 KB from 256 MB to 64 GB with
 * {@link #MKFS_OPTIONS}, so a large run's quota costs about what a small one's does (with mke2fs's
 * defaults the reserved resize blocks and backup superblocks grew it to 4.8 MB at 64 GB, and the copy,
 * the unmount and the unlink with it).
 * Identical UUIDs are harmless for ext4, which, unlike XFS and btrfs, does not track them.
 */
final class Ext4Images {
    /**
     * No journal (the layer dies with the run, so there is nothing to recover); no blocks reserved for
     * growing the filesystem (resize_inode: it never grows) and no backup superblocks (sparse_super2 with
     * none: there is no fsck to use them), the two parts of the metadata that grow with the size; all
     * groups' bitmaps and inode tables in one flex group (-G 4096, 512 GB), so they sit together at the
     * start; lazily initialised inode tables; no reserved blocks (the workload is root and could use them
     * anyway); 4 KiB blocks and one inode per 16 KiB.
     */
    static final List<String> MKFS_OPTIONS = List.of("-q", "-F", "-O", "^has_journal,^resize_inode,sparse_super2",
            "-E", "lazy_itable_init=1,nodiscard,num_backup_sb=0", "-G", "4096", "-m", "0", "-b", "4096",
            "-i", "16384");
    /** Bumped whenever {@link #MKFS_OPTIONS} change, so old templates are not reused. */
    static final String TEMPLATE_VERSION = "v2";

    private final Linux linux;
    private final Path templates;

    Ext4Images(Linux linux, Path templates) {
        this.linux = linux;
        this.templates = templates;
    }

    /** Creates {@code image} (which must not exist) as an empty ext4 filesystem of {@code bytes}. */
    void create(Path image, long bytes) {
        Path template = template(bytes);
        try (FileChannel in = FileChannel.open(template, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long[] segment : linux.dataSegments(template)) {
                for (long position = segment[0]; position < segment[1]; ) {
                    position += in.transferTo(position, segment[1] - position, out.position(position));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copy ext4 template " + template + " to " + image, e);
        }
        extend(image, bytes);
    }

    private synchronized Path template(long bytes) {
        Path template = templates.resolve("ext4-" + TEMPLATE_VERSION + "-" + bytes + ".img");
        if (Files.isRegularFile(template)) {
            return template;
        }
        try {
            Files.createDirectories(templates);
            Path temp = Files.createTempFile(templates, ".ext4-", ".tmp");
            try {
                extend(temp, bytes);
                Commands.run(mkfsCommand(temp));
                Files.move(temp, template, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("create ext4 template " + template, e);
        }
    }

    static List<String> mkfsCommand(Path image) {
        String mkfs = Files.isExecutable(Path.of("/usr/sbin/mkfs.ext4")) ? "/usr/sbin/mkfs.ext4"
                : Files.isExecutable(Path.of("/sbin/mkfs.ext4")) ? "/sbin/mkfs.ext4" : "mkfs.ext4";
        List<String> argv = new ArrayList<>();
        argv.add(mkfs);
        argv.addAll(MKFS_OPTIONS);
        argv.add(image.toString());
        return argv;
    }

    /** ftruncate(2) up: the new range is a hole, costing no disk until written. */
    private static void extend(Path file, long bytes) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("extend " + file + " to " + bytes + " bytes", e);
        }
    }
}
