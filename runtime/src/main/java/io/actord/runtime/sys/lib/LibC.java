package io.actord.runtime.sys.lib;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * Raw glibc bindings, C names and C types (x86_64: long is 64 bits). Only {@code JnaLinux} uses them.
 * Functions that report through errno declare {@link LastErrorException}; the posix_spawn family returns
 * its error number instead.
 *
 * <p>Loading this interface initialises JNA, which runs {@code ldconfig -p} (a child process, and the JDK's
 * reaper thread): that must happen on an ordinary thread before any namespace change.
 */
public interface LibC extends Library {
    /** The versioned name: plain "c" makes JNA try the libc.so linker script first. */
    LibC INSTANCE = Native.load("libc.so.6", LibC.class);

    /** @see <a href="https://man7.org/linux/man-pages/man2/unshare.2.html">unshare(2)</a> */
    int unshare(int flags) throws LastErrorException;

    /** @see <a href="https://man7.org/linux/man-pages/man2/setns.2.html">setns(2)</a> */
    int setns(int fd, int nstype) throws LastErrorException;

    /** @see <a href="https://man7.org/linux/man-pages/man2/mount.2.html">mount(2)</a> */
    int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException;

    /** @see <a href="https://man7.org/linux/man-pages/man2/umount2.2.html">umount2(2)</a> */
    int umount2(String target, int flags) throws LastErrorException;

    int chdir(String path) throws LastErrorException;

    int fchdir(int fd) throws LastErrorException;

    /**
     * For calls glibc 2.36 has no wrapper for (pivot_root, pidfd_open, pidfd_send_signal). Pass every
     * argument as a long, a String or a Pointer.
     *
     * @see <a href="https://man7.org/linux/man-pages/man2/syscall.2.html">syscall(2)</a>
     */
    long syscall(long number, Object... args) throws LastErrorException;

    int sethostname(byte[] name, long length) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int socketpair(int domain, int type, int protocol, int[] fds) throws LastErrorException;

    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    int ioctl(int fd, long request, long arg) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

    /** A real symbol since glibc 2.33 (before, a wrapper over __xmknod). */
    int mknod(String path, int mode, long device) throws LastErrorException;

    int lchown(String path, int uid, int gid) throws LastErrorException;

    /** @see <a href="https://man7.org/linux/man-pages/man2/lsetxattr.2.html">lsetxattr(2)</a> */
    int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;

    /** @see <a href="https://man7.org/linux/man-pages/man2/lgetxattr.2.html">lgetxattr(2)</a> */
    long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    /** @see <a href="https://man7.org/linux/man-pages/man2/eventfd.2.html">eventfd(2)</a> */
    int eventfd(int initialValue, int flags) throws LastErrorException;

    long read(int fd, byte[] buffer, long count) throws LastErrorException;

    /** @see <a href="https://man7.org/linux/man-pages/man2/recvmsg.2.html">recvmsg(2)</a> */
    long recvmsg(int fd, Pointer msghdr, int flags) throws LastErrorException;

    long write(int fd, byte[] buffer, long count) throws LastErrorException;

    /** @param fds an array of struct pollfd {int fd; short events; short revents;} */
    int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

    long lseek(int fd, long offset, int whence) throws LastErrorException;

    /** @see <a href="https://man7.org/linux/man-pages/man2/waitpid.2.html">waitpid(2)</a> */
    int waitpid(int pid, int[] status, int options) throws LastErrorException;

    /**
     * glibc forks with CLONE_VM|CLONE_VFORK and runs only its own code in the child, so no Java runs
     * between fork and exec. Returns 0 or an error number (exec failures included).
     *
     * @see <a href="https://man7.org/linux/man-pages/man3/posix_spawn.3.html">posix_spawn(3)</a>
     */
    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attributes, String[] argv,
                    String[] envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    /** glibc 2.34. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer signals);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);
}
