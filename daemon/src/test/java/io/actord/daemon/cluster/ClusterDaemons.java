package io.actord.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.TestDaemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test daemons in cluster mode: their flags, and waiting until one has joined and sees the others. Public for the
 * compat package's cluster runs of the Apify contracts ({@code compat.ThreeHosts}).
 */
public final class ClusterDaemons {
    /** How long a daemon may take to join and see the others before the test fails (not a measure of speed). */
    static final Duration HANG = Duration.ofSeconds(60);

    private ClusterDaemons() {
    }

    /** The flags of host {@code hostId} of the cluster on {@code etcd}, its state in {@code state}; a 3 s lease. */
    public static List<String> flags(EtcdServer etcd, String state, String hostId) {
        return List.of("--state", state, "--cluster", etcd.url(), "--host-id", hostId,
                "--cluster-lease-ttl-secs", "3");
    }

    /**
     * As {@link #flags}, for a gateway: a host that answers the API and takes no runs (capacity 0), so that runs posted
     * in a test go to the other hosts (#26's placement gives a new run to any member with room).
     */
    public static List<String> gatewayFlags(EtcdServer etcd, String state, String hostId) {
        List<String> all = new ArrayList<>(flags(etcd, state, hostId));
        all.addAll(List.of("--host-memory-mb", "0"));
        return all;
    }

    /** The hosts answer once the daemon has joined and sees {@code count} hosts (it joins in the background). */
    public static JsonNode awaitHosts(TestDaemon daemon, int count) throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + HANG.toNanos();
        while (System.nanoTime() < deadline) {
            TestDaemon.Response answer = daemon.admin("GET", ClusterRoutes.PATH, null);
            if (answer.status() == 200 && answer.data().get("phase").asText().equals("MEMBER")
                    && answer.data().get("total").asInt() == count) {
                return answer.data();
            }
            seen.add(answer.status() + " " + answer.text());
            Thread.sleep(100);
        }
        return fail("not " + count + " members within " + HANG + ": " + seen.subList(Math.max(0, seen.size() - 3),
                seen.size()));
    }
}
