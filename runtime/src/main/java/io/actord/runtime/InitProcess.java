package io.actord.runtime;

import io.actord.runtime.process.ExitWatcher;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.sys.WaitStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A container's actord-init as the daemon holds it: a pidfd (signals never reach a reused pid) and the
 * exit the watcher reports.
 */
final class InitProcess {
    private final long pid;
    private final long startTicks;
    private final Fd pidfd;
    private final Linux linux;
    private final CompletableFuture<Optional<WaitStatus>> exited = new CompletableFuture<>();

    private InitProcess(long pid, long startTicks, Fd pidfd, Linux linux) {
        this.pid = pid;
        this.startTicks = startTicks;
        this.pidfd = pidfd;
        this.linux = linux;
    }

    /** Our child, just spawned. */
    static InitProcess spawned(Linux linux, ExitWatcher watcher, long pid) {
        Fd pidfd = linux.pidfdOpen(pid);
        InitProcess init = new InitProcess(pid, startTicks(pid).orElse(0), pidfd, linux);
        watcher.watch(pid, pidfd, init.exited::complete);
        return init;
    }

    /**
     * An init spawned by an earlier daemon process, if {@code pid} is still that process: same start time
     * before and after the pidfd is opened, so a reused pid is never taken for it.
     */
    static Optional<InitProcess> find(Linux linux, ExitWatcher watcher, long pid, long expectedStartTicks) {
        if (startTicks(pid).orElse(-1) != expectedStartTicks) {
            return Optional.empty();
        }
        Fd pidfd;
        try {
            pidfd = linux.pidfdOpen(pid);
        } catch (SyscallException gone) {
            return Optional.empty();
        }
        if (startTicks(pid).orElse(-1) != expectedStartTicks) {
            pidfd.close();
            return Optional.empty();
        }
        InitProcess init = new InitProcess(pid, expectedStartTicks, pidfd, linux);
        watcher.watch(pid, pidfd, init.exited::complete);
        return Optional.of(init);
    }

    /** Field 22 of /proc/PID/stat (clock ticks after boot); empty when there is no such process. */
    static OptionalLong startTicks(long pid) {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/stat")), StandardCharsets.US_ASCII);
            // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[22 - 3]));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    long pid() {
        return pid;
    }

    long startTicks() {
        return startTicks;
    }

    /** Completes on the exit watcher's thread with the wait status (empty when init was not our child). */
    CompletableFuture<Optional<WaitStatus>> exited() {
        return exited;
    }

    /** False when init is already gone. */
    boolean signal(Signal signal) {
        return !exited.isDone() && linux.pidfdSendSignal(pidfd, signal);
    }

    /**
     * Closes the pidfd once the watcher is done with it. While init lives the watcher still polls it, and a
     * closed number would soon name another file: then it is left open.
     */
    void close() {
        if (exited.isDone()) {
            pidfd.close();
        }
    }
}
