package io.actord.runtime.process;

import io.actord.runtime.ExecProcess;
import io.actord.runtime.ExecSpec;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import io.actord.runtime.TerminalSize;
import io.actord.runtime.sys.Errno;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.sys.WaitStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link ExecProcess} made by {@link ExecLauncher}: actord-init --exec, held by a pidfd and reaped by the
 * exit watcher, and the daemon's ends of the command's stdio (pipes, or one pty master for all three).
 *
 * <p>Each descriptor is closed by whoever is done with it last, never while a read may still use its number:
 * an output is closed by its reader (after end of stream); writes, resizes and closes hold the descriptor's
 * monitor, and the pidfd's uses hold {@link #process}, so a write blocked on a full pipe never delays a kill.
 */
final class LaunchedExec implements ExecProcess {
    private final Linux linux;
    private final long pid;
    private final Fd pidfd;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final Object process = new Object();
    private volatile Optional<Fd> terminal = Optional.empty();
    private volatile OutputStream stdin = OutputStream.nullOutputStream();
    private volatile InputStream stdout = InputStream.nullInputStream();
    private volatile Optional<InputStream> stderr = Optional.empty();

    private LaunchedExec(Linux linux, long pid, Fd pidfd) {
        this.linux = linux;
        this.pid = pid;
        this.pidfd = pidfd;
    }

    /** Watches our child {@code pid}, just spawned. */
    static LaunchedExec watch(Linux linux, ExitWatcher watcher, long pid) {
        Fd pidfd = linux.pidfdOpen(pid);
        LaunchedExec exec = new LaunchedExec(linux, pid, pidfd);
        watcher.watch(pid, pidfd, exec::exited);
        return exec;
    }

    /** On the exit watcher's thread, which is done with the pidfd once it calls this. */
    private void exited(Optional<WaitStatus> status) {
        synchronized (process) {
            pidfd.close();
        }
        exit.complete(status.map(w -> w.signaled()
                ? Signal.of(w.signal()).map(ExitStatus::killed)
                        .orElse(new ExitStatus(128 + w.signal(), Optional.empty(), false))
                : ExitStatus.exited(w.exitCode())).orElse(ExitStatus.killed(Signal.SIGKILL)));
    }

    /** The command runs: its streams are the pipes of {@code stdio}, or the pty {@code master}. */
    LaunchedExec started(ExecSpec spec, ExecLauncher.Stdio stdio, Optional<Fd> master) {
        if (spec.tty().isPresent()) {
            Fd pty = master.orElseThrow(() -> new IllegalStateException("actord-init --exec sent no pty"));
            terminal = Optional.of(pty);
            stdin = new FdOutput(pty, false);
            stdout = new FdInput(pty);
        } else {
            master.ifPresent(Fd::close);
            stdio.stdin().ifPresent(fd -> stdin = new FdOutput(fd, true));
            stdout = new FdInput(stdio.stdout().orElseThrow());
            stderr = stdio.stderr().map(FdInput::new);
        }
        return this;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public Optional<InputStream> stderr() {
        return stderr;
    }

    @Override
    public void resize(TerminalSize size) {
        terminal.ifPresent(t -> {
            synchronized (t) {
                if (t.isOpen()) {
                    linux.setWindowSize(t, size.rows(), size.columns());
                }
            }
        });
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit;
    }

    @Override
    public void kill() {
        synchronized (process) {
            if (!exit.isDone()) {
                ExecLauncher.kill(linux, pidfd);
            }
        }
    }

    @Override
    public void close() {
        kill();
        try {
            stdin.close();
        } catch (IOException e) {
            // A pipe whose reader is gone: nothing is left to tell it.
        }
    }

    /** Reads a descriptor until end of stream; EIO is a pty's end (its last peer closed). */
    private final class FdInput extends InputStream {
        private final Fd fd;

        FdInput(Fd fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fd.isOpen()) {
                return -1;
            }
            try {
                int n = linux.read(fd, b, off, len);
                return n == 0 ? -1 : n;
            } catch (SyscallException e) {
                if (e.is(Errno.EIO)) {
                    return -1;
                }
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            synchronized (fd) {
                fd.close();
            }
        }
    }

    /** Writes to a descriptor; closing ends the input only when {@code owner} (a pipe, not a shared pty). */
    private final class FdOutput extends OutputStream {
        private final Fd fd;
        private final boolean owner;

        FdOutput(Fd fd, boolean owner) {
            this.fd = fd;
            this.owner = owner;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            byte[] data = off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
            synchronized (fd) {
                if (!fd.isOpen()) {
                    throw new IOException("the command's input is closed");
                }
                try {
                    linux.writeFully(fd, data);
                } catch (SyscallException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        }

        @Override
        public void close() {
            if (owner) {
                synchronized (fd) {
                    fd.close();
                }
            }
        }
    }
}
