package io.actord.daemon.cluster;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.run.HostMemory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which host makes a build from source (#26): here when it can now, else the most free, else the largest, else none. */
class BuildPlacementTest {
    private static final String SELF = "self";
    private static final HostMemory GATEWAY = new HostMemory(0, 0, 0);

    private static HostRecord host(String id, long capacity, long free) {
        return new HostRecord(id, "http://" + id + ":7070", capacity, free, false, Instant.EPOCH);
    }

    private static HostRecord drained(String id, long capacity, long free) {
        return new HostRecord(id, "http://" + id + ":7070", capacity, free, true, Instant.EPOCH);
    }

    private static Optional<String> choose(long memory, boolean claiming, HostMemory here, HostRecord... hosts) {
        return BuildPlacement.choose("build", memory, SELF, claiming, here, List.of(hosts)).map(HostRecord::hostId);
    }

    @Test
    void shouldBuildHereWhenThisHostHasTheMemoryFreeNow() {
        assertEquals(Optional.empty(), choose(4096, true, new HostMemory(8192, 4096, 0), host("a", 32768, 32768)),
                "here, though another host has more free: no relay when this host can start it now");
    }

    @Test
    void shouldRelayWhenRunsWaitHereForMemory() {
        assertEquals(Optional.of("a"), choose(4096, true, new HostMemory(8192, 0, 1), host("a", 8192, 8192)),
                "a run queued here would start before the build");
    }

    @Test
    void shouldRelayFromAHostThatClaimsNothing() {
        assertEquals(Optional.of("a"), choose(4096, false, new HostMemory(8192, 0, 0), host("a", 8192, 4096)),
                "a drained host makes no new build");
    }

    @Test
    void shouldPickTheMemberWithTheMostFreeMemory() {
        assertEquals(Optional.of("b"), choose(4096, true, GATEWAY, host(SELF, 0, 0), host("a", 32768, 4096),
                host("b", 8192, 8192), host("c", 2048, 2048)));
    }

    @Test
    void shouldQueueOnTheLargestMemberWhenEveryMemberIsFull() {
        assertEquals(Optional.of("b"), choose(8192, true, GATEWAY, host("a", 8192, 0), host("b", 16384, 4096),
                host("c", 4096, 4096)), "c is free but can never hold it; b has the most capacity");
    }

    @Test
    void shouldQueueHereWhenThisHostIsTheLargestAndEveryMemberIsFull() {
        assertEquals(Optional.empty(), choose(8192, true, new HostMemory(16384, 16384, 0), host("a", 16384, 0),
                host("b", 8192, 0)), "here on a tie: no relay for nothing");
        assertEquals(Optional.of("a"), choose(8192, true, new HostMemory(8192, 8192, 0), host("a", 16384, 0)));
    }

    @Test
    void shouldRelayToNoDrainedHost() {
        assertEquals(Optional.of("b"), choose(4096, true, GATEWAY, drained("a", 32768, 32768), host("b", 8192, 4096)),
                "a has the most free but was drained");
        assertEquals(Optional.of("b"), choose(4096, true, GATEWAY, drained("a", 32768, 0), host("b", 8192, 0)),
                "every host is full: the largest that is not drained queues it");
        assertEquals(Optional.empty(), choose(4096, true, new HostMemory(8192, 8192, 0), drained("a", 32768, 0)),
                "here, full: the larger host was drained");
    }

    @Test
    void shouldAnswerUnavailableWhenOnlyDrainedHostsCanHoldIt() {
        ApiException e = assertThrows(ApiException.class, () -> choose(16384, true, new HostMemory(8192, 8192, 0),
                drained("a", 32768, 32768), host("b", 8192, 8192)));
        assertEquals(ErrorType.SERVICE_UNAVAILABLE, e.type());
        assertTrue(e.getMessage().contains("is drained"), e.getMessage());
    }

    @Test
    void shouldRefuseABuildThatNoHostCanEverHold() {
        ApiException e = assertThrows(ApiException.class, () -> choose(32768, true, new HostMemory(8192, 0, 0),
                host(SELF, 8192, 8192), host("a", 16384, 16384)));
        assertEquals(ErrorType.INVALID_VALUE, e.type());
        assertTrue(e.getMessage().contains("no host of the cluster can hold a build of 32768 MB")
                && e.getMessage().contains("16384 MB"), e.getMessage());
    }
}
