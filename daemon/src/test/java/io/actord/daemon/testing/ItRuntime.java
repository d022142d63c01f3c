package io.actord.daemon.testing;

import io.actord.daemon.Json;
import io.actord.runtime.ContainerRuntime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container runtime for integration tests: the real one when this host can run it (root, the runtime
 * built, the payload rootfs present), with the reason when it cannot, so a test skips visibly.
 */
public final class ItRuntime {
    private ItRuntime() {
    }

    /** Why the real runtime cannot be used here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        return Optional.of("the container runtime is not merged into this branch yet");
    }

    /** A runtime and how to make actors for it. */
    public interface Choice extends AutoCloseable {
        ContainerRuntime runtime();

        String description();

        /** Whether {@link #helloActor} greets the name in its INPUT (the real hello does, the fake one cannot). */
        boolean readsInput();

        /** An actor whose build runs {@code cmd} (a payload command: exit N, sleep S, ...); returns its id. */
        String actor(TestDaemon daemon, String name, String... cmd) throws IOException;

        /** The sample actor hello, or a stand-in that prints "Hello, client!". */
        String helloActor(TestDaemon daemon, String name) throws IOException;

        @Override
        void close();
    }

    /** The real runtime when available, else the fake one. */
    public static Choice realOrFake(Path dir) {
        return fake();
    }

    static Choice fake() {
        FakeRuntime runtime = new FakeRuntime();
        return new Choice() {
            @Override
            public ContainerRuntime runtime() {
                return runtime;
            }

            @Override
            public String description() {
                return "the in-process fake runtime (" + unavailableReason().orElse("") + ")";
            }

            @Override
            public boolean readsInput() {
                return false;
            }

            @Override
            public String actor(TestDaemon daemon, String name, String... cmd) throws IOException {
                return daemon.actor(name, cmd);
            }

            @Override
            public String helloActor(TestDaemon daemon, String name) throws IOException {
                return daemon.actor(name, "echo", "Hello, client!");
            }

            @Override
            public void close() {
                // The daemon closes the runtime.
            }
        };
    }

    /** The runtime's test payload rootfs (busybox + /bin/payload), built by the runtime module. */
    public static Path payloadRootfs() {
        return Path.of("../runtime/target/payload-rootfs").toAbsolutePath().normalize();
    }

    /** A payload command ({@code sleep 300}) as the entrypoint; anything starting with '/' is used as it is. */
    public static List<String> payloadCommand(String... cmd) {
        if (cmd[0].startsWith("/")) {
            return List.of(cmd);
        }
        List<String> full = new java.util.ArrayList<>(List.of("/bin/payload"));
        full.addAll(List.of(cmd));
        return full;
    }

    /** A build body for the API: rootfs and command. */
    static String buildBody(Path rootfs, List<String> cmd) throws IOException {
        return Json.MAPPER.writeValueAsString(Map.of("rootfs", rootfs.toString(), "cmd", cmd));
    }
}
