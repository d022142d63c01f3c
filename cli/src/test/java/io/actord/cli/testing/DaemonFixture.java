package io.actord.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real daemon, in-process, on a temp state directory and Unix socket, with the daemon's FakeRuntime:
 * runs start, log, exit and time out like real ones, without root. Commands the fake runtime reads:
 * {@code exit N}, {@code echo TEXT}, {@code sleep S}, {@code trap-term S}, {@code memhog MB}.
 */
public final class DaemonFixture implements AutoCloseable {
    private final TestDaemon daemon;

    private DaemonFixture(TestDaemon daemon) {
        this.daemon = daemon;
    }

    public static DaemonFixture start(Path dir) {
        return new DaemonFixture(TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1)));
    }

    public Path socket() {
        return daemon.socket();
    }

    /** The daemon's TCP API, for comparing the CLI's --json with what the API says. */
    public TestDaemon.Api api() {
        return daemon.api();
    }

    /** The token of the daemon's local account, for commands that go over TCP. */
    public String token() {
        return daemon.token();
    }

    public int tcpPort() {
        return daemon.api().base().getPort();
    }

    public Cli cli() {
        return Cli.at(socket());
    }

    /** An actor {@code name} with a build whose entrypoint is {@code cmd} (exec form); returns its id. */
    public String actor(String name, String... cmd) throws IOException {
        return daemon.actor(name, cmd);
    }

    public Path rootfs() throws IOException {
        return daemon.rootfs();
    }

    /** Starts a run and waits up to 10 s for it to finish; returns the run. */
    public JsonNode finishedRun(String actorId) {
        return daemon.api().post("/v2/acts/" + actorId + "/runs?waitForFinish=10").expect(201).data();
    }

    /** POSTs over the admin socket (where the daemon allows everything), as an admin would. */
    public TestDaemon.Response admin(String path, String json) throws IOException {
        return daemon.admin(path, json);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
