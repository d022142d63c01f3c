package io.actord.runtime.testing;

import io.actord.runtime.Signal;
import io.actord.runtime.sys.Errno;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.FdPair;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.LoopDevice;
import io.actord.runtime.sys.MountSpec;
import io.actord.runtime.sys.Namespace;
import io.actord.runtime.sys.OpenMode;
import io.actord.runtime.sys.Received;
import io.actord.runtime.sys.SpawnSpec;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.sys.WaitStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link Linux} that changes nothing and writes down every call as C would spell it, e.g.
 * {@code mount("overlay", "/r/rootfs", "overlay", MS_NOSUID|MS_NODEV, "lowerdir=…")}, so tests can assert the
 * sequence without root. {@link #failOn} makes a call fail with an errno. Thread-safe.
 */
public final class RecordingLinux implements Linux {
    public static final long SPAWNED_PID = 4242;

    private final List<String> calls = new ArrayList<>();
    private final Map<String, Errno> failures = new LinkedHashMap<>();
    private final Set<Integer> open = new TreeSet<>();
    private int nextFd = 100;

    /** Every later call whose rendering starts with {@code prefix} fails with {@code errno}. */
    public synchronized RecordingLinux failOn(String prefix, Errno errno) {
        failures.put(prefix, errno);
        return this;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The descriptors handed out and not closed yet. */
    public synchronized Set<Integer> openFds() {
        return Set.copyOf(open);
    }

    private synchronized void record(String call) {
        calls.add(call);
        failures.forEach((prefix, errno) -> {
            if (call.startsWith(prefix)) {
                throw new SyscallException(call.substring(0, call.indexOf('(')), errno.number(),
                        SyscallException.symbol(call.substring(call.indexOf('(') + 1, call.length() - 1)));
            }
        });
    }

    private synchronized Fd fd() {
        int n = nextFd++;
        open.add(n);
        return new Fd(n, this);
    }

    @Override
    public void unshare(Set<Namespace> namespaces) {
        record(SyscallException.render("unshare", namespaces));
    }

    @Override
    public void setns(Fd fd, Namespace type) {
        record(SyscallException.render("setns", fd.number(), type));
    }

    @Override
    public void mount(MountSpec mount) {
        record(mount.toString());
    }

    @Override
    public void unmount(Path target, boolean detach) {
        record(SyscallException.render("umount2", target, SyscallException.symbol(detach ? "MNT_DETACH" : "0")));
    }

    @Override
    public void setHostname(String hostname) {
        record(SyscallException.render("sethostname", hostname));
    }

    @Override
    public void bringUpLoopback() {
        record(SyscallException.render("ioctl", "lo", SyscallException.symbol("SIOCSIFFLAGS"),
                SyscallException.symbol("IFF_UP")));
    }

    @Override
    public void chdir(Path dir) {
        record(SyscallException.render("chdir", dir));
    }

    @Override
    public void pivotRoot(Path newRoot) {
        record(SyscallException.render("pivot_root", newRoot));
    }

    @Override
    public void detachOldRoot() {
        record(SyscallException.render("umount2", ".", SyscallException.symbol("MNT_DETACH")));
    }

    @Override
    public long spawn(SpawnSpec spec) {
        record(SyscallException.render("posix_spawn", spec.path(), spec.argv(), spec.fds().keySet()));
        return SPAWNED_PID;
    }

    @Override
    public Fd open(Path path, OpenMode mode) {
        record(SyscallException.render("open", path, mode));
        return fd();
    }

    @Override
    public Fd openDirectoryBeneath(Path root, List<String> names) {
        record(SyscallException.render("openat", root, names));
        return fd();
    }

    @Override
    public FdPair pipe() {
        record("pipe2()");
        return new FdPair(fd(), fd());
    }

    @Override
    public FdPair socketPair() {
        record("socketpair()");
        return new FdPair(fd(), fd());
    }

    @Override
    public Fd eventFd() {
        return fd();
    }

    @Override
    public int read(Fd fd, byte[] buffer, int offset, int length) {
        return 0;
    }

    @Override
    public void writeFully(Fd fd, byte[] data) {
    }

    @Override
    public Received receive(Fd socket, byte[] buffer, int offset, int length) {
        return new Received(0, Optional.empty());
    }

    @Override
    public void setWindowSize(Fd terminal, int rows, int columns) {
        record("setWindowSize(" + terminal.number() + ", " + rows + ", " + columns + ")");
    }

    @Override
    public List<Integer> pollReadable(List<Fd> fds, Duration timeout) {
        return List.of();
    }

    @Override
    public List<long[]> dataSegments(Path file) {
        return List.of();
    }

    @Override
    public Fd pidfdOpen(long pid) {
        record(SyscallException.render("pidfd_open", pid));
        return fd();
    }

    @Override
    public boolean pidfdSendSignal(Fd pidfd, Signal signal) {
        record(SyscallException.render("pidfd_send_signal", signal));
        return true;
    }

    @Override
    public Optional<WaitStatus> waitpid(long pid, boolean noHang) {
        record(SyscallException.render("waitpid", pid));
        return Optional.of(new WaitStatus(0, Signal.SIGKILL.number()));
    }

    @Override
    public LoopDevice attachLoop(Path image) {
        record(SyscallException.render("ioctl", image, SyscallException.symbol("LOOP_CONFIGURE")));
        return new LoopDevice(7, fd());
    }

    @Override
    public void mknod(Path path, int mode, long device) {
        record(SyscallException.render("mknod", path, SyscallException.symbol("0" + Integer.toOctalString(mode)),
                device));
    }

    @Override
    public void idmappedBind(Path source, Path target, Fd userns) {
        record(SyscallException.render("idmappedBind", source, target, userns.number()));
    }

    @Override
    public boolean canIdmap(Path path, Fd userns) {
        record(SyscallException.render("canIdmap", path, userns.number()));
        return true;
    }

    @Override
    public void setSysctl(String key, String value) {
        record(SyscallException.render("sysctl", key, value));
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        record(SyscallException.render("lchown", path, uid, gid));
    }

    @Override
    public void setXattr(Path path, String name, byte[] value) {
        record(SyscallException.render("lsetxattr", path, name, new String(value, StandardCharsets.UTF_8)));
    }

    @Override
    public Optional<byte[]> xattr(Path path, String name) {
        record(SyscallException.render("lgetxattr", path, name));
        return Optional.empty();
    }

    @Override
    public void adoptInherited(int fd) {
        record(SyscallException.render("fcntl", fd, SyscallException.symbol("F_SETFL"),
                SyscallException.symbol("O_NONBLOCK")));
    }

    @Override
    public synchronized void close(int fd) {
        open.remove(fd);
    }
}
