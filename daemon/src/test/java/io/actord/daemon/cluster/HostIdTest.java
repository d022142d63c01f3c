package io.actord.daemon.cluster;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.Listener;
import io.actord.daemon.http.PathTemplate;
import io.actord.daemon.http.Route;
import io.actord.daemon.state.PostgresLocation;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One host id, one daemon (#26 hardening): a second daemon with a host id another daemon holds is refused at start,
 * naming the id and the holder, in a cluster (etcd) and on a shared PostgreSQL state without one; the id is free
 * again once its daemon stops (in a cluster once its lease lapses: a daemon restarted at once waits for that), and
 * a PostgreSQL lock whose session ended is taken again; a cluster daemon's API answers only once it has joined.
 */
class HostIdTest {
    private static final Duration GRACE = Duration.ofSeconds(1);

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;

    @Test
    void shouldRefuseASecondDaemonWithTheHostIdOfAClusterMember() throws Exception {
        String state = PG.database("host_id_cluster");
        try (TestDaemon one = TestDaemon.start(dirOne, new FakeRuntime(), GRACE,
                ClusterDaemons.flags(ETCD.server(), state, "twin"))) {
            ClusterDaemons.awaitHosts(one, 1);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TestDaemon.start(dirTwo,
                    new FakeRuntime(), GRACE, ClusterDaemons.flags(ETCD.server(), state, "twin")));
            assertTrue(refused.getMessage().startsWith("host id 'twin' is held by another actord daemon (API "
                    + one.api().base().toString().replaceAll("/$", "") + ", on "), refused.getMessage());
            assertEquals(1, ClusterDaemons.awaitHosts(one, 1).get("total").asInt(), "one is still the member");
        }
        // one stopped without revoking (a restart is no departure): it comes back at once, the id its own again
        // once the old lease lapses
        try (TestDaemon again = TestDaemon.start(dirOne, new FakeRuntime(), GRACE,
                ClusterDaemons.flags(ETCD.server(), state, "twin"))) {
            assertEquals("MEMBER", ClusterDaemons.awaitHosts(again, 1).get("phase").asText());
        }
    }

    @Test
    void shouldRefuseASecondDaemonWithTheHostIdOfAnotherOnTheDatabase() {
        List<String> flags = List.of("--state", PG.database("host_id_postgres"), "--host-id", "twin");
        try (TestDaemon one = TestDaemon.start(dirOne, new FakeRuntime(), GRACE, flags)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TestDaemon.start(dirTwo,
                    new FakeRuntime(), GRACE, flags));
            assertTrue(refused.getMessage().startsWith("host id 'twin' is held by another actord daemon on the state"
                    + " database "), refused.getMessage());
            assertTrue(refused.getMessage().contains("'actord host twin' connected from "), refused.getMessage());
            one.api().get("/v2/acts").expect(200);
        }
        try (TestDaemon two = TestDaemon.start(dirTwo, new FakeRuntime(), GRACE, flags)) {
            two.api().get("/v2/acts").expect(200);
        }
    }

    @Test
    void shouldTakeTheLockAgainWhenItsSessionEnds() throws Exception {
        PostgresLocation location = PostgresLocation.parse(PG.database("host_id_session"));
        try (HostIdLock lock = HostIdLock.take(location, "lost", Duration.ofMillis(100));
             Connection admin = DriverManager.getConnection(location.jdbcUrl(), location.properties())) {
            long first = holderPid(admin, "lost");
            assertTrue(first > 0, "held");
            try (PreparedStatement st = admin.prepareStatement("SELECT pg_terminate_backend(?::int)")) {
                st.setLong(1, first);
                st.execute();
            }
            long deadline = System.nanoTime() + ClusterDaemons.HANG.toNanos();
            long again = holderPid(admin, "lost");
            while ((again == 0 || again == first) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                again = holderPid(admin, "lost");
            }
            assertTrue(again > 0 && again != first, "taken again on a new session, not " + again);
            assertThrows(IllegalStateException.class, () -> HostIdLock.take(location, "lost"));
        }
        HostIdLock.take(location, "lost").close();
    }

    /** The backend holding host id {@code hostId}'s lock, 0 when none does. */
    private static long holderPid(Connection admin, String hostId) throws Exception {
        long id = HostIdLock.lockId(hostId);
        try (PreparedStatement st = admin.prepareStatement("SELECT pid FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND objsubid = 1 AND classid::bigint = ? AND objid::bigint = ?")) {
            st.setLong(1, id >>> 32);
            st.setLong(2, id & 0xffffffffL);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Test
    void shouldAnswerOnlyTheHostsRouteAndRunsEndpointsUntilTheHostHasJoined() {
        RunRelay relay = new RunRelay("joining");
        ApiException refused = assertThrows(ApiException.class, () -> relay.intercept(route("/v2/acts"),
                request(Listener.TCP)));
        assertEquals(503, refused.type().status());
        assertTrue(refused.getMessage().contains("host joining is joining the cluster"), refused.getMessage());
        assertEquals(Optional.empty(), relay.intercept(route(ClusterRoutes.PATH), request(Listener.UNIX)));
        assertEquals(Optional.empty(), relay.intercept(route("/v2/key-value-stores/{storeId}"),
                request(Listener.RUN)));
    }

    private static Route route(String pattern) {
        return new Route(HttpMethod.GET, PathTemplate.parse(pattern), r -> CompletableFuture.completedFuture(null));
    }

    private static ApiRequest request(Listener listener) {
        return new ApiRequest("r1", HttpMethod.GET, "/", Map.of(), new DefaultHttpHeaders(), new byte[0], Map.of(),
                listener, listener == Listener.RUN ? "run1" : null, null);
    }
}
