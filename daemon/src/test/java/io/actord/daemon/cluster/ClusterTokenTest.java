package io.actord.daemon.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The cluster token against a real etcd ({@link EtcdServer}): made once, then an operator's rotation (a new value
 * written to the key) takes effect without a restart, and a deleted token is made anew. Waits are bounded only
 * against a hang; no assertion is on time.
 */
class ClusterTokenTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(5);
    private static final ByteSequence KEY = ByteSequence.from(ClusterToken.KEY, StandardCharsets.UTF_8);

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();

    private Client etcd;
    private ScheduledThreadPoolExecutor thread;

    @BeforeEach
    void connect() {
        Assumptions.assumeTrue(EtcdServer.missing() == null, EtcdServer.missing());
        etcd = Client.builder().endpoints(ETCD.server().endpoints()).build();
        thread = new ScheduledThreadPoolExecutor(1);
    }

    @AfterEach
    void disconnect() throws Exception {
        if (etcd != null) {
            etcd.getKVClient().delete(KEY).get(CALL.toSeconds(), TimeUnit.SECONDS);
            thread.shutdownNow();
            etcd.close();
        }
    }

    @Test
    void shouldTakeARotatedTokenWithoutARestart() throws Exception {
        ClusterToken token = ClusterToken.fetch(etcd, thread, CALL, Duration.ofMillis(200));
        String first = await(token, Optional::isPresent);
        assertEquals(first, stored(), "made once, in etcd");

        etcd.getKVClient().put(KEY, ByteSequence.from("rotated-by-the-operator", StandardCharsets.US_ASCII))
                .get(CALL.toSeconds(), TimeUnit.SECONDS);
        assertEquals("rotated-by-the-operator", await(token, v -> v.equals(Optional.of("rotated-by-the-operator"))));
        assertTrue(token.matches("rotated-by-the-operator"));
        assertFalse(token.matches(first), "the old token is refused");
        thread.submit(token::close).get();
    }

    @Test
    void shouldMakeANewTokenWhenTheKeyIsDeleted() throws Exception {
        ClusterToken token = ClusterToken.fetch(etcd, thread, CALL, Duration.ofMillis(200));
        String first = await(token, Optional::isPresent);

        etcd.getKVClient().delete(KEY).get(CALL.toSeconds(), TimeUnit.SECONDS);
        String next = await(token, v -> v.isPresent() && !v.get().equals(first));
        assertNotEquals(first, next);
        assertEquals(next, stored(), "the new one is in etcd for the other hosts");
        thread.submit(token::close).get();
    }

    private String stored() throws Exception {
        return etcd.getKVClient().get(KEY).get(CALL.toSeconds(), TimeUnit.SECONDS).getKvs().get(0).getValue()
                .toString(StandardCharsets.US_ASCII);
    }

    private static String await(ClusterToken token, Predicate<Optional<String>> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> value = token.value();
            if (wanted.test(value)) {
                return value.orElseThrow();
            }
            Thread.sleep(20);
        }
        return fail("no such token within " + HANG + ", last " + token.value());
    }
}
