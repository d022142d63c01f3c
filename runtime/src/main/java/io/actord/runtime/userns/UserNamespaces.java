package io.actord.runtime.userns;

import io.actord.runtime.ContainerException;
import io.actord.runtime.Signal;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.FdPair;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.OpenMode;
import io.actord.runtime.sys.SpawnSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes the user namespace that carries a container's {@link IdRange}, as a descriptor: the layers are
 * idmapped with it (mount_setattr needs a namespace, not a map) and actord-init joins it (setns).
 *
 * <p>A JVM cannot unshare or setns a user namespace (the kernel refuses both to a multithreaded
 * process), so a holder does it: actord-init started as {@code actord-init --userns-holder} unshares
 * CLONE_NEWUSER, says so on its stdout and waits for EOF on its stdin. Meanwhile this class, from the
 * initial namespace with CAP_SETUID and CAP_SETGID there, writes its uid_map and gid_map (setgroups stays
 * "allow": the writer is privileged, and every mapped gid is the container's own) and opens
 * /proc/PID/ns/user. The descriptor keeps the namespace alive after the holder exits. As runc and crun
 * do, the maps are written by the parent, never by the namespace's own process.
 */
public final class UserNamespaces {
    static final Duration HOLDER_TIMEOUT = Duration.ofSeconds(10);

    private final Linux linux;
    private final Path initBinary;

    public UserNamespaces(Linux linux, Path initBinary) {
        this.linux = linux;
        this.initBinary = initBinary;
    }

    /** A new user namespace mapping ids 0..size-1 to {@code range}, uids and gids alike. */
    public Fd create(IdRange range) {
        long pid;
        try (FdPair stdin = linux.pipe(); FdPair stdout = linux.pipe()) {
            pid = linux.spawn(SpawnSpec.of(initBinary.toString(), List.of("actord-init", "--userns-holder"),
                    List.of(), Map.of(0, stdin.first(), 1, stdout.second())));
            stdin.first().close();
            stdout.second().close();
            try {
                awaitUnshared(pid, stdout.first());
                Path proc = Path.of("/proc", Long.toString(pid));
                write(proc.resolve("uid_map"), range.mapLine());
                write(proc.resolve("gid_map"), range.mapLine());
                return linux.open(proc.resolve("ns/user"), OpenMode.READ);
            } catch (RuntimeException e) {
                try (Fd pidfd = linux.pidfdOpen(pid)) {
                    linux.pidfdSendSignal(pidfd, Signal.SIGKILL);
                }
                throw e;
            } finally {
                // EOF on its stdin ends the holder; the namespace lives on in the descriptor.
                stdin.second().close();
                linux.waitpid(pid, false);
            }
        }
    }

    private void awaitUnshared(long pid, Fd stdout) {
        if (linux.pollReadable(List.of(stdout), HOLDER_TIMEOUT).isEmpty()) {
            throw new ContainerException("actord-init --userns-holder (pid " + pid + ") did not unshare its user"
                    + " namespace within " + HOLDER_TIMEOUT);
        }
        byte[] line = new byte[256];
        int n = linux.read(stdout, line, 0, line.length);
        String said = new String(line, 0, Math.max(n, 0), StandardCharsets.UTF_8).strip();
        if (!said.equals("unshared")) {
            throw new ContainerException("actord-init --userns-holder (pid " + pid + "): "
                    + (said.isEmpty() ? "exited without a word" : said));
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ContainerException("write \"" + content.strip() + "\" to " + file + ": " + e.getMessage(), e);
        }
    }
}
