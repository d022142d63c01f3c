package io.actord.daemon.webhook;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.common.Ids;
import io.actord.daemon.run.RunOwner;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.daemon.testing.WebhookReceiver;
import io.actord.runtime.network.Cidr;
import io.actord.runtime.network.EgressPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The egress policy guards webhook deliveries: refused destinations get a message in the dispatch record and no retry.
 * A daemon that starts resumes its own dispatches, not another's on the same database.
 */
class WebhookPolicyTest {
    @TempDir
    Path dir;

    private StateStore store;
    private Table<String, WebhookDispatch> table;
    private ExecutorService pool;
    private ScheduledExecutorService timers;
    private WebhookReceiver receiver;

    @BeforeEach
    void open() throws IOException {
        store = RocksStateStore.open(dir, ActorDaemon.TABLES);
        table = store.table(WebhookTables.WEBHOOK_DISPATCHES);
        pool = Executors.newFixedThreadPool(2);
        timers = Executors.newSingleThreadScheduledExecutor();
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void close() {
        receiver.close();
        timers.shutdownNow();
        pool.shutdownNow();
        store.close();
    }

    private WebhookDispatcher dispatcher(EgressPolicy policy) {
        return dispatcher(policy, new RunOwner("test-host", store.shared()));
    }

    private WebhookDispatcher dispatcher(EgressPolicy policy, RunOwner owner) {
        return new WebhookDispatcher(store, new DispatchLog(store), Clock.systemUTC(), pool, timers, policy,
                new WebhookRetries(5, Duration.ofSeconds(1)), owner);
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:{port}/hook, 127.0.0.1",
            "http://localhost:{port}/hook, 127.0.0.1",
            "http://10.0.0.1/hook, 10.0.0.1",
            "http://169.254.169.254/latest/meta-data/, 169.254.169.254",
            "http://192.168.1.1:8080/, 192.168.1.1",
            "http://[::1]:{port}/hook, 0:0:0:0:0:0:0:1",
    })
    void shouldRefuseADestinationTheDefaultPolicyDenies(String url, String address) throws Exception {
        URI uri = URI.create(url.replace("{port}", Integer.toString(receiver.port())));
        dispatcher(daemonDefault()).dispatch(Ids.newId(), "run1", "ACTOR.RUN.SUCCEEDED", uri, "{}", Map.of(), true);
        WebhookDispatch d = only();
        assertEquals("webhook refused: " + address + " is not an allowed destination (egress policy)", d.lastError());
        assertTrue(d.finished(), "no attempt left: " + d);
        assertNull(receiver.poll(Duration.ofMillis(1500)), "nothing was sent, and no retry came");
        assertEquals(Optional.of(d), table.get(d.id()), "the record stays, with the reason");
    }

    @Test
    void shouldNotResumeARefusedDispatch() throws Exception {
        WebhookDispatcher dispatcher = dispatcher(daemonDefault());
        dispatcher.dispatch(Ids.newId(), "run1", "ACTOR.RUN.FAILED", URI.create(receiver.url("/x")), "{}", Map.of(), true);
        WebhookDispatch refused = only();
        dispatcher(EgressPolicy.of(Cidr.parseList("127.0.0.0/8"), List.of())).resume();
        assertNull(receiver.poll(Duration.ofMillis(1500)), "a refused dispatch is never sent, even by a later daemon");
        assertEquals(Optional.of(refused), table.get(refused.id()));
    }

    @Test
    void shouldResumeOnlyItsOwnDispatchesAndThoseStoredBeforeDispatchesHadOwners() throws Exception {
        for (String owner : Arrays.asList("me", "other", null)) {
            String id = "dispatch-" + owner;
            table.put(id, WebhookDispatch.first(id, "run1", "ACTOR.RUN.SUCCEEDED", receiver.url("/" + owner), "{}",
                    Map.of(), 1, Instant.now(), owner, null));
        }
        dispatcher(EgressPolicy.of(Cidr.parseList("127.0.0.0/8"), List.of()), new RunOwner("me", true)).resume();
        assertEquals(Set.of("/me", "/null"), Set.of(receiver.next().path(), receiver.next().path()));
        assertNull(receiver.poll(Duration.ofMillis(1500)), "the other daemon's dispatch is the other's to send");
        assertTrue(table.get("dispatch-other").isPresent());
    }

    @Test
    void shouldDeliverToLoopbackWhenThePolicyAllowsIt() throws Exception {
        dispatcher(EgressPolicy.of(Cidr.parseList("127.0.0.0/8"), List.of()))
                .dispatch(Ids.newId(), "run1", "ACTOR.RUN.SUCCEEDED", URI.create(receiver.url("/ok")), "{\"a\":1}", Map.of(), true);
        WebhookReceiver.Received got = receiver.next();
        assertEquals("/ok", got.path());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (table.count() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, table.count(), "forgotten once delivered");
    }

    @Test
    void shouldRecordWhyAnAttemptFailed() throws Exception {
        receiver.answer(503);
        dispatcher(EgressPolicy.of(Cidr.parseList("127.0.0.0/8"), List.of()))
                .dispatch(Ids.newId(), "run1", "ACTOR.RUN.SUCCEEDED", URI.create(receiver.url("/busy")), "{}", Map.of(), true);
        receiver.next();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (only().lastError() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("HTTP 503", only().lastError());
    }

    private WebhookDispatch only() {
        List<WebhookDispatch> all = new java.util.ArrayList<>();
        try (var it = table.scan(io.actord.daemon.state.Scan.all())) {
            it.forEachRemaining(e -> all.add(e.value()));
        }
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    /** What a daemon with no --egress-allow/--egress-deny uses (RunNetworks.policy). */
    private static EgressPolicy daemonDefault() {
        return EgressPolicy.of(List.of(), List.of()).denyingAlso(EgressPolicy.hostAddresses());
    }
}
