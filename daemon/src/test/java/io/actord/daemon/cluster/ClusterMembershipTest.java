package io.actord.daemon.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Membership against a real etcd ({@link EtcdServer}): hosts see each other and their free memory by push, a host
 * whose lease lapses disappears from the others' view, and a host that cannot renew its lease counts itself out
 * before the lease can expire, then rejoins. Waits are bounded only against a hang; no assertion is on time (the
 * detection times are printed).
 */
class ClusterMembershipTest {
    /** The shortest TTL allowed: a lapse takes 3 s, a host counts itself out after 2 s without a renewal. */
    private static final Duration TTL = ClusterConfig.MIN_LEASE_TTL;
    private static final Duration HANG = Duration.ofSeconds(60);

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();

    private final Clock clock = Clock.systemUTC();

    @Test
    void shouldSeeEachOtherAndEachOthersFreeMemory() throws Exception {
        try (Watched a = join(ETCD.server(), "host-a", 4096); Watched b = join(ETCD.server(), "host-b", 8192);
             Client raw = Client.builder().endpoints(ETCD.server().endpoints()).build()) {
            a.await(hosts -> ids(hosts).equals(List.of("host-a", "host-b")));
            b.await(hosts -> ids(hosts).equals(List.of("host-a", "host-b")));
            HostRecord seenByA = a.membership.hosts().get(1);
            assertEquals(new HostRecord("host-b", "http://host-b:7070", 8192, 8192, false, seenByA.updatedAt()),
                    seenByA);
            a.awaitMember();

            b.membership.offerChanged(6144, false);
            List<HostRecord> after = a.await(hosts -> hosts.size() == 2 && hosts.get(1).freeMbytes() == 6144);
            assertEquals(8192, after.get(1).capacityMbytes());
            b.membership.offerChanged(6144, true);
            assertEquals(6144, a.await(hosts -> hosts.size() == 2 && hosts.get(1).drained()).get(1).freeMbytes(),
                    "a drain is published, the free memory kept");
            b.membership.offerChanged(6144, false);
            a.await(hosts -> hosts.size() == 2 && !hosts.get(1).drained());

            // Another writer's key under the prefix is not a host.
            raw.getKVClient().put(ByteSequence.from(ClusterMembership.HOSTS + "stray", StandardCharsets.UTF_8),
                    ByteSequence.from("not json", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            b.membership.offerChanged(5120, false);
            assertEquals(List.of("host-a", "host-b"), ids(a.await(hosts -> hosts.size() == 2
                    && hosts.get(1).freeMbytes() == 5120)));
            raw.getKVClient().delete(ByteSequence.from(ClusterMembership.HOSTS + "stray", StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldSeeAHostGoneWhenItsLeaseLapses() throws Exception {
        try (Watched a = join(ETCD.server(), "host-c", 1024)) {
            Watched b = join(ETCD.server(), "host-d", 1024);
            a.await(hosts -> ids(hosts).contains("host-d"));
            long stopped = System.nanoTime();
            b.close(); // stops renewing and does not revoke: as a daemon that was killed
            a.await(hosts -> !ids(hosts).contains("host-d"));
            System.out.printf("cluster: a host that stopped renewing was seen gone after %d ms (lease TTL %d s)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped), TTL.toSeconds());
            assertEquals(List.of("host-c"), ids(a.membership.hosts()));
        }
    }

    @Test
    void shouldCountItselfOutWithoutRenewalsAndRejoinWhenEtcdIsBack() throws Exception {
        Assumptions.assumeTrue(EtcdServer.missing() == null, EtcdServer.missing());
        try (EtcdServer own = EtcdServer.start(); Watched host = join(own, "host-e", 2048)) {
            assertEquals("joined host-e", host.events.poll(HANG.toSeconds(), TimeUnit.SECONDS));
            long killed = System.nanoTime();
            own.kill();
            String left = host.events.poll(HANG.toSeconds(), TimeUnit.SECONDS);
            long outMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertNotNull(left, "no departure within " + HANG);
            // Whichever notices first: the membership's own deadline or jetcd's, which is no earlier than the TTL
            // less the margin after the last renewal too.
            assertTrue(left.equals("left host-e: no lease renewal for 2000 ms")
                    || left.equals("left host-e: the keep-alive gave up (no renewal within the TTL)"), left);
            MembershipState out = host.membership.state();
            assertEquals(MembershipState.Phase.OUT, out.phase());
            assertFalse(out.member());
            System.out.printf("cluster: etcd killed, the host counted itself out after %d ms (TTL %d s, margin %d s)%n",
                    outMillis, TTL.toSeconds(), host.membership.config().safetyMargin().toSeconds());

            own.restart();
            assertEquals("joined host-e", host.events.poll(HANG.toSeconds(), TimeUnit.SECONDS));
            assertEquals(MembershipState.Phase.MEMBER, host.membership.state().phase());
            host.await(hosts -> ids(hosts).equals(List.of("host-e")));
        }
    }

    private Watched join(EtcdServer etcd, String id, long memory) {
        ClusterConfig config = new ClusterConfig(etcd.endpoints(), TTL);
        Watched w = new Watched();
        ClusterMembership m = ClusterMembership.join(config, new HostRecord(id, "http://" + id + ":7070", memory,
                memory, false, Instant.EPOCH), clock);
        w.membership = m;
        m.onHostsChange(w.snapshots::add);
        m.listen(new MembershipListener() {
            @Override
            public void joined(String hostId) {
                w.events.add("joined " + hostId);
            }

            @Override
            public void left(String hostId, String reason) {
                w.events.add("left " + hostId + ": " + reason);
            }
        });
        return w;
    }

    private static List<String> ids(List<HostRecord> hosts) {
        return hosts.stream().map(HostRecord::hostId).toList();
    }

    /** A membership with what it was told: member sets in order, joins and departures. */
    private static final class Watched implements AutoCloseable {
        ClusterMembership membership;
        final BlockingQueue<List<HostRecord>> snapshots = new LinkedBlockingQueue<>();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        /** The first member set that {@code wanted} accepts (the current one included). */
        List<HostRecord> await(Predicate<List<HostRecord>> wanted) throws InterruptedException {
            if (wanted.test(membership.hosts())) {
                return membership.hosts();
            }
            List<List<HostRecord>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + HANG.toNanos();
            while (System.nanoTime() < deadline) {
                List<HostRecord> next = snapshots.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next != null && wanted.test(next)) {
                    return next;
                }
                seen.add(next);
            }
            return fail("no such member set within " + HANG + "; saw " + seen);
        }

        /** Once this host is a member: its record can reach the watches (its own too) before its put has returned. */
        void awaitMember() throws InterruptedException {
            long deadline = System.nanoTime() + HANG.toNanos();
            while (!membership.state().member() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(membership.state().member(), "a member within " + HANG + ": " + membership.state());
        }

        @Override
        public void close() {
            membership.close();
        }
    }
}
