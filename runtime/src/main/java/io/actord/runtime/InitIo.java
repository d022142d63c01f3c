package io.actord.runtime;

import io.actord.runtime.process.InitProtocol;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.FdPair;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.OpenMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The descriptors a container's actord-init starts with (numbered as {@link InitProtocol} says) and the
 * daemon's ends of them. The init ends are closed here once init holds its copies.
 */
final class InitIo implements AutoCloseable {
    private final Fd sync;
    private final Map<Integer, Fd> initFds;
    private final List<Fd> initEnds;
    private final Optional<InputStream> output;

    private InitIo(Fd sync, Map<Integer, Fd> initFds, List<Fd> initEnds, Optional<InputStream> output) {
        this.sync = sync;
        this.initFds = initFds;
        this.initEnds = initEnds;
        this.output = output;
    }

    static InitIo open(Linux linux, Path runDir, Output output) {
        List<Fd> opened = new ArrayList<>();
        try {
            Map<Integer, Fd> fds = new HashMap<>();
            Fd devNull = track(opened, linux.open(Path.of("/dev/null"), OpenMode.READ_WRITE));
            fds.put(InitProtocol.FD_STDIN, devNull);
            Optional<InputStream> stream = Optional.empty();
            Fd out;
            if (output instanceof Output.ToFile file) {
                out = track(opened, linux.open(file.file(), OpenMode.APPEND));
            } else if (output instanceof Output.Pipe) {
                FdPair pipe = linux.pipe();
                track(opened, pipe.first());
                out = track(opened, pipe.second());
                fds.put(InitProtocol.FD_OUTPUT_COPY, pipe.first());
                stream = Optional.of(reopen(pipe.first()));
            } else {
                out = devNull;
            }
            fds.put(InitProtocol.FD_STDOUT, out);
            fds.put(InitProtocol.FD_STDERR, out);
            FdPair sync = linux.socketPair();
            Fd daemonEnd = sync.first();
            track(opened, sync.second());
            fds.put(InitProtocol.FD_SYNC, sync.second());
            fds.put(InitProtocol.FD_EXIT_STATUS,
                    track(opened, linux.open(runDir.resolve(ContainerDirectory.EXIT_STATUS), OpenMode.TRUNCATE)));
            return new InitIo(daemonEnd, Map.copyOf(fds), opened, stream);
        } catch (RuntimeException e) {
            opened.forEach(Fd::close);
            throw e;
        }
    }

    /**
     * A stream of its own on the pipe's read end (a new open file description through /proc/self/fd), so
     * the raw descriptor can be handed to init and closed here.
     */
    static InputStream reopen(Fd pipeReadEnd) {
        return reopen(Path.of("/proc/self/fd/" + pipeReadEnd.number()));
    }

    static InputStream reopen(Path procFd) {
        try {
            return Files.newInputStream(procFd);
        } catch (IOException e) {
            throw new UncheckedIOException("open the output pipe through " + procFd, e);
        }
    }

    Map<Integer, Fd> initFds() {
        return initFds;
    }

    Fd sync() {
        return sync;
    }

    Optional<InputStream> output() {
        return output;
    }

    /**
     * Init holds its copies now (or never will): only the daemon's ends stay, so init's exit shows as EOF
     * on the sync socket and on the output pipe.
     */
    void spawned() {
        initEnds.forEach(Fd::close);
    }

    /** Init has reported: the daemon keeps only the output stream. */
    void started() {
        sync.close();
    }

    @Override
    public void close() throws IOException {
        spawned();
        started();
        if (output.isPresent()) {
            output.get().close();
        }
    }

    private static Fd track(List<Fd> opened, Fd fd) {
        opened.add(fd);
        return fd;
    }
}
