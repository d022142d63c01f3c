package io.actord.daemon.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the scripts in {@code src/test/node} with the pinned npm packages, installed once per build into
 * {@code target/node} by {@code install.sh}. A test that needs them is skipped, with the reason printed,
 * when node or the packages are not available (no registry and a cold npm cache).
 */
public final class NodeScripts {
    public static final Path SOURCES = ItRuntime.checkout().resolve("daemon/src/test/node");
    public static final Path WORK = ItRuntime.checkout().resolve("daemon/target/node");
    /** The root filesystem for node actors in containers: node, the installed packages and these scripts. */
    public static final Path ROOTFS = ItRuntime.checkout().resolve("daemon/target/sdk-rootfs");

    private NodeScripts() {
    }

    /** The output and exit code of one script run. */
    public record Result(int exitCode, String output) {
    }

    /** Installs the packages (a no-op when the lockfile has not changed), or skips the calling test. */
    public static Path install() {
        Result r = run(List.of("bash", SOURCES.resolve("install.sh").toString(), WORK.toString()), Map.of(),
                Duration.ofMinutes(5), SOURCES);
        if (r.exitCode() != 0) {
            System.out.println("SKIPPED: the npm packages are not available: " + r.output().strip());
        }
        assumeTrue(r.exitCode() == 0, "npm packages not available: " + r.output().strip());
        return WORK;
    }

    /** Makes {@link #ROOTFS} with {@code make-rootfs.sh}, after {@link #install}; fails when it cannot. */
    public static Path rootfs() {
        Result r = run(List.of("bash", SOURCES.resolve("make-rootfs.sh").toString(), WORK.toString(),
                ROOTFS.toString()), Duration.ofMinutes(5));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("make-rootfs.sh failed: " + r.output());
        }
        return ROOTFS;
    }

    /** Runs {@code node <script> args...} in the work directory with extra environment variables. */
    public static Result node(String script, Map<String, String> env, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of("node", WORK.resolve(script).toString()));
        cmd.addAll(List.of(args));
        return run(cmd, env, timeout, WORK);
    }

    /** Runs a command in the work directory. */
    public static Result run(List<String> cmd, Duration timeout) {
        return run(cmd, Map.of(), timeout, WORK);
    }

    private static Result run(List<String> cmd, Map<String, String> env, Duration timeout, Path dir) {
        Path log = null;
        try {
            Files.createDirectories(WORK);
            log = Files.createTempFile(WORK, "run-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n[timed out after " + timeout + "]");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-2, "cannot run " + cmd + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a leftover log in target/ is harmless
                }
            }
        }
    }
}
