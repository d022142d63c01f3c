package io.actord.daemon.testing;

import org.junit.jupiter.api.BeforeEach;

/**
 * A test class's base for the tests that drive a whole daemon over its API: before each test a
 * {@link StartDaemon} daemon on a new {@link FakeRuntime} and its {@link TestDaemon#api() API} as the local
 * account; the daemon stops after the test.
 */
public abstract class FakeDaemonApiTest {
    @StartDaemon.Runtime
    protected FakeRuntime runtime;
    @StartDaemon
    protected TestDaemon daemon;
    protected TestDaemon.Api api;

    @BeforeEach
    void startApi() {
        api = daemon.api();
    }
}
