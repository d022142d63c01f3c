package io.actord.daemon.standby;

import io.actord.daemon.proxy.ProxyRefusal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's tickets over a scripted run service: who waits, who is served, what each end releases. */
class StandbyPoolTest {
    private static final long SECOND = 1_000_000_000L;

    private final Map<String, CompletableFuture<Void>> ready = new HashMap<>();
    private final List<String> stopped = new ArrayList<>();
    private final List<String> aborted = new ArrayList<>();
    private RuntimeException startFailure;
    private int started;
    private long now;

    private final StandbyPool.Runs runs = new StandbyPool.Runs() {
        @Override
        public String start() {
            if (startFailure != null) {
                throw startFailure;
            }
            String id = "r" + ++started;
            ready.put(id, new CompletableFuture<>());
            return id;
        }

        @Override
        public CompletableFuture<?> ready(String runId) {
            return ready.get(runId);
        }

        @Override
        public void stop(String runId) {
            stopped.add(runId);
        }

        @Override
        public void abort(String runId) {
            aborted.add(runId);
        }
    };

    private final StandbyPool pool = new StandbyPool("local~a", new PoolPlan.Options(1, 2, 3 * SECOND, 10, 5 * SECOND),
            runs, Runnable::run, () -> now);

    @Test
    void shouldServeAWaitingRequestOnceItsRunIsReadyAndReleaseItOnceOnEnd() throws Exception {
        StandbyPool.Ticket t = pool.acquire();
        assertFalse(t.run.isDone());
        ready.get("r1").complete(null);
        assertEquals("r1", t.run.get());
        assertEquals(1, pool.inFlight("r1"));
        t.end();
        t.end();
        assertEquals(0, pool.inFlight("r1"));
    }

    @Test
    void shouldForgetARequestWhoseClientLeftWhileItWaited() {
        StandbyPool.Ticket gone = pool.acquire();
        gone.end();
        ready.get("r1").complete(null);
        assertEquals(0, pool.inFlight("r1"));
        assertTrue(gone.run.isCancelled());
    }

    @Test
    void shouldAnswer503WhenNoRunCanBeStarted() {
        startFailure = new IllegalStateException("the host is full");
        StandbyPool.Ticket t = pool.acquire();
        ExecutionException e = assertThrows(ExecutionException.class, t.run::get);
        ProxyRefusal refusal = assertInstanceOf(ProxyRefusal.class, e.getCause());
        assertEquals(503, refusal.status().code());
        assertTrue(refusal.page().contains("the host is full"), refusal.page());
    }

    @Test
    void shouldAnswer504AndAbortTheRunWhenItNeverBecomesReady() {
        StandbyPool.Ticket t = pool.acquire();
        now = 5 * SECOND;
        pool.sweep();
        ExecutionException e = assertThrows(ExecutionException.class, t.run::get);
        assertEquals(504, assertInstanceOf(ProxyRefusal.class, e.getCause()).status().code());
        assertEquals(List.of("r1"), aborted);
    }

    @Test
    void shouldStopAnIdleRunAndFailWaitersWhenTheirOnlyRunEnds() throws Exception {
        StandbyPool.Ticket t = pool.acquire();
        ready.get("r1").complete(null);
        t.run.get();
        t.end();
        now = 3 * SECOND;
        pool.sweep();
        assertEquals(List.of("r1"), stopped);

        StandbyPool.Ticket waiting = pool.acquire();
        pool.ended("r2", "FAILED: Actor finished with exit code 1");
        ExecutionException e = assertThrows(ExecutionException.class, waiting.run::get);
        assertEquals(502, assertInstanceOf(ProxyRefusal.class, e.getCause()).status().code());
        assertTrue(pool.empty());
    }
}
