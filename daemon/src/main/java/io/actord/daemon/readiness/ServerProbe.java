package io.actord.daemon.readiness;

import io.actord.daemon.actor.ActorService;
import io.actord.daemon.inrun.NamespaceEntry;
import io.actord.daemon.run.ContainerSpecFactory;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunListener;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.ServerReadiness;
import io.actord.runtime.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The {@link ServerReadiness} of runs, found by connecting: when a run's container starts (or is re-attached
 * after a daemon restart), a TCP connection to 127.0.0.1 and the run's web-server port is tried from a socket
 * made inside the container's network namespace (as the container-URL proxy makes its own), and closed at once,
 * until one is accepted. Then the run is ready until its container stops; a new container is probed afresh.
 * Nothing is probed once the container has stopped or the run has ended.
 *
 * <p>Schedule: the first try at once, then after {@value #FIRST_DELAY_MILLIS} ms and 1.5 times longer each
 * time, capped at {@value #FAST_CAP_MILLIS} ms for the container's first {@value #FAST_PHASE_SECS} s (a server
 * that starts then is seen within a quarter second), then capped at {@value #SLOW_CAP_MILLIS} ms. One try is a
 * throw-away thread that enters the namespace (setns), a socket and a loopback connect: about 0.46 ms of CPU
 * (measured on the 2-core development host, 2000 refused tries in a fresh namespace). A run whose server listens
 * costs a few tries; one that never listens costs about 45 tries (21 ms of CPU) in its first 10 s, then one
 * every 5 s, 0.01% of a core (100 such runs: about 1% of one core). Tries are started from the daemon's timer
 * thread; the connect runs on the namespace thread (loopback answers at once; bounded by
 * {@value #CONNECT_TIMEOUT_MILLIS} ms).
 */
public final class ServerProbe implements ServerReadiness, RunListener {
    static final long FIRST_DELAY_MILLIS = 100;
    static final long FAST_CAP_MILLIS = 250;
    static final long FAST_PHASE_SECS = 10;
    static final long SLOW_CAP_MILLIS = 5000;
    static final int CONNECT_TIMEOUT_MILLIS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(ServerProbe.class);

    private final NamespaceEntry namespaces;
    private final ScheduledExecutorService timers;
    private final ToIntFunction<Run> ports;
    private final Function<String, Optional<Run>> runs;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();

    /**
     * @param ports the port a run's web server listens on in its container (the container-URL proxy's)
     * @param runs  a run by id, to refuse waits for runs that are not active
     */
    public ServerProbe(NamespaceEntry namespaces, ScheduledExecutorService timers, ToIntFunction<Run> ports,
                       Function<String, Optional<Run>> runs) {
        this.namespaces = namespaces;
        this.timers = timers;
        this.ports = ports;
        this.runs = runs;
    }

    /**
     * A probe told of {@code service}'s containers and status changes (call before its recovery), which probes
     * the port the container-URL proxy connects to ({@link ContainerSpecFactory#webServerPort}).
     */
    public static ServerProbe install(RunService service, NamespaceEntry namespaces, ScheduledExecutorService timers,
                                      ContainerSpecFactory specs, ActorService actors) {
        ServerProbe probe = new ServerProbe(namespaces, timers,
                run -> specs.webServerPort(actors.getBuild(run.buildId())), service::find);
        service.listen(probe);
        service.onStatusChange(probe::statusChanged);
        return probe;
    }

    @Override
    public CompletableFuture<Void> ready(String runId) {
        Probe probe = probes.computeIfAbsent(runId, Probe::new);
        CompletableFuture<Void> ready = probe.future();
        if (runs.apply(runId).map(r -> r.status().isTerminal()).orElse(true)) {
            end(runId);
            return CompletableFuture.failedFuture(new NotServed(runId));
        }
        return ready;
    }

    @Override
    public boolean isReady(String runId) {
        Probe probe = probes.get(runId);
        return probe != null && probe.ready;
    }

    @Override
    public void containerStarted(Run run, Container container) {
        probes.computeIfAbsent(run.id(), Probe::new).start(container.networkNamespace(),
                new InetSocketAddress("127.0.0.1", ports.applyAsInt(run)));
    }

    @Override
    public void containerStopped(String runId) {
        Probe probe = probes.get(runId);
        if (probe != null) {
            probe.stopped();
        }
    }

    /** A stored status change: a finished run is probed no more, and its waiters are failed. */
    public void statusChanged(Run run) {
        if (run.status().isTerminal()) {
            end(run.id());
        }
    }

    /** How many runs are probed or waited for now. */
    public int size() {
        return probes.size();
    }

    private void end(String runId) {
        Probe probe = probes.remove(runId);
        if (probe != null) {
            probe.end();
        }
    }

    /** The delay before try number {@code attempt} (from 1) of a container started {@code elapsedNanos} ago. */
    static long delayMillis(int attempt, long elapsedNanos) {
        double grown = FIRST_DELAY_MILLIS * Math.pow(1.5, Math.min(attempt - 1, 20));
        long cap = elapsedNanos < TimeUnit.SECONDS.toNanos(FAST_PHASE_SECS) ? FAST_CAP_MILLIS : SLOW_CAP_MILLIS;
        return (long) Math.min(grown, cap);
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One run's probing: its current container's tries, and the future its waiters share. */
    private final class Probe {
        private final String runId;
        private CompletableFuture<Void> future = new CompletableFuture<>();
        private volatile boolean ready;
        private long generation;
        private ScheduledFuture<?> next;
        private boolean ended;

        Probe(String runId) {
            this.runId = runId;
        }

        synchronized CompletableFuture<Void> future() {
            return future;
        }

        synchronized void start(Path netns, InetSocketAddress address) {
            if (ended) {
                return;
            }
            restart();
            long gen = generation;
            long started = System.nanoTime();
            schedule(() -> attempt(gen, netns, address, started, 0), 0);
        }

        synchronized void stopped() {
            if (!ended) {
                restart();
            }
        }

        synchronized void end() {
            ended = true;
            stopTrying();
            ready = false;
            future.completeExceptionally(new NotServed(runId));
        }

        /** Forgets the old container: not ready, no more tries, a fresh future if the old one was completed. */
        private void restart() {
            stopTrying();
            ready = false;
            if (future.isDone()) {
                future = new CompletableFuture<>();
            }
        }

        private void stopTrying() {
            generation++;
            if (next != null) {
                next.cancel(false);
                next = null;
            }
        }

        private void attempt(long gen, Path netns, InetSocketAddress address, long started, int attempt) {
            synchronized (this) {
                if (gen != generation) {
                    return;
                }
            }
            namespaces.callAsync(netns, () -> accepts(address)).whenComplete((accepted, error) ->
                    answered(gen, netns, address, started, attempt, Boolean.TRUE.equals(accepted)));
        }

        private synchronized void answered(long gen, Path netns, InetSocketAddress address, long started, int attempt,
                                           boolean accepted) {
            if (gen != generation) {
                return;
            }
            if (accepted) {
                next = null;
                ready = true;
                future.complete(null);
                LOG.info("run={} server ready port={} after={}ms tries={}", runId, address.getPort(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), attempt + 1);
                return;
            }
            schedule(() -> attempt(gen, netns, address, started, attempt + 1),
                    delayMillis(attempt + 1, System.nanoTime() - started));
        }

        private void schedule(Runnable task, long delayMillis) {
            try {
                next = timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                next = null;
            }
        }
    }
}
