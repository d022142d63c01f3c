package io.actord.daemon.metrics;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.ForgetfulRuntime;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ContainerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /readyz}: 503 while the container runtime or the state store cannot serve, 200 otherwise. */
class ReadinessTest {
    /** A runtime that cannot make containers, as the daemon's own UnavailableRuntime when it does not run as root. */
    private static final class NoContainers implements ForgetfulRuntime {
        @Override
        public Container create(ContainerSpec spec, BeforeStart beforeStart) {
            throw new ContainerException("containers are unavailable: a test");
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.of("a test says so");
        }

        @Override
        public String description() {
            return "unavailable (a test says so)";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldAnswer503WhileTheRuntimeIsUnavailable(@TempDir Path dir) throws Exception {
        try (TestDaemon d = TestDaemon.start(dir, new NoContainers(), Duration.ofSeconds(1))) {
            var anyone = d.anonymous().get("/readyz").expect(503).data();
            assertEquals("unavailable", anyone.get("status").asText());
            assertNull(anyone.get("problems"), "only the admin learns why");
            var admin = TestDaemon.unixGet(d.socket(), "/readyz").expect(503).data();
            assertEquals("container runtime: a test says so", admin.get("problems").get(0).asText());
            d.anonymous().get("/healthz").expect(200);
            assertEquals(0, PrometheusText.parse(TestDaemon.unixGet(d.socket(), "/metrics").expect(200).text())
                    .sum("actord_ready"), "the metric says the same");
        }
    }

    @Test
    void shouldBeUnavailableOnceTheStateStoreIsClosed(@TempDir Path dir) {
        StateStore store = RocksStateStore.open(dir, ActorDaemon.TABLES);
        Readiness readiness = new Readiness(new FakeRuntime(), store);
        assertEquals(List.of(), readiness.problems());

        store.close();

        List<String> problems = readiness.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("state store: ") && problems.get(0).contains("closed"), problems.get(0));
    }
}
