package io.actord.daemon.testing;

import io.actord.runtime.ContainerException;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link FakeRuntime} container runs, chosen once per runtime: its command read as a small script
 * in process ({@link #scripted}), or its command run as a plain host process ({@link #hostProcess}).
 */
interface FakePayload {
    /** Starts the payload of {@code c}, which it ends through {@link FakeRuntime.FakeContainer#exit}. */
    Started start(FakeRuntime.FakeContainer c);

    /** Stops whatever payloads still run when the runtime closes. */
    void close();

    String description();

    /** One running payload. */
    interface Started {
        /** The pid the container reports, when the payload has a real one. */
        default long pid(long fakePid) {
            return fakePid;
        }

        void signal(Signal signal);

        void kill();
    }

    /**
     * The command read the way the real payload binary reads it, so tests read like the privileged ones:
     * <ul>
     *   <li>{@code exit N} — exits with N</li>
     *   <li>{@code echo TEXT...} — writes TEXT and a newline, exits 0</li>
     *   <li>{@code env NAME...} — writes {@code NAME=value} (from the container's environment) for each, exits 0</li>
     *   <li>{@code sleep S} — exits 0 after S seconds (fractions allowed); SIGTERM ends it (exit 143)</li>
     *   <li>{@code trap-term S} — like sleep, but exits 0 on SIGTERM (as an SDK actor told to abort does)</li>
     *   <li>{@code ignore-term S} — like sleep, but ignores SIGTERM</li>
     *   <li>{@code memhog MB} — OOM-killed right away</li>
     * </ul>
     * Anything else exits 0.
     */
    static FakePayload scripted(ScheduledExecutorService clock) {
        return new FakePayload() {
            @Override
            public Started start(FakeRuntime.FakeContainer c) {
                List<String> cmd = c.spec().command();
                String verb = cmd.get(0);
                String arg = cmd.size() > 1 ? cmd.get(1) : "0";
                switch (verb) {
                    case "exit" -> c.exit(ExitStatus.exited(Integer.parseInt(arg)));
                    case "echo" -> {
                        c.write(String.join(" ", cmd.subList(1, cmd.size())) + "\n");
                        c.exit(ExitStatus.exited(0));
                    }
                    case "env" -> {
                        cmd.subList(1, cmd.size()).forEach(name -> c.write(name + "=" + c.spec().env()
                                .getOrDefault(name, "") + "\n"));
                        c.exit(ExitStatus.exited(0));
                    }
                    case "sleep", "trap-term", "ignore-term" -> clock.schedule(() -> c.exit(ExitStatus.exited(0)),
                            (long) (Double.parseDouble(arg) * 1000), TimeUnit.MILLISECONDS);
                    case "memhog" -> c.exit(ExitStatus.killed(Signal.SIGKILL).withOomKilled(true));
                    default -> c.exit(ExitStatus.exited(0));
                }
                return new Started() {
                    @Override
                    public void signal(Signal signal) {
                        if (signal == Signal.SIGTERM && !verb.equals("ignore-term")) {
                            c.exit(verb.equals("trap-term") ? ExitStatus.exited(0) : ExitStatus.killed(Signal.SIGTERM));
                        }
                    }

                    @Override
                    public void kill() {
                        c.exit(ExitStatus.killed(Signal.SIGKILL));
                    }
                };
            }

            @Override
            public void close() {
                clock.shutdownNow();
            }

            @Override
            public String description() {
                return "fake";
            }
        };
    }

    /**
     * The command run as a host process with exactly the spec's environment, in the daemon's own network
     * namespace, so the published SDK can run against a daemon without root (its in-run endpoint then
     * listens on a host loopback port). SIGTERM and the kill reach the process and its descendants.
     *
     * @param workDir the processes' working directory (where their scripts' node_modules are)
     */
    static FakePayload hostProcess(Path workDir) {
        List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
        return new FakePayload() {
            @Override
            public Started start(FakeRuntime.FakeContainer c) {
                ProcessBuilder pb = new ProcessBuilder(c.spec().command()).directory(workDir.toFile())
                        .redirectErrorStream(true);
                pb.environment().clear();
                pb.environment().putAll(c.spec().env());
                Process process;
                try {
                    process = pb.start();
                } catch (IOException e) {
                    throw new ContainerException("start " + c.spec().command() + ": " + e.getMessage());
                }
                processes.add(process);
                Thread pump = new Thread(() -> pump(process, c), "fake-output-" + c.id());
                pump.setDaemon(true);
                pump.start();
                return new Started() {
                    @Override
                    public long pid(long fakePid) {
                        return process.pid();
                    }

                    @Override
                    public void signal(Signal signal) {
                        if (signal == Signal.SIGTERM) {
                            process.destroy();
                        }
                    }

                    @Override
                    public void kill() {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                    }
                };
            }

            /** Copies the process's output into the container's pipe, then ends the container with its exit. */
            private static void pump(Process process, FakeRuntime.FakeContainer c) {
                try (InputStream out = process.getInputStream()) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = out.read(buf)) > 0; ) {
                        c.write(Arrays.copyOf(buf, n));
                    }
                } catch (IOException e) {
                    c.write(("output: " + e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                int code = process.onExit().join().exitValue();
                c.exit(code > 128 ? ExitStatus.killed(code == 143 ? Signal.SIGTERM : Signal.SIGKILL)
                        : ExitStatus.exited(code));
            }

            @Override
            public void close() {
                for (Process p : processes) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }

            @Override
            public String description() {
                return "host processes (test runtime)";
            }
        };
    }
}
