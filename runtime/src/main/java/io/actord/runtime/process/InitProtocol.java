package io.actord.runtime.process;

import io.actord.runtime.ContainerException;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.ProcessLimits;
import io.actord.runtime.Signal;
import io.actord.runtime.TerminalSize;
import io.actord.runtime.security.Capability;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.Received;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon ↔ actord-init protocol, the one place it is written down (actord-init.c mirrors it briefly).
 *
 * <pre>
 *  daemon (caller thread)          launcher thread                actord-init (PID 1 of the container)
 *  ----------------------------    ---------------------------    -------------------------------------
 *  socketpair, pipe, status file
 *  start launcher  ─────────────▶  unshare, mounts, pivot_root
 *                                  posix_spawn(init), fds:
 *                                    0 /dev/null
 *                                    1,2 output (file|pipe|null)
 *                                    3 sync socket  ───────────▶  blocks reading fd 3 (the gate)
 *                                    4 exit-status file
 *                                    5 pipe read end (Pipe only)
 *                                    6 user namespace (AUTO only)
 *  join  ◀───────────────────────  exits
 *  pidfd_open(pid)
 *  pid → cgroup.procs (every hierarchy)
 *  CONFIG on fd 3  ─────────────────────────────────────────────▶  read CONFIG
 *    "ACI1", u32 length, records of                                unshare(CLONE_NEWCGROUP)
 *    u8 tag, u32 length, value:                                    mount /proc, mask, read-only paths
 *    'A' argv[i]  'E' NAME=value  'W' workdir                      drop capabilities, setgroups,
 *    'U' uid  'G' gid  'S' group (u32)                             setresgid, setresuid, no_new_privs,
 *    'C' capabilities (u64)  'F' sock_filter[]                     seccomp, chdir workdir,
 *    'M' masked path  'R' read-only path                           fork → exec the entrypoint
 *    'N' (empty): join the user namespace   (with 'N': setns(fd 6, CLONE_NEWUSER) after /proc)
 *    'O' oom_score_adj (i32)                                       (before it: setrlimit each 'L',
 *    'L' u32 resource, u64 soft, u64 hard                          write 'O' to /proc/self/oom_score_adj)
 *    (little-endian; strings NUL-terminated)                       (an exec error comes back as errno)
 *  read until EOF  ◀────────────────────────────────────────────  "started\n" | "error &lt;message&gt;\n",
 *                                                                  then closes fds 3, 1, 2
 *  exit watcher: poll(pidfd)                                       forwards TERM/INT/HUP/USR1/USR2,
 *                                                                  reaps every child
 *                                                                  entrypoint ends: fd 4 ← "exited N\n"
 *  waitpid(init)  ◀─────────────────────────────────────────────  or "signaled S\n"; exits N or 128+S
 *  exit-status file → ExitStatus
 * </pre>
 *
 * <p>{@code actord-init --exec} (an exec into a running container; {@link ExecLauncher}) takes the same CONFIG
 * plus 'J' u32 (a namespace descriptor to setns into, in order: cgroup, ipc, uts, net, pid, mnt; then 'N') and
 * 'T' u32 (a pty: rows &lt;&lt; 16 | columns). Spawned on the host with fds 0-2 the command's stdio, 3 the sync
 * socket, 6 the user namespace and the 'J' descriptors; the daemon puts it into the container's cgroup before
 * it sends CONFIG (the same gate). It applies 'L'/'O', joins, drops privileges, opens the pty (as the command's
 * user, in the container's devpts), forks into the pid namespace and answers "started\n" (with 'T': the pty's
 * master as SCM_RIGHTS); it then exits as the command did: with its code, or killed by its signal.
 *
 * <p>A daemon that restarts finds init again by pid and start time, reopens the output pipe through
 * {@code /proc/<init>/fd/5}, and reads the exit status from the file if init ended while it was away.
 * An init that sees EOF on fd 3 before the config (the daemon gave up) exits quietly.
 */
public final class InitProtocol {
    public static final int FD_STDIN = 0;
    public static final int FD_STDOUT = 1;
    public static final int FD_STDERR = 2;
    public static final int FD_SYNC = 3;
    public static final int FD_EXIT_STATUS = 4;
    public static final int FD_OUTPUT_COPY = 5;
    /** The container's user namespace, when it has one; init joins it after mounting /proc. */
    public static final int FD_USERNS = 6;

    static final byte[] MAGIC = "ACI1".getBytes(StandardCharsets.US_ASCII);
    /** actord-init refuses larger configurations. */
    static final int MAX_CONFIG_BYTES = 1 << 20;
    static final int MAX_REPLY_BYTES = 4096;
    static final String STARTED = "started";
    static final String ERROR = "error ";

    private static final Pattern EXIT_STATUS = Pattern.compile("(exited|signaled) (\\d{1,3})\\s*");

    private InitProtocol() {
    }

    /** The CONFIG message: header and records, in the order of the diagram. */
    public static byte[] encode(InitConfig config) {
        return message(records(config));
    }

