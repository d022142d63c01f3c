package io.actord.daemon.common;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EndWaiters} with statuses in a map standing for the store: an end told in this process, one heard of from
 * another daemon (read again, on the executor, only when someone waits), a gap in the signals (every waited thing
 * read once), a wait that runs out, a read that fails, and shutdown.
 */
class EndWaitersTest {
    private static final Duration LONG = Duration.ofHours(1);
    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    /** The re-reads run on the test's thread, so each call has done its work when it returns. */
    private final EndWaiters<String> waiters = new EndWaiters<>(timers, Runnable::run, id -> {
        reads.incrementAndGet();
        String status = stored.get(id);
        if (status == null) {
            throw new IllegalStateException("no " + id);
        }
        return status;
    }, "ENDED"::equals);

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void shouldAnswerAtOnceWhatHasEndedAndWakeOnAnEndToldHere() {
        stored.put("a", "ENDED");
        assertEquals("ENDED", waiters.await("a", LONG).join());
        stored.put("b", "RUNNING");
        assertEquals("RUNNING", waiters.await("b", Duration.ZERO).join(), "no wait asked: as it is");

        CompletableFuture<String> waiting = waiters.await("b", LONG);
        assertFalse(waiting.isDone());
        assertEquals(1, waiters.waiting("b"));
        waiters.ended("b", "ENDED");
        assertEquals("ENDED", waiting.join());
        assertEquals(0, waiters.waiting("b"));
    }

    @Test
    void shouldReadAgainOnlyWhatIsWaitedForWhenAnotherDaemonSignals() {
        stored.put("b", "RUNNING");
        CompletableFuture<String> waiting = waiters.await("b", LONG);
        int before = reads.get();
        waiters.heard("unwaited");
        assertEquals(before, reads.get(), "nobody waits for it: not read");

        waiters.heard("b");
        assertFalse(waiting.isDone(), "a signal for a thing that has not ended (as stored) leaves the wait");
        stored.put("b", "ENDED");
        waiters.heard("b");
        assertEquals("ENDED", waiting.join());
    }

    @Test
    void shouldReadEveryWaitedThingOnceAfterMissedSignals() {
        stored.put("b", "RUNNING");
        stored.put("c", "RUNNING");
        CompletableFuture<String> b = waiters.await("b", LONG);
        CompletableFuture<String> c = waiters.await("c", LONG);
        stored.put("b", "ENDED");
        waiters.missed();
        assertEquals("ENDED", b.join());
        assertFalse(c.isDone());
        stored.remove("c");
        waiters.missed();
        assertFalse(c.isDone(), "a failed re-read leaves the wait to its timer");
    }

    @Test
    void shouldAnswerAsItIsWhenTheWaitRunsOutOrFailWithTheRead() throws Exception {
        stored.put("b", "RUNNING");
        assertEquals("RUNNING", waiters.await("b", Duration.ofMillis(1)).join());
        stored.put("c", "RUNNING");
        CountDownLatch removed = new CountDownLatch(1);
        timers.execute(() -> awaitQuietly(removed)); // the timer thread runs the wait's end only once "c" is gone
        CompletableFuture<String> c = waiters.await("c", Duration.ofMillis(1));
        stored.remove("c");
        removed.countDown();
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.get(1, TimeUnit.MINUTES));
        assertInstanceOf(IllegalStateException.class, e.getCause(), "the read's failure, not a hang");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldReleaseAtShutdownWhatItHasAValueFor() {
        stored.put("mine", "RUNNING");
        stored.put("theirs", "RUNNING");
        CompletableFuture<String> mine = waiters.await("mine", LONG);
        CompletableFuture<String> theirs = waiters.await("theirs", LONG);
        waiters.releaseAll(id -> id.equals("theirs") ? Optional.of("RUNNING") : Optional.empty());
        assertEquals("RUNNING", theirs.join());
        assertFalse(mine.isDone(), "left to its end");
        waiters.ended("mine", "ENDED");
        assertTrue(mine.isDone());
    }
}
