package io.actord.daemon.runlog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies a container's output pipe into its run's log on a thread of its own (reads block), until end of
 * stream: the workload and everything it started have closed stdout and stderr.
 */
public final class LogPump {
    private static final Logger LOG = LoggerFactory.getLogger(LogPump.class);

    private final CountDownLatch eof = new CountDownLatch(1);
    private final Thread thread;

    private LogPump(String runId, InputStream in, RunLog log) {
        this.thread = new Thread(() -> pump(runId, in, log), "log-" + runId);
        this.thread.setDaemon(true);
    }

    public static LogPump start(String runId, InputStream in, RunLog log) {
        LogPump pump = new LogPump(runId, in, log);
        pump.thread.start();
        return pump;
    }

    private void pump(String runId, InputStream in, RunLog log) {
        byte[] buf = new byte[16 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                log.append(buf, 0, n);
            }
        } catch (IOException e) {
            LOG.debug("log pipe closed run={} error=\"{}\"", runId, e.getMessage());
        } finally {
            eof.countDown();
        }
    }

    /** Waits until the pipe reached end of stream; false if {@code timeout} passed first. */
    public boolean awaitEof(Duration timeout) {
        try {
            return eof.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
