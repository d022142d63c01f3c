package io.actord.daemon.cluster;

import io.actord.daemon.common.Json;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The host id claim in etcd ({@link HostIdClaim}) against a real etcd: a claim this very process left under a lease
 * it could not revoke (etcd was away when it counted itself out) is taken over at once by a compare of its value; one
 * with any other holder keeps the host out, saying who holds it. The leftover claims' leases outlive the test's
 * bound, so a host that waited for them to lapse instead would fail it.
 */
class HostIdClaimTest {
    private static final Duration TTL = ClusterConfig.MIN_LEASE_TTL;
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final long LEFTOVER_LEASE_SECS = 600;
    private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05Z");

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();

    private Client etcd;
    private long leftoverLease;

    @BeforeEach
    void connect() throws Exception {
        Assumptions.assumeTrue(EtcdServer.missing() == null, EtcdServer.missing());
        etcd = Client.builder().endpoints(ETCD.server().endpoints()).build();
        leftoverLease = etcd.getLeaseClient().grant(LEFTOVER_LEASE_SECS).get(10, TimeUnit.SECONDS).getID();
    }

    @AfterEach
    void disconnect() throws Exception {
        if (etcd != null) {
            etcd.getLeaseClient().revoke(leftoverLease).get(10, TimeUnit.SECONDS);
            etcd.close();
        }
    }

    @Test
    void shouldTakeOverItsOwnClaimLeftUnderAnEarlierLease() throws Exception {
        leaveClaim("host-g", new HostIdClaim.Holder(HostIdClaim.machine(), ProcessHandle.current().pid(), STARTED));
        try (ClusterMembership m = join("host-g")) {
            await(m, MembershipState::member);
            KeyValue claim = claim("host-g");
            assertNotEquals(leftoverLease, claim.getLease(), "now under the member's own lease");
        }
    }

    @Test
    void shouldStayOutWhileAnotherDaemonHoldsTheId() throws Exception {
        leaveClaim("host-h", new HostIdClaim.Holder("elsewhere", 4242, STARTED));
        try (ClusterMembership m = join("host-h")) {
            MembershipState state = await(m, s -> s.reason().isPresent());
            assertFalse(state.member());
            String reason = state.reason().get();
            assertTrue(reason.startsWith("host id 'host-h' is held by another actord daemon (API URL not yet"
                    + " published: it is starting, on elsewhere as pid 4242 since " + STARTED), reason);
            assertEquals(leftoverLease, claim("host-h").getLease(), "the holder's claim is left alone");
        }
    }

    private void leaveClaim(String hostId, HostIdClaim.Holder holder) throws Exception {
        etcd.getKVClient().put(key(hostId), ByteSequence.from(Json.MAPPER.writeValueAsBytes(holder)),
                PutOption.builder().withLeaseId(leftoverLease).build()).get(10, TimeUnit.SECONDS);
    }

    private KeyValue claim(String hostId) throws Exception {
        return etcd.getKVClient().get(key(hostId)).get(10, TimeUnit.SECONDS).getKvs().get(0);
    }

    private static ByteSequence key(String hostId) {
        return ByteSequence.from(HostIdClaim.PREFIX + hostId, StandardCharsets.UTF_8);
    }

    private static ClusterMembership join(String hostId) {
        return ClusterMembership.join(new ClusterConfig(ETCD.server().endpoints(), TTL),
                new HostRecord(hostId, "http://" + hostId + ":7070", 1024, 1024, false, STARTED),
                Clock.fixed(STARTED, ZoneOffset.UTC));
    }

    private static MembershipState await(ClusterMembership m, Predicate<MembershipState> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (System.nanoTime() < deadline) {
            MembershipState state = m.state();
            if (wanted.test(state)) {
                return state;
            }
            Thread.sleep(20);
        }
        return fail("no such state within " + HANG + ": " + m.state());
    }
}