    /**
     * The CONFIG message of {@code actord-init --exec}: the container's process settings, the namespaces to
     * join ('J', descriptor numbers in the order to join them; the user namespace comes after, with 'N'), and
     * 'T' with the window size (rows in the high 16 bits) when the command gets a pty.
     */
    public static byte[] encodeExec(InitConfig config, List<Integer> namespaceFds, Optional<TerminalSize> tty) {
        ByteArrayOutputStream body = records(config);
        namespaceFds.forEach(fd -> u32(body, 'J', fd));
        tty.ifPresent(t -> u32(body, 'T', t.rows() << 16 | t.columns()));
        return message(body);
    }

    private static ByteArrayOutputStream records(InitConfig config) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        config.args().forEach(a -> string(body, 'A', a));
        config.env().forEach(e -> string(body, 'E', e));
        string(body, 'W', config.workDir());
        u32(body, 'U', config.uid());
        u32(body, 'G', config.gid());
        config.groups().forEach(g -> u32(body, 'S', g));
        record(body, 'C', ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(Capability.mask(config.security().capabilities())).array());
        config.security().maskedPaths().forEach(p -> string(body, 'M', p));
        config.security().readOnlyPaths().forEach(p -> string(body, 'R', p));
        record(body, 'F', config.security().seccomp().toBytes());
        if (config.userNamespace()) {
            record(body, 'N', new byte[0]);
        }
        u32(body, 'O', config.limits().oomScoreAdj());
        for (ProcessLimits.Rlimit r : config.limits().rlimits()) {
            record(body, 'L', ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(r.resource().number())
                    .putLong(r.soft()).putLong(r.hard()).array());
        }
        return body;
    }

    private static byte[] message(ByteArrayOutputStream body) {
        if (body.size() > MAX_CONFIG_BYTES) {
            throw new IllegalArgumentException("actord-init configuration of " + body.size()
                    + " bytes is larger than " + MAX_CONFIG_BYTES + " (too many or too long arguments/env)");
        }
        ByteBuffer message = ByteBuffer.allocate(8 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        message.put(MAGIC).putInt(body.size()).put(body.toByteArray());
        return message.array();
    }

    /**
     * Opens the gate: sends the configuration and waits for init's answer.
     *
     * @throws ContainerException with init's own message when it reports an error, or when it exits or
     *                            stays silent for {@code timeout}
     */
    public static void start(Linux linux, Fd sync, InitConfig config, Duration timeout) {
        linux.writeFully(sync, encode(config));
        byte[] reply = new byte[MAX_REPLY_BYTES];
        int length = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (length < reply.length) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ContainerException("actord-init did not report within " + timeout.toMillis() + " ms");
            }
            // Empty on timeout or EINTR; the deadline above decides which.
            if (!linux.pollReadable(List.of(sync), Duration.ofNanos(left)).isEmpty()) {
                int n = linux.read(sync, reply, length, reply.length - length);
                if (n == 0) {
                    break;
                }
                length += n;
            }
        }
        checkReply(new String(reply, 0, length, StandardCharsets.UTF_8));
    }

    /**
     * As {@link #start}, for {@code actord-init --exec}: the answer may carry the pty's master, which is
     * returned (the caller closes it). A descriptor that came with an error is closed.
     */
    public static Optional<Fd> startExec(Linux linux, Fd sync, byte[] config, Duration timeout) {
        linux.writeFully(sync, config);
        byte[] reply = new byte[MAX_REPLY_BYTES];
        int length = 0;
        Optional<Fd> passed = Optional.empty();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (length < reply.length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ContainerException("actord-init --exec did not report within " + timeout.toMillis()
                            + " ms");
                }
                if (!linux.pollReadable(List.of(sync), Duration.ofNanos(left)).isEmpty()) {
                    Received got = linux.receive(sync, reply, length, reply.length - length);
                    if (got.fd().isPresent()) {
                        passed.ifPresent(Fd::close);
                        passed = got.fd();
                    }
                    if (got.length() == 0) {
                        break;
                    }
                    length += got.length();
                }
            }
            checkReply(new String(reply, 0, length, StandardCharsets.UTF_8));
            return passed;
        } catch (RuntimeException e) {
            passed.ifPresent(Fd::close);
            throw e;
        }
    }

    /** Accepts "started", throws init's message for "error …", and says what else came back. */
    static void checkReply(String reply) {
        String line = reply.strip();
        if (line.equals(STARTED)) {
            return;
        }
        if (line.startsWith(ERROR)) {
            throw new ContainerException("actord-init: " + line.substring(ERROR.length()));
        }
        throw new ContainerException(line.isEmpty()
                ? "actord-init exited before it reported"
                : "actord-init sent an unexpected reply: \"" + line + "\"");
    }

    /** What init wrote to the exit-status file: "exited N" or "signaled S"; empty when it wrote nothing. */
    public static Optional<ExitStatus> parseExitStatus(String text) {
        Matcher m = EXIT_STATUS.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int value = Integer.parseInt(m.group(2));
        if (m.group(1).equals("exited")) {
            return Optional.of(ExitStatus.exited(value));
        }
        return Optional.of(Signal.of(value).map(ExitStatus::killed)
                .orElseGet(() -> new ExitStatus(128 + value, Optional.empty(), false)));
    }

    private static void string(ByteArrayOutputStream out, char tag, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        record(out, tag, terminated);
    }

    private static void u32(ByteArrayOutputStream out, char tag, int value) {
        record(out, tag, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    private static void record(ByteArrayOutputStream out, char tag, byte[] value) {
        out.write(tag);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value.length).array());
        out.writeBytes(value);
    }
}
