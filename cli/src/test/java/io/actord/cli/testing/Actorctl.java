package io.actord.cli.testing;

import io.actord.daemon.testing.ItRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged CLI as users start it: {@code bin/actorctl} (the launcher script and the shaded jar) in its
 * own process, stdout and stderr piped. Piped output is checked for escape codes and stack traces.
 */
public final class Actorctl {
    /** The launcher; failsafe runs in the cli module, so the repository is one up. */
    public static final Path LAUNCHER = Path.of(System.getProperty("actorctl.launcher",
            ItRuntime.checkout().resolve("bin/actorctl").toString()))
            .toAbsolutePath().normalize();

    private final Map<String, String> env = new HashMap<>();

    private Actorctl() {
    }

    /** A launcher without the CDS archive (ActorctlIT tests that separately) talking to {@code socket}. */
    public static Actorctl at(Path socket) {
        assumeTrue(Files.isRegularFile(LAUNCHER.resolveSibling("../cli/target/actorctl.jar").normalize()),
                "the CLI jar is not built (run mvn verify, which packages it before the ITs)");
        Actorctl a = new Actorctl();
        a.env.put("ACTORD_SOCKET", socket.toString());
        a.env.put("ACTORCTL_CDS", "0");
        return a;
    }

    public Actorctl env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs {@code actorctl args...}; returns its exit status, output and wall time. */
    public Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("ACTORD_URL");
        pb.environment().remove("APIFY_TOKEN");
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<byte[]>();
        Thread drain = new Thread(() -> {
            try {
                err.complete(p.getErrorStream().readAllBytes());
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        drain.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("actorctl " + args[0] + " did not finish in 120 s");
        }
        drain.join();
        Result r = new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
        assertFalse(r.out().contains("\u001B") || r.err().contains("\u001B"), "escape codes in piped output: " + r);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "a stack trace: " + r);
        return r;
    }

    /** One run of the CLI. */
    public record Result(int status, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + status + " in " + millis + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
