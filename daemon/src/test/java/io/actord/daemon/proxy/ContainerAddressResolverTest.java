package io.actord.daemon.proxy;

import io.actord.daemon.proxy.ContainerAddressResolver.Route;
import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunOptions;
import io.actord.daemon.run.RunStatus;
import io.actord.runtime.Container;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerAddressResolverTest {
    private static final String TOKEN = "k3wc8dq0z2ymt5r7bx1nvfa9hj";
    private static final String HOST = TOKEN + ".runs.test:7070";

    private final ContainerAddressResolver resolver = new ContainerAddressResolver(
            new ContainerUrls(() -> "http://127.0.0.1:7070", Optional.of("runs.test")), run -> 8080);

    private static Run run(RunStatus status) {
        return new Run.Builder().id("runIdAAAAAAAAAAAA").actId("actIdAAAAAAAAAAAA").userId("userIdAAAAAAAAAAA")
                .build("buildIdAAAAAAAAAA", "0.0.1").status(status, null).startedAt(Instant.EPOCH)
                .options(RunOptions.of("latest", 0, 1024))
                .storages("kvsIdAAAAAAAAAAAA", "dsIdAAAAAAAAAAAAA", "rqIdAAAAAAAAAAAAA").containerUrlToken(TOKEN)
                .origin("API").build();
    }

    /** A container that only knows its network namespace. */
    private static Container container(String netns) {
        return (Container) Proxy.newProxyInstance(Container.class.getClassLoader(), new Class<?>[] {Container.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("networkNamespace")) {
                        return Path.of(netns);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void shouldLetRequestsToAReadyRunWaitForItsContainer() {
        resolver.statusChanged(run(RunStatus.READY));
        Route.Found found = assertInstanceOf(Route.Found.class, resolver.route(HOST, "/a?b=c"));
        assertFalse(found.endpoint().isDone(), "pending until the container starts");

        resolver.containerStarted(run(RunStatus.READY), container("/proc/42/ns/net"));

        ContainerEndpoint e = found.endpoint().join();
        assertEquals("runIdAAAAAAAAAAAA", e.runId());
        assertEquals(Optional.of(Path.of("/proc/42/ns/net")), e.netns());
        assertEquals("127.0.0.1", e.address().getHostString());
        assertEquals(8080, e.address().getPort());
        assertEquals("/a?b=c", found.uri());
        assertEquals(Optional.empty(), found.prefix());
    }

    /**
     * In a cluster (#26) a run that another host owns, or none yet, is not served here even when its status changes
     * here (the host that took the POST stores it unplaced): its requests go to its host, not to a slot that would
     * wait for a container this host never makes. Its own host serves it.
     */
    @Test
    void shouldLeaveAnotherHostsRunToItsHostInACluster() {
        resolver.serveRemote(new RemoteRuns() {
            @Override
            public String hostId() {
                return "here";
            }

            @Override
            public CompletableFuture<Optional<RemoteRun>> find(String token) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
        });
        resolver.statusChanged(run(RunStatus.READY));
        assertInstanceOf(Route.Standby.class, resolver.route(HOST, "/"), "unplaced: asked of the cluster");
        resolver.statusChanged(run(RunStatus.RUNNING).toBuilder().ownerHost("there").build());
        assertInstanceOf(Route.Standby.class, resolver.route(HOST, "/"), "another host's: asked of the cluster");

        resolver.statusChanged(run(RunStatus.RUNNING).toBuilder().ownerHost("here").build());
        assertInstanceOf(Route.Found.class, resolver.route(HOST, "/"), "its own: served here");
    }

    @Test
    void shouldTakeThePathFormPrefixOffAndAskForAMissingSlash() {
        ContainerAddressResolver pathOnly = new ContainerAddressResolver(
                new ContainerUrls(() -> "http://127.0.0.1:7070", Optional.empty()), run -> 8080);
        pathOnly.containerStarted(run(RunStatus.RUNNING), container("/proc/42/ns/net"));

        Route.Found found = assertInstanceOf(Route.Found.class, pathOnly.route("127.0.0.1:7070",
                "/containers/" + TOKEN + "/app/x"));
        Route.Redirect slash = assertInstanceOf(Route.Redirect.class, pathOnly.route("127.0.0.1:7070",
                "/containers/" + TOKEN + "?q=1"));

        assertEquals("/app/x", found.uri());
        assertEquals(Optional.of("/containers/" + TOKEN), found.prefix());
        assertEquals("/containers/" + TOKEN + "/?q=1", slash.location());
    }

    /** #20 defect 7: with a containers domain a run is served only on its own host name, not on the API's origin. */
    @Test
    void shouldSendThePathFormToTheHostFormWhenThereIsAContainersDomain() {
        resolver.containerStarted(run(RunStatus.RUNNING), container("/proc/42/ns/net"));

        Route.Redirect page = assertInstanceOf(Route.Redirect.class, resolver.route("127.0.0.1:7070",
                "/containers/" + TOKEN + "/app/x?q=1"));
        Route.Redirect bare = assertInstanceOf(Route.Redirect.class, resolver.route("127.0.0.1:7070",
                "/containers/" + TOKEN + "?q=1"));
        Route.Redirect slashes = assertInstanceOf(Route.Redirect.class, resolver.route("127.0.0.1:7070",
                "/containers/" + TOKEN + "//evil.test/"));

        assertEquals("http://" + HOST + "/app/x?q=1", page.location());
        assertEquals("http://" + HOST + "/?q=1", bare.location());
        assertEquals("http://" + HOST + "//evil.test/", slashes.location(), "the path stays on the run's host");
    }

    @Test
    void shouldTellUnknownTokensFromTheApisRequests() {
        resolver.containerStarted(run(RunStatus.RUNNING), container("/proc/42/ns/net"));

        assertInstanceOf(Route.NotFound.class, resolver.route("x" + HOST, "/"));
        assertInstanceOf(Route.NotFound.class, resolver.route("127.0.0.1", "/containers/" + TOKEN.toUpperCase() + "/"));
        assertInstanceOf(Route.NotFound.class, resolver.route("127.0.0.1", "/containers//"));
        assertInstanceOf(Route.Api.class, resolver.route("127.0.0.1:7070", "/v2/actor-runs"));
        assertInstanceOf(Route.Api.class, resolver.route(null, "/healthz"));
    }

    @Test
    void shouldForgetAFinishedRunAndTellThoseWhoWaited() {
        resolver.statusChanged(run(RunStatus.READY));
        Route.Found waiting = assertInstanceOf(Route.Found.class, resolver.route(HOST, "/"));

        resolver.statusChanged(run(RunStatus.FAILED));

        CompletionException e = assertThrows(CompletionException.class, () -> waiting.endpoint().join());
        assertInstanceOf(ContainerAddressResolver.RunEnded.class, e.getCause());
        assertInstanceOf(Route.NotFound.class, resolver.route(HOST, "/"));
        assertEquals(0, resolver.size());
    }

    @Test
    void shouldServeTheNextContainerOfAResurrectedRunAndCloseTheOldOnesConnections() {
        resolver.containerStarted(run(RunStatus.RUNNING), container("/proc/42/ns/net"));
        ContainerEndpoint first = ((Route.Found) resolver.route(HOST, "/")).endpoint().join();

        resolver.containerStopped("runIdAAAAAAAAAAAA");
        Route.Found between = assertInstanceOf(Route.Found.class, resolver.route(HOST, "/"));
        resolver.containerStarted(run(RunStatus.RUNNING), container("/proc/43/ns/net"));

        assertTrue(first.closed());
        assertEquals(Optional.of(Path.of("/proc/43/ns/net")), between.endpoint().join().netns());
    }
}
