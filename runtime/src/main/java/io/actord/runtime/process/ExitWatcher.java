package io.actord.runtime.process;

import io.actord.runtime.sys.Errno;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.sys.WaitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread that learns when containers' inits exit: poll(2) over their pidfds (readable once the
 * process has exited), then waitpid(pid) to reap it when it is our child (an init re-attached after a
 * restart is not: ECHILD). It never calls waitpid(-1): the JVM's other children belong to the JDK.
 */
public final class ExitWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);
    private static final Duration FOREVER = Duration.ofMillis(-1);

    /** Told once, on the watcher thread: keep it short and never block. */
    @FunctionalInterface
    public interface Listener {
        /** @param status how it ended; empty for a process that is not our child (re-attached) */
        void exited(Optional<WaitStatus> status);
    }

    private record Watch(long pid, Fd pidfd, Listener listener) {
    }

    private final Linux linux;
    private final Fd wakeup;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Watch> added = new ConcurrentLinkedQueue<>();
    /** Confined to the watcher thread. */
    private final List<Watch> watched = new ArrayList<>();
    private volatile boolean closed;

    private ExitWatcher(Linux linux) {
        this.linux = linux;
        this.wakeup = linux.eventFd();
        this.thread = new Thread(this::loop, "actord-exit-watcher");
        this.thread.setDaemon(true);
    }

    /** Starts the thread; call from an ordinary daemon thread (it inherits the caller's namespaces). */
    public static ExitWatcher start(Linux linux) {
        ExitWatcher watcher = new ExitWatcher(linux);
        watcher.thread.start();
        return watcher;
    }

    /** Watches {@code pid} through {@code pidfd}, which the caller keeps open until the listener has run. */
    public void watch(long pid, Fd pidfd, Listener listener) {
        added.add(new Watch(pid, pidfd, listener));
        wake();
    }

    @Override
    public void close() {
        closed = true;
        wake();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wakeup.close();
    }

    private void wake() {
        linux.writeFully(wakeup, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1).array());
    }

    private void loop() {
        while (!closed) {
            for (Watch w; (w = added.poll()) != null; ) {
                watched.add(w);
            }
            List<Fd> fds = new ArrayList<>(watched.size() + 1);
            fds.add(wakeup);
            watched.forEach(w -> fds.add(w.pidfd()));
            List<Integer> ready;
            try {
                ready = linux.pollReadable(fds, FOREVER);
            } catch (RuntimeException e) {
                LOG.error("exit watcher: poll failed, retrying", e);
                continue;
            }
            List<Watch> exited = new ArrayList<>();
            for (int index : ready) {
                if (index == 0) {
                    drainWakeup();
                } else {
                    exited.add(watched.get(index - 1));
                }
            }
            watched.removeAll(exited);
            exited.forEach(this::deliver);
        }
    }

    private void deliver(Watch w) {
        try {
            Optional<WaitStatus> status;
            try {
                status = linux.waitpid(w.pid(), true);
                if (status.isEmpty()) {
                    watched.add(w); // readable before waitpid can see it: look again on the next round
                    return;
                }
            } catch (SyscallException e) {
                if (!e.is(Errno.ECHILD)) {
                    throw e;
                }
                status = Optional.empty();
            }
            w.listener().exited(status);
        } catch (RuntimeException e) {
            LOG.error("exit watcher: handling the exit of pid {} failed", w.pid(), e);
        }
    }

    private void drainWakeup() {
        try {
            linux.read(wakeup, new byte[8], 0, 8);
        } catch (SyscallException e) {
            if (!e.is(Errno.EAGAIN)) {
                throw e;
            }
        }
    }
}
