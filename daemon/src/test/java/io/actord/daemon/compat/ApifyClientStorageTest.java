package io.actord.daemon.compat;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.http.ApiServer;
import io.actord.daemon.http.Router;
import io.actord.daemon.http.Transports;
import io.actord.daemon.http.routes.DatasetRoutes;
import io.actord.daemon.http.routes.KeyValueStoreRoutes;
import io.actord.daemon.http.routes.RequestQueueRoutes;
import io.actord.daemon.access.Access;
import io.actord.daemon.access.Caller;
import io.actord.daemon.storage.DatasetStore;
import io.actord.daemon.storage.KeyValueStore;
import io.actord.daemon.storage.RequestQueueStore;
import io.actord.daemon.storage.StorageRegistry;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.NodeScripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The storage API as the published {@code apify-client} sees it: an in-process API server on a loopback
 * ephemeral port with the storage routes on a real state store, and {@code storage-api.mjs} calling it.
 */
@ApifyCompat
class ApifyClientStorageTest {
    @TempDir
    Path dir;

    @Test
    void shouldPassTheApifyClientStorageChecks() {
        NodeScripts.install();
        ExecutorService worker = Executors.newFixedThreadPool(4);
        try (StateStore store = RocksStateStore.open(dir, ActorDaemon.TABLES)) {
            StorageRegistry registry = new StorageRegistry(store, Clock.systemUTC(), new Access(store), user -> Long.MAX_VALUE);
            Caller owner = Caller.user("ownerUserId000001", "owner");
            Router router = new Router();
            new KeyValueStoreRoutes(new KeyValueStore(registry), r -> owner).register(router);
            new DatasetRoutes(new DatasetStore(registry), r -> owner).register(router);
            new RequestQueueRoutes(new RequestQueueStore(registry), r -> owner).register(router);
            ApiServer server = ApiServer.start(new ApiServer.Config(Optional.empty(),
                    Optional.of(new InetSocketAddress("127.0.0.1", 0)), 10 * 1024 * 1024, 60, 2), router, worker,
                    Transports.detect(), (listener, runId, headers, query) -> owner);
            try {
                int port = server.tcpAddress().orElseThrow().getPort();
                NodeScripts.Result r = NodeScripts.node("storage-api.mjs", Map.of("ACTORD_URL", "http://127.0.0.1:" + port),
                        Duration.ofMinutes(2));
                System.out.println(r.output());
                assertEquals(0, r.exitCode(), r.output());
            } finally {
                server.close();
            }
        } finally {
            worker.shutdownNow();
        }
    }
}
