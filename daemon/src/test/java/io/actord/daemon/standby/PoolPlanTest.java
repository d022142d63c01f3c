package io.actord.daemon.standby;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolPlanTest {
    private static final long SECOND = 1_000_000_000L;
    /** desired 10, max 20, idle 3 s, 100 may wait, 10 s wait. */
    private static final PoolPlan.Options OPTIONS = new PoolPlan.Options(10, 20, 3 * SECOND, 100, 10 * SECOND);

    private final PoolPlan plan = new PoolPlan(OPTIONS);
    private long ticket;

    private PoolPlan.Decision request(long now) {
        return plan.request(ticket++, now);
    }

    @Test
    void shouldStartOneRunForTheFirstRequestAndQueueIt() {
        assertEquals(new PoolPlan.Decision.Wait(true), request(0));
        assertEquals(new PoolPlan.Decision.Wait(false), request(0), "the run starting takes the next too");
        assertEquals(2, plan.waiting());
    }

    @Test
    void shouldStartAboutOneRunPerDesiredRequestsWhenManyComeAtOnce() {
        int starts = 0;
        for (int i = 0; i < 50; i++) {
            if (request(0) instanceof PoolPlan.Decision.Wait w && w.startRun()) {
                starts++;
            }
        }
        assertEquals(5, starts);
    }

    @Test
    void shouldGiveQueuedRequestsToTheFirstReadyRunUpToMaxAndTheRestToTheNext() {
        for (int i = 0; i < 30; i++) {
            request(0);
        }
        plan.started("a", 0);
        plan.started("b", 0);
        plan.started("c", 0);
        List<PoolPlan.Grant> first = plan.ready("a", SECOND);
        assertEquals(20, first.size(), "a run takes up to max while the others start");
        assertEquals(20, plan.inFlight("a"));
        assertEquals(10, plan.ready("b", SECOND).size());
        assertEquals(0, plan.waiting());
    }

    @Test
    void shouldLeaseTheReadyRunWithTheFewestInFlight() {
        request(0);
        plan.started("a", 0);
        plan.ready("a", 0);
        plan.adopt("b", 0);
        plan.ready("b", 0);
        assertEquals(new PoolPlan.Decision.Lease("b"), request(0));
        assertEquals(1, plan.inFlight("a"));
        assertEquals(1, plan.inFlight("b"));
    }

    @Test
    void shouldStartANewRunWhenEveryRunIsAtDesiredAndMeanwhilePlaceAboveDesiredBelowMax() {
        readyRunWith("a", 10);
        PoolPlan.Decision d = request(0);
        assertEquals(new PoolPlan.Decision.Lease("a"), d, "a is below max while the new run starts");
        assertEquals(1, plan.size() - 1, "one start asked for");
        assertEquals(11, plan.inFlight("a"));
    }

    @Test
    void shouldQueueWhenEveryRunIsAtMaxAndRefusePastTheQueueLimit() {
        PoolPlan small = new PoolPlan(new PoolPlan.Options(1, 1, SECOND, 1, SECOND));
        small.request(0, 0);
        small.started("a", 0);
        small.ready("a", 0);
        assertInstanceOf(PoolPlan.Decision.Wait.class, small.request(1, 0));
        assertInstanceOf(PoolPlan.Decision.Refuse.class, small.request(2, 0));
    }

    @Test
    void shouldHandAReleasedPlaceToTheOldestWaiter() {
        PoolPlan one = new PoolPlan(new PoolPlan.Options(1, 1, SECOND, 10, 10 * SECOND));
        one.request(0, 0);
        one.started("a", 0);
        one.ready("a", 0);
        one.request(1, 0);
        one.request(2, 0);
        one.started("b", 0);
        assertEquals(List.of(new PoolPlan.Grant(1, "a")), one.released("a", 1));
    }

    @Test
    void shouldStopARunIdleForTheTimeoutButNotOneWithRequestsInFlight() {
        readyRunWith("a", 0);
        plan.adopt("b", 0);
        plan.ready("b", 0);
        request(0);
        PoolPlan.Sweep early = plan.sweep(2 * SECOND);
        assertEquals(List.of(), early.idle());
        Map<String, Integer> flights = new HashMap<>(Map.of("a", plan.inFlight("a"), "b", plan.inFlight("b")));
        String busy = flights.get("a") == 1 ? "a" : "b";
        String quiet = busy.equals("a") ? "b" : "a";
        PoolPlan.Sweep later = plan.sweep(3 * SECOND);
        assertEquals(List.of(quiet), later.idle());
        assertTrue(plan.has(busy));
    }

    @Test
    void shouldExpireWaitersAndGiveUpARunThatNeverBecameReady() {
        request(0);
        plan.started("a", 0);
        PoolPlan.Sweep s = plan.sweep(10 * SECOND);
        assertEquals(List.of(0L), s.expired());
        assertEquals(List.of("a"), s.neverReady());
        assertEquals(0, plan.size());
    }

    @Test
    void shouldFailTheQueueWhenTheOnlyStartingRunEnds() {
        request(0);
        request(0);
        plan.started("a", 0);
        assertEquals(List.of(0L, 1L), plan.removed("a"));
        assertEquals(0, plan.waiting());
    }

    @Test
    void shouldKeepTheQueueWhenAnotherRunStillStarts() {
        for (int i = 0; i < 11; i++) {
            request(0);
        }
        plan.started("a", 0);
        plan.started("b", 0);
        assertEquals(List.of(), plan.removed("a"));
        assertEquals(11, plan.waiting());
    }

    @Test
    void shouldFailTheQueueWhenTheStartFails() {
        request(0);
        assertEquals(List.of(0L), plan.startFailed());
    }

    @Test
    void shouldNeverPutMoreThanMaxOnARun() {
        for (int i = 0; i < 200; i++) {
            request(0);
        }
        plan.started("a", 0);
        plan.ready("a", 0);
        assertEquals(20, plan.peak("a"));
    }

    private void readyRunWith(String runId, int inFlight) {
        plan.adopt(runId, 0);
        plan.ready(runId, 0);
        for (int i = 0; i < inFlight; i++) {
            assertEquals(new PoolPlan.Decision.Lease(runId), request(0));
        }
    }
}
