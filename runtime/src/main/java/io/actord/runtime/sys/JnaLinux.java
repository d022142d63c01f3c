package io.actord.runtime.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.actord.runtime.Signal;
import io.actord.runtime.sys.lib.LibC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import static io.actord.runtime.sys.SyscallException.symbol;

/** {@link Linux} through glibc and JNA (x86_64). Stateless and thread-safe. */
public final class JnaLinux implements Linux {
    // Syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl).
    static final long SYS_PIVOT_ROOT = 155;
    /** Linux 5.1. */
    static final long SYS_PIDFD_SEND_SIGNAL = 424;
    /** Linux 5.3. */
    static final long SYS_PIDFD_OPEN = 434;
    /** Linux 5.2 (the new mount API). */
    static final long SYS_OPEN_TREE = 428;
    static final long SYS_MOVE_MOUNT = 429;
    /** Linux 5.12. */
    static final long SYS_MOUNT_SETATTR = 442;
    static final long AT_FDCWD = -100;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int AT_RECURSIVE = 0x8000;
    static final int OPEN_TREE_CLONE = 1;
    static final long MOUNT_ATTR_IDMAP = 0x10_0000;
    static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
    /** struct mount_attr: u64 attr_set, attr_clr, propagation, userns_fd. */
    static final int MOUNT_ATTR_SIZE = 32;
    static final int MOUNT_ATTR_USERNS_FD = 24;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0x40;
    static final int O_TRUNC = 0x200;
    static final int O_APPEND = 0x400;
    static final int O_DIRECTORY = 0x1_0000;
    static final int O_NOFOLLOW = 0x2_0000;
    static final int O_PATH = 0x20_0000;
    static final int O_CLOEXEC = 0x8_0000;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int F_GETFD = 1;
    static final int F_SETFD = 2;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int FD_CLOEXEC = 1;
    static final int O_NONBLOCK = 0x800;
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = O_CLOEXEC;
    static final int EFD_NONBLOCK = 0x800;
    static final int MNT_DETACH = 2;
    static final int WNOHANG = 1;
    static final int SEEK_END = 2;
    /** Linux 3.1. */
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final short POLLIN = 1;
    /** struct msghdr (x86_64): name, namelen, iov, iovlen, control, controllen, flags. */
    static final int MSGHDR_SIZE = 56;
    static final int MSGHDR_IOV = 16;
    static final int MSGHDR_IOVLEN = 24;
    static final int MSGHDR_CONTROL = 32;
    static final int MSGHDR_CONTROLLEN = 40;
    /** struct cmsghdr: len (size_t), level, type, then the data; CMSG_SPACE of one int is 24. */
    static final int CMSG_SPACE_ONE_FD = 24;
    static final int CMSG_LEVEL = 8;
    static final int CMSG_TYPE = 12;
    static final int CMSG_DATA = 16;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final int MSG_CMSG_CLOEXEC = 0x4000_0000;
    static final long TIOCSWINSZ = 0x5414;
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    /** struct ifreq: 16 bytes of name, then a union whose first short is ifr_flags. */
    static final int IFREQ_SIZE = 40;
    static final int IFREQ_FLAGS = 16;
    static final short IFF_UP = 1;

    // Loop devices (linux/loop.h).
    static final long LOOP_SET_FD = 0x4C00;
    static final long LOOP_SET_STATUS64 = 0x4C04;
    /** Linux 5.8: attach and configure in one call, so the device is never bound without AUTOCLEAR. */
    static final long LOOP_CONFIGURE = 0x4C0A;
    static final long LOOP_CTL_GET_FREE = 0x4C82;
    static final int LO_FLAGS_AUTOCLEAR = 4;
    /** Linux 4.10: no second copy of the image in the host's page cache. */
    static final int LO_FLAGS_DIRECT_IO = 16;
    /** struct loop_config: u32 fd, u32 block_size, struct loop_info64 (232 bytes), u64 reserved[8]. */
    static final int LOOP_CONFIG_SIZE = 304;
    static final int LOOP_CONFIG_INFO = 8;
    static final int LOOP_INFO64_SIZE = 232;
    /** In struct loop_info64: five u64, then lo_number, lo_encrypt_type, lo_encrypt_key_size, lo_flags. */
    static final int LOOP_INFO64_FLAGS = 52;
    static final int LOOP_INFO64_FILE_NAME = 56;
    static final int LO_NAME_SIZE = 64;
    static final int LOOP_ATTACH_ATTEMPTS = 20;

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;
    /** glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128; room to spare. */
    static final int SPAWN_STRUCT_SIZE = 1024;
    static final int SIGSET_SIZE = 128;

