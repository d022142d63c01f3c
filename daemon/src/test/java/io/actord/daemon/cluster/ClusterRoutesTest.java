package io.actord.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code GET /v2/actord/cluster/hosts} on daemons in cluster mode (a real etcd and PostgreSQL): two daemons on one
 * database list each other with their API URLs and memory; the route is the admin's; outside a cluster it is 404.
 */
class ClusterRoutesTest {
    private static final Duration HANG = ClusterDaemons.HANG;

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;
    @TempDir
    Path dirAlone;

    @Test
    void shouldListBothMembersToTheAdmin() throws Exception {
        String state = PG.database("cluster_routes");
        FakeRuntime runtimeOne = new FakeRuntime();
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne, Duration.ofSeconds(5), flags(state, "one"));
             TestDaemon two = TestDaemon.start(dirTwo, new FakeRuntime(), Duration.ofSeconds(5), flags(state, "two"))) {
            JsonNode hosts = ClusterDaemons.awaitHosts(one, 2);
            assertEquals("one", hosts.get("hostId").asText());
            assertEquals("MEMBER", hosts.get("phase").asText());
            assertEquals(3, hosts.get("leaseTtlSecs").asInt());
            assertTrue(hosts.get("reason").isNull(), hosts.toString());
            JsonNode second = hosts.get("items").get(1);
            assertEquals("two", second.get("hostId").asText());
            assertEquals("http://127.0.0.1:" + two.daemon().tcpAddress().orElseThrow().getPort(),
                    second.get("apiUrl").asText());
            long capacity = second.get("capacityMbytes").asLong();
            assertTrue(capacity > 0, second.toString());
            assertEquals(capacity, second.get("freeMbytes").asLong(), "no run holds memory: " + second);
            assertTrue(second.get("updatedAt").isTextual());
            assertEquals(2, ClusterDaemons.awaitHosts(two, 2).get("total").asInt());

            // A run holds memory on its host (placement gives it to either): the other sees its free memory go down.
            String actor = one.actor("sleeper", "sleep", "30");
            String runId = one.api().post("/v2/acts/" + actor + "/runs?memory=256").expect(201).data().get("id")
                    .asText();
            TestRuns.awaitStatus(one.api(), runId, "RUNNING");
            boolean onOne = !runtimeOne.containersOf(runId).isEmpty();
            TestDaemon other = onOne ? two : one;
            long hostCapacity = awaitHost(other, onOne ? "one" : "two", host -> true).get("capacityMbytes").asLong();
            JsonNode seen = awaitHost(other, onOne ? "one" : "two",
                    host -> host.get("freeMbytes").asLong() == hostCapacity - 256);
            assertEquals(hostCapacity, seen.get("capacityMbytes").asLong());

            assertEquals("insufficient-permissions", one.api().get(ClusterRoutes.PATH).expect(403).errorType());
        }
    }

    @Test
    void shouldAnswerNotFoundOutsideACluster() throws Exception {
        try (TestDaemon alone = TestDaemon.start(dirAlone, new FakeRuntime(), Duration.ofSeconds(5))) {
            TestDaemon.Response answer = alone.admin("GET", ClusterRoutes.PATH, null).expect(404);
            assertEquals("record-not-found", answer.errorType());
            assertTrue(answer.text().contains("--cluster etcd://"), answer.text());
        }
    }

    private static List<String> flags(String state, String hostId) {
        return ClusterDaemons.flags(ETCD.server(), state, hostId);
    }

    /** Host {@code hostId} as {@code daemon} sees it, once {@code wanted} accepts it (records change by push). */
    private static JsonNode awaitHost(TestDaemon daemon, String hostId, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + HANG.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode host : daemon.admin("GET", ClusterRoutes.PATH, null).expect(200).data().get("items")) {
                if (host.get("hostId").asText().equals(hostId)) {
                    last = host;
                }
            }
            if (last != null && wanted.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        return fail("host " + hostId + " not as wanted within " + HANG + ": " + last);
    }
}
