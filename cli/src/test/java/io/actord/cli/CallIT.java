package io.actord.cli;

import io.actord.cli.testing.Actorctl;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * run and call with real containers: the packaged CLI against a daemon with the real runtime and the
 * runtime's payload rootfs ({@code exit N}, {@code sleep S}) and the sample actor hello (INPUT in, OUTPUT
 * out). Skipped, with the reason printed, without root or without the runtime.
 */
@Tag("privileged")
class CallIT {
    @StartDaemon.Runtime
    private static ItRuntime.Choice runtime;
    @StartDaemon(realRuntime = true, graceSeconds = 3)
    private static TestDaemon daemon;
    private static Actorctl cli;

    @BeforeAll
    static void start() {
        cli = Actorctl.at(daemon.socket());
    }

    @Test
    void shouldPrintHellosOutputAndExitZero() throws Exception {
        runtime.helloActor(daemon, "hello");
        Actorctl.Result r = cli.run("call", "hello", "--input", "{\"name\":\"Ada\"}");
        assertEquals(0, r.status(), r.toString());
        assertEquals("{\"greeting\":\"Hello, Ada!\"}", r.out().strip());
        assertTrue(r.err().contains("Hello, Ada!"), "the log on stderr: " + r);
    }

    @Test
    void shouldExitWithTheRunsExitCodeAndItsStatusMessage() throws Exception {
        runtime.actor(daemon, "exit-three", "exit", "3");
        Actorctl.Result r = cli.run("call", "exit-three");
        assertEquals(3, r.status(), r.toString());
        String last = r.err().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("error: run [A-Za-z0-9]{17} FAILED: .*3.*"), r.toString());
    }

    @Test
    void shouldExit124WhenTheRunTimesOut() throws Exception {
        runtime.actor(daemon, "sleeper", "sleep", "60");
        Actorctl.Result r = cli.run("run", "sleeper", "--wait", "--timeout", "1");
        assertEquals(124, r.status(), r.toString());
        assertTrue(r.out().contains("TIMED-OUT"), r.toString());
    }

    @Test
    void shouldExit130WhenTheCalledRunIsAborted() throws Exception {
        runtime.actor(daemon, "long-sleeper", "sleep", "60");
        CompletableFuture<Actorctl.Result> call = CompletableFuture.supplyAsync(() -> {
            try {
                return cli.run("call", "long-sleeper", "--quiet");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String id = null;
        for (int i = 0; i < 200 && id == null; i++) {
            var items = daemon.api().get("/v2/actor-runs?status=RUNNING").data().get("items");
            id = items.size() > 0 ? items.get(0).get("id").asText() : null;
            Thread.sleep(100);
        }
        assertTrue(id != null, "the run never ran");
        assertEquals(0, cli.run("runs", "abort", id).status());
        Actorctl.Result r = call.get(60, TimeUnit.SECONDS);
        assertEquals(130, r.status(), r.toString());
    }

    @Test
    void shouldFollowALiveLog() throws Exception {
        runtime.actor(daemon, "short-sleeper", "sleep", "2");
        String id = cli.run("run", "short-sleeper", "--detach").out().strip();
        Actorctl.Result r = cli.run("runs", "logs", "-f", id);
        assertEquals(0, r.status(), r.toString());
        assertEquals("SUCCEEDED", daemon.api().get("/v2/actor-runs/" + id).data().get("status").asText());
    }
}
