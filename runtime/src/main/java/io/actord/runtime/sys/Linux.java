package io.actord.runtime.sys;

import io.actord.runtime.Signal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel as the runtime uses it: one method per intent, Java types in, {@link SyscallException} out.
 * {@link JnaLinux} is the real one; tests record calls with their own.
 *
 * <p>Thread rules (see DESIGN.md): namespace, mount and root changes affect only the calling thread and
 * are made on a throw-away launcher thread; after {@link #pivotRoot} every path that thread resolves is
 * inside the container.
 */
public interface Linux {
    /** unshare(2) of {@code namespaces}; CLONE_NEWNS also gives the thread a private fs_struct. */
    void unshare(Set<Namespace> namespaces);

    /** setns(2): moves the calling thread into the namespace {@code fd} refers to. */
    void setns(Fd fd, Namespace type);

    void mount(MountSpec mount);

    /** umount2(2), with MNT_DETACH when {@code detach}. */
    void unmount(Path target, boolean detach);

    void setHostname(String hostname);

    /** Brings up {@code lo} in the calling thread's network namespace. */
    void bringUpLoopback();

    /** chdir(2): the calling thread's working directory (its own once it has unshared CLONE_NEWNS). */
    void chdir(Path dir);

    /**
     * Makes {@code newRoot} the calling thread's root with {@code pivot_root(".", ".")}: the old root stays
     * stacked on top of the new one and becomes the thread's working directory, so a relative path still
     * reaches the host until {@link #detachOldRoot()}.
     */
    void pivotRoot(Path newRoot);

    /** Lazily unmounts the old root left by {@link #pivotRoot} and changes to the new "/". */
    void detachOldRoot();

    /** posix_spawn(3) without any Java code between fork and exec; returns the child's pid. */
    long spawn(SpawnSpec spec);

    Fd open(Path path, OpenMode mode);

    /**
     * Opens the directory {@code names} below {@code root} (O_PATH), one openat(2) per name with O_NOFOLLOW,
     * so a symlink on the way, even one swapped in meanwhile, fails the open instead of leading elsewhere:
     * for paths inside a running container, reached through /proc/PID/root.
     */
    Fd openDirectoryBeneath(Path root, List<String> names);

    /** pipe2(O_CLOEXEC): first is the read end, second the write end. */
    FdPair pipe();

    /** socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC). */
    FdPair socketPair();

    /** eventfd(0, EFD_CLOEXEC|EFD_NONBLOCK). */
    Fd eventFd();

    /** One read(2); 0 at end of file. */
    int read(Fd fd, byte[] buffer, int offset, int length);

    /** write(2) until all of {@code data} is written (MSG_NOSIGNAL semantics: EPIPE, never SIGPIPE). */
    void writeFully(Fd fd, byte[] data);

    /**
     * recvmsg(2) on a Unix socket: up to {@code length} bytes into {@code buffer} at {@code offset}, and the
     * descriptor passed with them (SCM_RIGHTS), received close-on-exec; blocks until something arrives.
     */
    Received receive(Fd socket, byte[] buffer, int offset, int length);

    /** ioctl(TIOCSWINSZ): the window size of a terminal, e.g. a pty's master (its peer's reader gets SIGWINCH). */
    void setWindowSize(Fd terminal, int rows, int columns);

    /** poll(2) for input on each descriptor; returns the indexes of those that are ready (or hung up). */
    List<Integer> pollReadable(List<Fd> fds, Duration timeout);

    /** The [start, end) byte ranges of a sparse file that hold data (lseek SEEK_DATA/SEEK_HOLE). */
    List<long[]> dataSegments(Path file);

    /** pidfd_open(2) (Linux 5.3). */
    Fd pidfdOpen(long pid);

    /** pidfd_send_signal(2) (Linux 5.1); false when the process is already gone (ESRCH). */
    boolean pidfdSendSignal(Fd pidfd, Signal signal);

    /**
     * waitpid(2) for one child of this process (never -1: the JVM's own children are not ours to reap).
     * Empty when {@code noHang} and it has not exited yet.
     */
    Optional<WaitStatus> waitpid(long pid, boolean noHang);

    /**
     * Binds {@code image} to a free loop device with LO_FLAGS_AUTOCLEAR|LO_FLAGS_DIRECT_IO (LOOP_CONFIGURE,
     * Linux 5.8; LOOP_SET_FD + LOOP_SET_STATUS64 before), retrying when another process takes the device.
     */
    LoopDevice attachLoop(Path image);

    /**
     * mknod(2): a special file at {@code path} ({@code mode} holds the S_IF* type and the permission bits,
     * {@code device} the makedev(3) number). Never follows a symbolic link at {@code path}.
     */
    void mknod(Path path, int mode, long device);

    /**
     * An idmapped bind mount (Linux 5.12; overlayfs takes it as a lower layer since 5.19): clones the mount
     * tree at {@code source} (open_tree OPEN_TREE_CLONE|AT_RECURSIVE), gives it the id mapping of the user
     * namespace {@code userns} (mount_setattr MOUNT_ATTR_IDMAP) and attaches it at {@code target}
     * (move_mount). Files owned by id k on disk then show as the host id that {@code userns} maps k to.
     */
    void idmappedBind(Path source, Path target, Fd userns);

    /**
     * Whether the filesystem of {@code path} takes an idmapped mount (its type must allow it: ext4, btrfs,
     * xfs, tmpfs since 6.3 do; 9p, NFS, UML's hostfs do not): clones {@code path}'s mount, detached, and
     * idmaps the clone with {@code userns}, then drops it. Nothing is attached anywhere.
     */
    boolean canIdmap(Path path, Fd userns);

    /**
     * Writes {@code value} to /proc/sys/{@code key} with dots for slashes (sysctl(8)'s names). A net.* key is
     * the calling thread's network namespace's: /proc/sys/net is resolved against the thread that opens it.
     */
    void setSysctl(String key, String value);

    /** lchown(2): the owner of {@code path} itself (a symbolic link's own, not its target's). */
    void lchown(Path path, int uid, int gid);

    /** lsetxattr(2): sets an extended attribute on {@code path} itself, never on what a symlink points to. */
    void setXattr(Path path, String name, byte[] value);

    /** lgetxattr(2): an extended attribute of {@code path} itself; empty when it has none of that name. */
    Optional<byte[]> xattr(Path path, String name);

    /**
     * Readies a descriptor this process inherited, such as a listening socket a service manager passed, for
     * an event loop: O_NONBLOCK (fcntl F_SETFL) and FD_CLOEXEC (F_SETFD), which inherited ones lack.
     */
    void adoptInherited(int fd);

    /** close(2); prefer {@link Fd#close()}. */
    void close(int fd);
}
