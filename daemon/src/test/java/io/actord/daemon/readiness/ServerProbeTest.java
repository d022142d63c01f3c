package io.actord.daemon.readiness;

import io.actord.daemon.inrun.NamespaceEntry;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunOptions;
import io.actord.daemon.run.RunStatus;
import io.actord.daemon.run.ServerReadiness;
import io.actord.runtime.Container;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness by connecting, against real loopback sockets (the daemon's own namespace stands for the run's). */
class ServerProbeTest {
    private static final String RUN = "runIdAAAAAAAAAAAA";

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final AtomicInteger tries = new AtomicInteger();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final int port = freePort();
    private final ServerProbe probe = new ServerProbe(counting(), timers, run -> port,
            id -> Optional.ofNullable(runs.get(id)));

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void shouldBecomeReadyWhenThePortAcceptsAndNotBefore() throws Exception {
        runs.put(RUN, run(RunStatus.READY));
        CompletableFuture<Void> ready = probe.ready(RUN);
        assertFalse(ready.isDone(), "no container yet");
        probe.containerStarted(run(RunStatus.RUNNING), container());
        awaitTries(3);
        assertFalse(ready.isDone(), "nothing listens");
        assertFalse(probe.isReady(RUN));
        try (ServerSocket server = listen()) {
            ready.get(10, TimeUnit.SECONDS);
            assertTrue(probe.isReady(RUN));
            int after = tries.get();
            Thread.sleep(600);
            assertEquals(after, tries.get(), "no tries once ready");
            assertTrue(probe.ready(RUN).isDone(), "ready at once now");
        }
    }

    @Test
    void shouldProbeANewContainerAfresh() throws Exception {
        runs.put(RUN, run(RunStatus.RUNNING));
        try (ServerSocket server = listen()) {
            probe.containerStarted(run(RunStatus.RUNNING), container());
            probe.ready(RUN).get(10, TimeUnit.SECONDS);
        }
        probe.containerStopped(RUN);
        assertFalse(probe.isReady(RUN), "the stopped container's server is gone");
        CompletableFuture<Void> next = probe.ready(RUN);
        assertFalse(next.isDone(), "waits for the next container");
        try (ServerSocket server = listen()) {
            probe.containerStarted(run(RunStatus.RUNNING), container());
            next.get(10, TimeUnit.SECONDS);
            assertTrue(probe.isReady(RUN));
        }
    }

    @Test
    void shouldFailWaitersAndStopProbingWhenTheRunEnds() throws Exception {
        runs.put(RUN, run(RunStatus.RUNNING));
        probe.containerStarted(run(RunStatus.RUNNING), container());
        CompletableFuture<Void> ready = probe.ready(RUN);
        awaitTries(2);
        runs.put(RUN, run(RunStatus.SUCCEEDED));
        probe.statusChanged(run(RunStatus.SUCCEEDED));
        ExecutionException e = assertThrows(ExecutionException.class, () -> ready.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ServerReadiness.NotServed.class, e.getCause());
        int after = tries.get();
        Thread.sleep(600);
        assertEquals(after, tries.get(), "no tries after the run ended");
        assertEquals(0, probe.size(), "nothing kept of the run");
        assertFalse(probe.isReady(RUN));
        assertTrue(probe.ready(RUN).isCompletedExceptionally(), "a finished run is never waited for");
        assertEquals(0, probe.size());
    }

    @Test
    void shouldRefuseToWaitForARunThatIsNotActive() {
        CompletableFuture<Void> unknown = probe.ready("noSuchRunAAAAAAAA");
        assertTrue(unknown.isCompletedExceptionally());
        assertEquals(0, probe.size());
    }

    @Test
    void shouldTryOftenAtFirstAndBackOffToFiveSeconds() {
        long early = TimeUnit.SECONDS.toNanos(1);
        long late = TimeUnit.SECONDS.toNanos(ServerProbe.FAST_PHASE_SECS + 1);
        assertEquals(100, ServerProbe.delayMillis(1, early));
        assertEquals(150, ServerProbe.delayMillis(2, early));
        assertEquals(225, ServerProbe.delayMillis(3, early));
        assertEquals(250, ServerProbe.delayMillis(4, early));
        assertEquals(250, ServerProbe.delayMillis(40, early));
        assertEquals(5000, ServerProbe.delayMillis(40, late));
        assertEquals(ServerProbe.SLOW_CAP_MILLIS, ServerProbe.delayMillis(Integer.MAX_VALUE, late));
    }

    private void awaitTries(int n) throws InterruptedException {
        for (int i = 0; i < 500 && tries.get() < n; i++) {
            Thread.sleep(20);
        }
        assertTrue(tries.get() >= n, "tries " + tries.get());
    }

    private ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        return server;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The daemon's own namespace, counting the tries. */
    private NamespaceEntry counting() {
        return new NamespaceEntry() {
            @Override
            public <T> T call(Path netns, Supplier<T> action) {
                return action.get();
            }

            @Override
            public <T> CompletableFuture<T> callAsync(Path netns, Supplier<T> action) {
                tries.incrementAndGet();
                return CompletableFuture.supplyAsync(action);
            }

            @Override
            public boolean separate() {
                return false;
            }
        };
    }

    private static Run run(RunStatus status) {
        return new Run.Builder().id(RUN).actId("actIdAAAAAAAAAAAA").userId("userIdAAAAAAAAAAA")
                .build("buildIdAAAAAAAAAA", "0.0.1").status(status, null).startedAt(Instant.EPOCH)
                .options(RunOptions.of("latest", 0, 1024))
                .storages("kvsIdAAAAAAAAAAAA", "dsIdAAAAAAAAAAAAA", "rqIdAAAAAAAAAAAAA")
                .containerUrlToken("k3wc8dq0z2ymt5r7bx1nvfa9hj").origin("API").build();
    }

    /** A container that only knows its network namespace. */
    private static Container container() {
        return (Container) Proxy.newProxyInstance(Container.class.getClassLoader(), new Class<?>[] {Container.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("networkNamespace")) {
                        return Path.of("/proc/42/ns/net");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