    private static final LibC C = LibC.INSTANCE;

    @Override
    public void unshare(Set<Namespace> namespaces) {
        int flags = namespaces.stream().mapToInt(Namespace::cloneFlag).reduce(0, (a, b) -> a | b);
        check(() -> C.unshare(flags), "unshare", namespaces);
    }

    @Override
    public void setns(Fd fd, Namespace type) {
        check(() -> C.setns(fd.number(), type.cloneFlag()), "setns", fd.number(), type);
    }

    @Override
    public void mount(MountSpec m) {
        String target = m.target().toString();
        check(() -> C.mount(m.source(), target, m.fsType(), m.flagBits(), m.data()),
                "mount", m.source(), m.target(), m.fsType(), m.flags(), m.data());
    }

    @Override
    public void unmount(Path target, boolean detach) {
        int flags = detach ? MNT_DETACH : 0;
        check(() -> C.umount2(target.toString(), flags), "umount2", target, symbol(detach ? "MNT_DETACH" : "0"));
    }

    @Override
    public void setHostname(String hostname) {
        byte[] name = hostname.getBytes(StandardCharsets.US_ASCII);
        check(() -> C.sethostname(name, name.length), "sethostname", hostname, name.length);
    }

    @Override
    public void bringUpLoopback() {
        int socket = (int) check(() -> C.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0),
                "socket", symbol("AF_INET"), symbol("SOCK_DGRAM|SOCK_CLOEXEC"), 0);
        try {
            Memory ifreq = new Memory(IFREQ_SIZE);
            ifreq.clear();
            ifreq.setString(0, "lo", StandardCharsets.US_ASCII.name());
            check(() -> C.ioctl(socket, SIOCGIFFLAGS, ifreq), "ioctl", socket, symbol("SIOCGIFFLAGS"), "lo");
            ifreq.setShort(IFREQ_FLAGS, (short) (ifreq.getShort(IFREQ_FLAGS) | IFF_UP));
            check(() -> C.ioctl(socket, SIOCSIFFLAGS, ifreq), "ioctl", socket, symbol("SIOCSIFFLAGS"), "lo",
                    symbol("IFF_UP"));
        } finally {
            close(socket);
        }
    }

    @Override
    public void chdir(Path dir) {
        check(() -> C.chdir(dir.toString()), "chdir", dir);
    }

    @Override
    public void pivotRoot(Path newRoot) {
        int oldRoot = (int) check(() -> C.open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0),
                "open", "/", symbol("O_DIRECTORY"));
        try {
            check(() -> C.chdir(newRoot.toString()), "chdir", newRoot);
            // The same directory for new_root and put_old: no mount point is needed inside the rootfs
            // (pivot_root(2), "new_root and put_old may be the same directory").
            check(() -> C.syscall(SYS_PIVOT_ROOT, ".", "."), "pivot_root", ".", ".");
            // The old root is now mounted on top of "/"; only this descriptor still reaches it.
            check(() -> C.fchdir(oldRoot), "fchdir", symbol("old root"));
        } finally {
            close(oldRoot);
        }
    }

    @Override
    public void detachOldRoot() {
        check(() -> C.umount2(".", MNT_DETACH), "umount2", ".", symbol("MNT_DETACH"));
        check(() -> C.chdir("/"), "chdir", "/");
    }

    @Override
    public long spawn(SpawnSpec spec) {
        int closeFrom = spec.closeFrom();
        // A source numbered below closeFrom could be overwritten by an earlier dup2 of the same list:
        // move such sources above the targets first.
        List<Integer> moved = new ArrayList<>();
        Memory actions = new Memory(SPAWN_STRUCT_SIZE);
        Memory attributes = new Memory(SPAWN_STRUCT_SIZE);
        Memory defaults = new Memory(SIGSET_SIZE);
        Memory mask = new Memory(SIGSET_SIZE);
        spawnCheck(C.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            for (Map.Entry<Integer, Fd> e : spec.fds().entrySet()) {
                int source = e.getValue().number();
                if (source < closeFrom) {
                    int from = source;
                    source = (int) check(() -> C.fcntl(from, F_DUPFD_CLOEXEC, closeFrom), "fcntl", from,
                            symbol("F_DUPFD_CLOEXEC"), closeFrom);
                    moved.add(source);
                }
                spawnCheck(C.posix_spawn_file_actions_adddup2(actions, source, e.getKey()),
                        "posix_spawn_file_actions_adddup2", source, e.getKey());
            }
            spawnCheck(C.posix_spawn_file_actions_addclosefrom_np(actions, closeFrom),
                    "posix_spawn_file_actions_addclosefrom_np", closeFrom);
            spawnCheck(C.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try {
                // The JVM's handlers and blocked signals must not leak into the child.
                C.sigfillset(defaults);
                C.sigemptyset(mask);
                spawnCheck(C.posix_spawnattr_setsigdefault(attributes, defaults), "posix_spawnattr_setsigdefault");
                spawnCheck(C.posix_spawnattr_setsigmask(attributes, mask), "posix_spawnattr_setsigmask");
                spawnCheck(C.posix_spawnattr_setflags(attributes,
                                (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID)),
                        "posix_spawnattr_setflags");
                IntByReference pid = new IntByReference();
                int rc = C.posix_spawn(pid, spec.path(), actions, attributes, spec.argv().toArray(String[]::new),
                        spec.env().toArray(String[]::new));
                spawnCheck(rc, "posix_spawn", spec.path(), spec.argv(), spec.fds().keySet());
                return pid.getValue();
            } finally {
                C.posix_spawnattr_destroy(attributes);
            }
        } finally {
            C.posix_spawn_file_actions_destroy(actions);
            moved.forEach(this::close);
        }
    }

    @Override
    public Fd open(Path path, OpenMode mode) {
        int flags = switch (mode) {
            case READ -> O_RDONLY;
            case READ_WRITE -> O_RDWR;
            case APPEND -> O_WRONLY | O_CREAT | O_APPEND;
            case TRUNCATE -> O_WRONLY | O_CREAT | O_TRUNC;
            case DIRECTORY -> O_RDONLY | O_DIRECTORY;
        } | O_CLOEXEC;
        int fileMode = mode == OpenMode.APPEND ? 0640 : 0600;
        return fd(check(() -> C.open(path.toString(), flags, fileMode), "open", path, mode));
    }

    @Override
    public Fd openDirectoryBeneath(Path root, List<String> names) {
        int flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
        Fd dir = fd(check(() -> C.open(root.toString(), flags, 0), "open", root, symbol("O_PATH")));
        for (String name : names) {
            if (name.isEmpty() || name.equals("..") || name.contains("/")) {
                dir.close();
                throw new IllegalArgumentException("not one path component below " + root + ": " + name);
            }
            try (Fd parent = dir) {
                dir = fd(check(() -> C.openat(parent.number(), name, flags | O_NOFOLLOW, 0), "openat", parent, name,
                        symbol("O_NOFOLLOW")));
            }
        }
        return dir;
    }

    @Override
    public FdPair pipe() {
        int[] fds = new int[2];
        check(() -> C.pipe2(fds, O_CLOEXEC), "pipe2", symbol("O_CLOEXEC"));
        return new FdPair(new Fd(fds[0], this), new Fd(fds[1], this));
    }

    @Override
    public FdPair socketPair() {
        int[] fds = new int[2];
        check(() -> C.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds),
                "socketpair", symbol("AF_UNIX"), symbol("SOCK_STREAM|SOCK_CLOEXEC"), 0);
        return new FdPair(new Fd(fds[0], this), new Fd(fds[1], this));
    }

    @Override
    public Fd eventFd() {
        return fd(check(() -> C.eventfd(0, O_CLOEXEC | EFD_NONBLOCK),
                "eventfd", 0, symbol("EFD_CLOEXEC|EFD_NONBLOCK")));
    }

    @Override
    public int read(Fd fd, byte[] buffer, int offset, int length) {
        byte[] chunk = offset == 0 ? buffer : new byte[length];
        for (;;) {
            try {
                int n = (int) C.read(fd.number(), chunk, length);
                if (chunk != buffer) {
                    System.arraycopy(chunk, 0, buffer, offset, n);
                }
                return n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR.number()) {
                    throw new SyscallException("read", e.getErrorCode(), fd.number(), length);
                }
            }
        }
    }

    @Override
    public void writeFully(Fd fd, byte[] data) {
        byte[] rest = data;
        while (rest.length > 0) {
            byte[] chunk = rest;
            long n = check(() -> C.write(fd.number(), chunk, chunk.length), "write", fd.number(), chunk.length);
            rest = Arrays.copyOfRange(rest, (int) n, rest.length);
        }
    }

    @Override
    public Received receive(Fd socket, byte[] buffer, int offset, int length) {
        Memory data = new Memory(Math.max(1, length));
        Memory iov = new Memory(16);
        iov.setPointer(0, data);
        iov.setLong(8, length);
        // Room for more than one descriptor, so that extra ones are received (and closed), not leaked as MSG_CTRUNC.
        Memory control = new Memory(4L * CMSG_SPACE_ONE_FD);
        control.clear();
        Memory msg = new Memory(MSGHDR_SIZE);
        msg.clear();
        msg.setPointer(MSGHDR_IOV, iov);
        msg.setLong(MSGHDR_IOVLEN, 1);
        msg.setPointer(MSGHDR_CONTROL, control);
        msg.setLong(MSGHDR_CONTROLLEN, control.size());
        long n;
        for (;;) {
            try {
                n = C.recvmsg(socket.number(), msg, MSG_CMSG_CLOEXEC);
                break;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR.number()) {
                    throw new SyscallException("recvmsg", e.getErrorCode(), socket.number(), length);
                }
            }
        }
        data.read(0, buffer, offset, (int) n);
        Optional<Fd> received = Optional.empty();
        long controlLength = msg.getLong(MSGHDR_CONTROLLEN);
        if (controlLength >= CMSG_DATA + 4 && control.getInt(CMSG_LEVEL) == SOL_SOCKET
                && control.getInt(CMSG_TYPE) == SCM_RIGHTS) {
            int fds = (int) ((control.getLong(0) - CMSG_DATA) / 4);
            received = Optional.of(fd(control.getInt(CMSG_DATA)));
            for (int i = 1; i < fds; i++) {
                close(control.getInt(CMSG_DATA + 4L * i));
            }
        }
        return new Received((int) n, received);
    }

    @Override
    public void setWindowSize(Fd terminal, int rows, int columns) {
        Memory winsize = new Memory(8);
        winsize.clear();
        winsize.setShort(0, (short) rows);
        winsize.setShort(2, (short) columns);
        check(() -> C.ioctl(terminal.number(), TIOCSWINSZ, winsize), "ioctl", terminal.number(),
                symbol("TIOCSWINSZ"), rows, columns);
    }

    @Override
    public List<Integer> pollReadable(List<Fd> fds, Duration timeout) {
        Memory pollfds = new Memory(8L * fds.size());
        for (int i = 0; i < fds.size(); i++) {
            pollfds.setInt(8L * i, fds.get(i).number());
            pollfds.setShort(8L * i + 4, POLLIN);
            pollfds.setShort(8L * i + 6, (short) 0);
        }
        int millis = timeout.isNegative() ? -1 : (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try {
            C.poll(pollfds, fds.size(), millis);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EINTR.number()) {
                return List.of();
            }
            throw new SyscallException("poll", e.getErrorCode(), fds.size() + " fds", millis);
        }
        List<Integer> ready = new ArrayList<>();
        for (int i = 0; i < fds.size(); i++) {
            if (pollfds.getShort(8L * i + 6) != 0) {
                ready.add(i);
            }
        }
        return ready;
    }

    @Override
    public List<long[]> dataSegments(Path file) {
        int fd = (int) check(() -> C.open(file.toString(), O_RDONLY | O_CLOEXEC, 0), "open", file, symbol("O_RDONLY"));
        try {
            long size = check(() -> C.lseek(fd, 0, SEEK_END), "lseek", file, 0, symbol("SEEK_END"));
            List<long[]> segments = new ArrayList<>();
            long position = 0;
            while (position < size) {
                long from = position;
                long data;
                try {
                    data = C.lseek(fd, from, SEEK_DATA);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == Errno.ENXIO.number()) {
                        break; // only a hole is left
                    }
                    throw new SyscallException("lseek", e.getErrorCode(), file, from, symbol("SEEK_DATA"));
                }
                long hole = check(() -> C.lseek(fd, data, SEEK_HOLE), "lseek", file, data, symbol("SEEK_HOLE"));
                segments.add(new long[] {data, hole});
                position = hole;
            }
            return segments;
        } finally {
            close(fd);
        }
    }

    @Override
    public Fd pidfdOpen(long pid) {
        return fd(check(() -> C.syscall(SYS_PIDFD_OPEN, pid, 0L), "pidfd_open", pid, 0));
    }

    @Override
    public boolean pidfdSendSignal(Fd pidfd, Signal signal) {
        try {
            C.syscall(SYS_PIDFD_SEND_SIGNAL, (long) pidfd.number(), (long) signal.number(), Pointer.NULL, 0L);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH.number()) {
                return false;
            }
            throw new SyscallException("pidfd_send_signal", e.getErrorCode(), pidfd.number(), signal,
                    symbol("NULL"), 0);
        }
    }

    @Override
    public Optional<WaitStatus> waitpid(long pid, boolean noHang) {
        int[] status = new int[1];
        int options = noHang ? WNOHANG : 0;
        for (;;) {
            try {
                int reaped = C.waitpid((int) pid, status, options);
                return reaped == 0 ? Optional.empty() : Optional.of(WaitStatus.decode(status[0]));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR.number()) {
                    throw new SyscallException("waitpid", e.getErrorCode(), pid, symbol(noHang ? "WNOHANG" : "0"));
                }
            }
        }
    }

    @Override
    public LoopDevice attachLoop(Path image) {
        int file = (int) check(() -> C.open(image.toString(), O_RDWR | O_CLOEXEC, 0), "open", image, symbol("O_RDWR"));
        int control = -1;
        try {
            control = (int) check(() -> C.open("/dev/loop-control", O_RDWR | O_CLOEXEC, 0),
                    "open", "/dev/loop-control", symbol("O_RDWR"));
            for (int attempt = 1; ; attempt++) {
                int ctl = control;
                int number = (int) check(() -> C.ioctl(ctl, LOOP_CTL_GET_FREE, 0L), "ioctl", "/dev/loop-control",
                        symbol("LOOP_CTL_GET_FREE"));
                Path device = Path.of("/dev/loop" + number);
                int fd = (int) check(() -> C.open(device.toString(), O_RDWR | O_CLOEXEC, 0),
                        "open", device, symbol("O_RDWR"));
                try {
                    configureLoop(fd, file, image);
                    return new LoopDevice(number, new Fd(fd, this));
                } catch (SyscallException e) {
                    close(fd);
                    // Another process bound the free device between GET_FREE and our call: take the next.
                    if (!e.is(Errno.EBUSY) || attempt == LOOP_ATTACH_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } finally {
            // The device holds its own reference to the image.
            close(file);
            if (control >= 0) {
                close(control);
            }
        }
    }

    private void configureLoop(int device, int file, Path image) {
        Memory config = new Memory(LOOP_CONFIG_SIZE);
        config.clear();
        config.setInt(0, file);
        config.setInt(LOOP_CONFIG_INFO + LOOP_INFO64_FLAGS, LO_FLAGS_AUTOCLEAR | LO_FLAGS_DIRECT_IO);
        byte[] name = image.toString().getBytes(StandardCharsets.UTF_8);
        config.write(LOOP_CONFIG_INFO + LOOP_INFO64_FILE_NAME, name, 0, Math.min(name.length, LO_NAME_SIZE - 1));
        try {
            C.ioctl(device, LOOP_CONFIGURE, config);
        } catch (LastErrorException e) {
            boolean oldKernel = e.getErrorCode() == Errno.EINVAL.number() || e.getErrorCode() == Errno.ENOTTY.number();
            if (!oldKernel) {
                throw new SyscallException("ioctl", e.getErrorCode(), "/dev/loop", symbol("LOOP_CONFIGURE"), image,
                        symbol("LO_FLAGS_AUTOCLEAR|LO_FLAGS_DIRECT_IO"));
            }
            Memory info = new Memory(LOOP_INFO64_SIZE);
            info.clear();
            info.setInt(LOOP_INFO64_FLAGS, LO_FLAGS_AUTOCLEAR);
            check(() -> C.ioctl(device, LOOP_SET_FD, file), "ioctl", "/dev/loop", symbol("LOOP_SET_FD"), image);
            check(() -> C.ioctl(device, LOOP_SET_STATUS64, info), "ioctl", "/dev/loop", symbol("LOOP_SET_STATUS64"),
                    symbol("LO_FLAGS_AUTOCLEAR"));
        }
    }

    @Override
    public void mknod(Path path, int mode, long device) {
        check(() -> C.mknod(path.toString(), mode, device), "mknod", path, symbol("0" + Integer.toOctalString(mode)),
                device);
    }

    @Override
    public void idmappedBind(Path source, Path target, Fd userns) {
        int tree = idmappedTree(source, userns);
        try {
            check(() -> C.syscall(SYS_MOVE_MOUNT, (long) tree, "", AT_FDCWD, target.toString(),
                    (long) MOVE_MOUNT_F_EMPTY_PATH), "move_mount", source, target);
        } finally {
            close(tree);
        }
    }

    @Override
    public boolean canIdmap(Path path, Fd userns) {
        try {
            close(idmappedTree(path, userns));
            return true;
        } catch (SyscallException e) {
            // EINVAL: the filesystem type does not allow idmapped mounts (mount_setattr(2)).
            if (e.is(Errno.EINVAL)) {
                return false;
            }
            throw e;
        }
    }

    /** A detached clone of the mount tree at {@code source}, idmapped with {@code userns}; the caller closes it. */
    private int idmappedTree(Path source, Fd userns) {
        int tree = (int) check(() -> C.syscall(SYS_OPEN_TREE, AT_FDCWD, source.toString(),
                (long) (OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE)), "open_tree", source,
                symbol("OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_RECURSIVE"));
        try {
            Memory attr = new Memory(MOUNT_ATTR_SIZE);
            attr.clear();
            attr.setLong(0, MOUNT_ATTR_IDMAP);
            attr.setLong(MOUNT_ATTR_USERNS_FD, userns.number());
            check(() -> C.syscall(SYS_MOUNT_SETATTR, (long) tree, "", (long) AT_EMPTY_PATH, attr,
                    (long) MOUNT_ATTR_SIZE), "mount_setattr", source, symbol("MOUNT_ATTR_IDMAP"), userns.number());
            return tree;
        } catch (RuntimeException e) {
            close(tree);
            throw e;
        }
    }

    @Override
    public void setSysctl(String key, String value) {
        Path file = Path.of("/proc/sys", key.replace('.', '/'));
        try {
            Files.writeString(file, value, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("write \"" + value + "\" to " + file, e);
        }
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        check(() -> C.lchown(path.toString(), uid, gid), "lchown", path, uid, gid);
    }

    @Override
    public void setXattr(Path path, String name, byte[] value) {
        check(() -> C.lsetxattr(path.toString(), name, value, value.length, 0), "lsetxattr", path, name, value.length);
    }

    @Override
    public Optional<byte[]> xattr(Path path, String name) {
        try {
            // The size, then the value; a value that grew in between fails with ERANGE (the kernel's 64 KiB cap).
            long size = check(() -> C.lgetxattr(path.toString(), name, null, 0), "lgetxattr", path, name);
            byte[] value = new byte[(int) size];
            long read = check(() -> C.lgetxattr(path.toString(), name, value, value.length), "lgetxattr", path, name);
            return Optional.of(Arrays.copyOf(value, (int) read));
        } catch (SyscallException e) {
            if (e.errno().equals(Optional.of(Errno.ENODATA))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void adoptInherited(int fd) {
        int status = (int) check(() -> C.fcntl(fd, F_GETFL, 0), "fcntl", fd, symbol("F_GETFL"));
        check(() -> C.fcntl(fd, F_SETFL, status | O_NONBLOCK), "fcntl", fd, symbol("F_SETFL"), symbol("O_NONBLOCK"));
        int flags = (int) check(() -> C.fcntl(fd, F_GETFD, 0), "fcntl", fd, symbol("F_GETFD"));
        check(() -> C.fcntl(fd, F_SETFD, flags | FD_CLOEXEC), "fcntl", fd, symbol("F_SETFD"), symbol("FD_CLOEXEC"));
    }

    @Override
    public void close(int fd) {
        try {
            C.close(fd);
        } catch (LastErrorException e) {
            // close(2): after EINTR the descriptor is gone anyway on Linux; retrying could close a reused one.
            if (e.getErrorCode() != Errno.EINTR.number()) {
                throw new SyscallException("close", e.getErrorCode(), fd);
            }
        }
    }

    private Fd fd(long number) {
        return new Fd((int) number, this);
    }

    private static long check(LongSupplier call, String name, Object... args) {
        try {
            return call.getAsLong();
        } catch (LastErrorException e) {
            throw new SyscallException(name, e.getErrorCode(), args);
        }
    }

    private static void spawnCheck(int rc, String name, Object... args) {
        if (rc != 0) {
            throw new SyscallException(name, rc, args);
        }
    }
}
