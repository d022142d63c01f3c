package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.testing.Host;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.CrashWindowDaemon;
import io.actord.daemon.testing.DaemonProcess;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.ContainerState;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.RuntimeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue #20's crash windows (defects 14–18) with a real daemon process killed by {@code kill -9} at each step of
 * each scenario's path ({@link RunStep}; {@link CrashWindowDaemon} stops there, so no timing is guessed), and at
 * random moments after the API call for abort, reboot and resurrect. After each kill a new daemon starts on the same
 * state, and the run it recovers must settle sanely: a finished run has no container left (no process, cgroup in any
 * hierarchy, directory, mount or loop device); a reboot or metamorph has finished, the run RUNNING in exactly one
 * container; a resurrection has started (or, when the kill came before it was stored, the run is as it was), never
 * FAILED as lost; and the daemon holds host memory for exactly the runs that run.
 *
 * <p>Cost: a path is recorded once per scenario (a pass with no kill inside it, killed after its end), then each of
 * its steps gets one kill; the daemon started after a kill is the one that stops at the next step, so each kill
 * point costs one daemon start and one run: 7 scenarios, 4–8 steps each (44 steps, 51 kills with the ends of the
 * recording passes), plus 9 random ones: 196 s on 2 shared cores at load average 5, 380 s at 10.
 */
@Tag("privileged")
class CrashWindowIT {
    private static final int MEMORY = 128;
    private static final int TIMEOUT_SECS = 2;
    private static final String GRACE_SECS = "2";
    /**
     * The random kills come 0 to this many ms after the call: on a busy host the command is stored tens of ms after
     * it is sent, so both sides of the store are hit.
     */
    private static final int MAX_DELAY_MS = 250;

    /** What is done to a running run (or what it does by itself), and how it may end up after any kill inside. */
    enum Scenario {
        ABORT_NOW(Set.of(RunStatus.ABORTED), RunStatus.RUNNING),
        ABORT_GRACEFUL(Set.of(RunStatus.ABORTED), RunStatus.RUNNING),
        EXIT_BY_ITSELF(Set.of(RunStatus.SUCCEEDED), RunStatus.RUNNING),
        TIMEOUT(Set.of(RunStatus.TIMED_OUT), RunStatus.RUNNING),
        REBOOT(Set.of(RunStatus.RUNNING), RunStatus.RUNNING),
        METAMORPH(Set.of(RunStatus.RUNNING), RunStatus.RUNNING),
        RESURRECT(Set.of(RunStatus.RUNNING), RunStatus.ABORTED);

        /** Where the run may end once the command was stored. */
        final Set<RunStatus> outcomes;
        /** Where it was before: a kill may come before the command was stored. */
        final RunStatus before;

        Scenario(Set<RunStatus> outcomes, RunStatus before) {
            this.outcomes = outcomes;
            this.before = before;
        }
    }

    /**
     * The actors of a scenario: the one its runs are of (a long sleeper, or one that ends by itself) and a metamorph's
     * target (null for the other scenarios: each build is an import of seconds).
     */
    private record Actors(String runs, String target) {
    }

    @TempDir
    Path dir;

    private String subtree;
    private int port;
    private DaemonProcess daemon;
    private String killedLog = "";
    private List<Path> cgroupBases = List.of();
    private boolean clean;
    private final ExecutorService requests = Executors.newCachedThreadPool();

    @BeforeEach
    void check() throws IOException {
        String reason = ItRuntime.unavailableReason().orElse(Files.exists(DaemonProcess.JAR) ? null
                : DaemonProcess.JAR + " is not built (run mvn package first)");
        if (reason != null) {
            System.out.println("SKIPPED CrashWindowIT: " + reason);
        }
        assumeTrue(reason == null, "SKIPPED CrashWindowIT: " + reason);
        subtree = ItRuntime.subtree();
        port = DaemonProcess.freePort();
        Files.createDirectories(control());
    }

    /**
     * A test that failed may leave a daemon stopped at a step and containers going, which the daemon's own recovery
     * (the code under test) may not remove: kill the daemon, and remove every container of the test with the runtime
     * itself, as recovery would; then check that nothing is left (the cgroups by {@link ItRuntime#releaseSubtree}).
     */
    @AfterEach
    void leaveNothing() throws Exception {
        requests.shutdownNow();
        try {
            if (daemon != null && daemon.alive()) {
                daemon.kill9();
            }
            if (!clean && subtree != null) {
                removeContainers();
            }
        } finally {
            if (subtree != null) {
                ItRuntime.releaseSubtree(subtree);
                assertEquals(List.of(), mountsOf(dir.toString()), "mounts left under " + dir);
                assertEquals(List.of(), loopsOf(dir.toString()), "loop devices left for " + dir);
            }
        }
    }

    private void removeContainers() throws IOException {
        Path containers = dir.resolve("state").resolve("containers");
        try (LinuxContainerRuntime runtime = LinuxContainerRuntime.open(RuntimeConfig.defaults()
                .withCgroups(new CgroupConfig(subtree)).withLibDir(dir.resolve("cleanup-lib")))) {
            Set<String> ids = new TreeSet<>(runtime.containerIds());
            if (Files.isDirectory(containers)) {
                try (Stream<Path> list = Files.list(containers)) {
                    list.forEach(p -> ids.add(p.getFileName().toString()));
                }
            }
            for (String id : ids) {
                System.out.println("CrashWindowIT: removing container " + id + ", which the test left");
                runtime.cleanUp(new ContainerState(id, 0, 0, containers.resolve(id)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Scenario.class)
    void shouldSettleARunWhoseDaemonWasKilledAtEachStep(Scenario scenario) throws Exception {
        startStoppingAt("none");
        Actors actors = actors(scenario);
        String run = prepare(scenario, actors);
        arm();
        drive(scenario, run, actors);
        awaitEnd(scenario, run);
        List<String> path = trace();
        System.out.println("CrashWindowIT " + scenario + ": path " + path);
        assertFalse(path.isEmpty(), "no step recorded:\n" + daemon.log());
        String killedAt = "after the end";
        Map<Long, Optional<Instant>> pids = containerProcesses();
        for (String step : path) {
            kill();
            startStoppingAt(step);
            settleAndCheck(scenario, run, killedAt, pids, true);
            run = prepare(scenario, actors);
            arm();
            drive(scenario, run, actors);
            awaitStopped(step);
            killedAt = step;
            pids = containerProcesses();
        }
        kill();
        startStoppingAt("none");
        settleAndCheck(scenario, run, killedAt, pids, true);
        daemon.close();
        clean = true;
    }

    /**
     * The same without the hook: kills at random moments (seeded; the seed is printed, and {@code
     * -Dactord.crash.seed} repeats it) after the API call for an immediate abort, a reboot and a resurrection.
     */
    @Test
    void shouldSettleARunWhoseDaemonWasKilledAtARandomMomentAfterTheCommand() throws Exception {
        long seed = Long.getLong("actord.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        startStoppingAt("none");
        Actors actors = actors(Scenario.ABORT_NOW);
        for (Scenario scenario : List.of(Scenario.ABORT_NOW, Scenario.REBOOT, Scenario.RESURRECT)) {
            for (int i = 0; i < 3; i++) {
                String run = prepare(scenario, actors);
                int delay = random.nextInt(MAX_DELAY_MS);
                CompletableFuture<TestDaemon.Response> answer = drive(scenario, run, actors);
                Thread.sleep(delay);
                boolean stored = answer.isDone() && !answer.isCompletedExceptionally() && answer.join().status() == 200;
                Map<Long, Optional<Instant>> pids = containerProcesses();
                System.out.println("CrashWindowIT seed=" + seed + " " + scenario + ": kill " + delay
                        + " ms after the call" + (stored ? " (answered)" : ""));
                kill();
                startStoppingAt("none");
                settleAndCheck(scenario, run, delay + " ms after the call (seed " + seed + ")", pids, stored);
            }
        }
        daemon.close();
        clean = true;
    }

    // --- the scenarios ---

    private Actors actors(Scenario scenario) throws Exception {
        String runs = scenario == Scenario.EXIT_BY_ITSELF
                ? actor("brief", List.of("/bin/sh", "-c", "sleep 2; exit 0"))
                : actor("sleeper", ItRuntime.payloadCommand("sleep", "300"));
        return new Actors(runs, scenario == Scenario.METAMORPH
                ? actor("target", ItRuntime.payloadCommand("sleep", "300")) : null);
    }

    private String actor(String name, List<String> command) throws Exception {
        String actor = daemon.api().post("/v2/acts", "{\"name\":\"" + name + "\"}").expect(201).data().get("id")
                .asText();
        TestDaemon.unixPost(dir.resolve("api.sock"), "/v2/acts/" + actor + "/builds", Json.MAPPER.writeValueAsString(
                Map.of("rootfs", ItRuntime.payloadRootfs().toString(), "cmd", command))).expect(201);
        return actor;
    }

    /** A run in the state the scenario starts from: RUNNING, or (to be resurrected) ABORTED and released. */
    private String prepare(Scenario scenario, Actors actors) throws Exception {
        String actor = actors.runs();
        String query = "?memory=" + MEMORY + (scenario == Scenario.TIMEOUT ? "&timeout=" + TIMEOUT_SECS : "");
        String run = daemon.api().post("/v2/acts/" + actor + "/runs" + query, "").expect(201).data().get("id")
                .asText();
        await("run " + run + " RUNNING", () -> status(run).equals("RUNNING"));
        if (scenario == Scenario.RESURRECT) {
            daemon.api().post("/v2/actor-runs/" + run + "/abort").expect(200);
            awaitNoActiveRuns();
        }
        return run;
    }

    /** Makes the scenario's API call, without waiting for its answer (a daemon stopped at a step never gives it). */
    private CompletableFuture<TestDaemon.Response> drive(Scenario scenario, String run, Actors actors) {
        String call = switch (scenario) {
            case ABORT_NOW -> "/abort";
            case ABORT_GRACEFUL -> "/abort?gracefully=true";
            case REBOOT -> "/reboot";
            case METAMORPH -> "/metamorph?targetActorId=" + actors.target();
            case RESURRECT -> "/resurrect";
            case EXIT_BY_ITSELF, TIMEOUT -> null;
        };
        if (call == null) {
            return CompletableFuture.completedFuture(null);
        }
        TestDaemon.Api api = daemon.api();
        return CompletableFuture.supplyAsync(() -> api.post("/v2/actor-runs/" + run + call, ""), requests);
    }

    /** The pass with no kill inside: the scenario ends as it should, and no step is reached any more. */
    private void awaitEnd(Scenario scenario, String run) throws Exception {
        await(scenario + " to end", () -> {
            Observed o = observe(run);
            return settled(o) && scenario.outcomes.contains(o.runStatus());
        });
        List<String> seen;
        do {
            seen = trace();
            Thread.sleep(1000);
        } while (!seen.equals(trace()));
    }

    // --- the daemon stopped at a step ---

    /** Starts the next daemon, which stops at {@code step} once armed; it is {@link #daemon} (killed after a failure). */
    private void startStoppingAt(String step) throws Exception {
        for (String file : List.of("armed", "trace", "paused")) {
            Files.deleteIfExists(control().resolve(file));
        }
        daemon = DaemonProcess.start(CrashWindowDaemon.launch(control(), step), dir, port, flags());
        if (cgroupBases.isEmpty()) {
            cgroupBases = findCgroupBases();
        }
    }

    private void arm() throws IOException {
        Files.writeString(control().resolve("armed"), "");
    }

    private List<String> trace() throws IOException {
        try {
            return Files.readAllLines(control().resolve("trace")).stream().map(l -> l.split(" ")[0]).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private void awaitStopped(String step) throws Exception {
        Path paused = control().resolve("paused");
        await("the daemon to stop at " + step, () -> Files.exists(paused));
        assertTrue(Files.readString(paused).startsWith(step + " "), Files.readString(paused));
    }

    private void kill() throws InterruptedException {
        daemon.kill9();
        killedLog = daemon.log();
    }

    private Path control() {
        return dir.resolve("control");
    }

    private String[] flags() {
        return new String[]{"--cgroup-subtree", subtree, "--abort-grace-secs", GRACE_SECS};
    }

    // --- the checks ---

    /** What the API and the host show of a run. */
    private record Observed(String status, String message, JsonNode run, Map<String, Set<Long>> containers,
                            List<String> dirs, List<String> mounts, List<String> loops, int active, long held) {
        RunStatus runStatus() {
            return RunStatus.fromWire(status);
        }
    }

    private Observed observe(String run) throws IOException {
        JsonNode r = daemon.api().get("/v2/actor-runs/" + run).expect(200).data();
        JsonNode runs = daemonStatus().get("runs");
        List<String> dirs;
        try (Stream<Path> list = Files.list(dir.resolve("state").resolve("containers"))) {
            dirs = list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(run + "-")).sorted().toList();
        } catch (NoSuchFileException e) {
            dirs = List.of();
        }
        return new Observed(r.get("status").asText(), r.path("statusMessage").asText(), r, cgroupsOf(run), dirs,
                mountsOf("/containers/" + run + "-"), loopsOf("/containers/" + run + "-"),
                runs.get("active").asInt(), runs.get("heldMbytes").asLong());
    }

    /** The run no longer moves: finished with its supervisor retired, or RUNNING in a container that runs. */
    private static boolean settled(Observed o) {
        return o.runStatus().isTerminal() ? o.active() == 0
                : o.runStatus() == RunStatus.RUNNING && o.containers().values().stream().anyMatch(p -> !p.isEmpty());
    }

    /**
     * After a kill at {@code killedAt}: waits for the run to settle, then checks it; a RUNNING run is aborted and
     * waited for, so the next scenario starts with no active run.
     *
     * @param stored whether the scenario's command was stored before the kill (else the run may be as before)
     */
    private void settleAndCheck(Scenario scenario, String run, String killedAt, Map<Long, Optional<Instant>> pids,
                                boolean stored) throws Exception {
        String context = scenario + " killed at " + killedAt + ", run " + run;
        long deadline = System.nanoTime() + Host.patience(Duration.ofSeconds(40)).toNanos();
        Observed o = observe(run);
        while (!settled(o) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            o = observe(run);
        }
        String details = context + ": " + o + "\n--- the recovering daemon:\n" + daemon.log()
                + "\n--- the killed daemon:\n" + killedLog;
        assertTrue(settled(o), "not settled: " + details);
        Set<RunStatus> allowed = new TreeSet<>(scenario.outcomes);
        if (!stored) {
            allowed.add(scenario.before);
        }
        assertTrue(allowed.contains(o.runStatus()), "status " + o.status() + ", expected one of " + allowed + ": "
                + details);
        assertFalse(o.message().contains("lost"), "a run that was fine is not lost: " + details);
        if (o.runStatus().isTerminal()) {
            assertEquals(Map.of(), o.containers(), "no cgroup of a finished run: " + details);
            assertEquals(List.of(), o.dirs(), "no container directory of a finished run: " + details);
            assertEquals(List.of(), o.mounts(), "no mount of a finished run: " + details);
            assertEquals(List.of(), o.loops(), "no loop device of a finished run: " + details);
            assertEquals(0, o.held(), "a finished run holds no host memory: " + details);
        } else {
            assertEquals(1, o.containers().size(), "one container per run: " + details);
            assertEquals(List.copyOf(o.containers().keySet()), o.dirs(), "its directory and no other: " + details);
            assertEquals(1, o.active(), details);
            assertEquals(MEMORY, o.held(), "the running run holds its memory, once: " + details);
            if (stored && scenario == Scenario.REBOOT) {
                assertEquals(1, o.run().get("stats").get("rebootCount").asInt(), details);
            }
            if (stored && scenario == Scenario.RESURRECT) {
                assertEquals(1, o.run().get("stats").get("resurrectCount").asInt(), details);
            }
        }
        Set<Long> living = o.containers().values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        for (Map.Entry<Long, Optional<Instant>> p : pids.entrySet()) {
            assertFalse(sameProcessAlive(p.getKey(), p.getValue()) && !living.contains(p.getKey()), "process "
                    + p.getKey() + " of a container before the kill outlived it outside the run's container: " + details);
        }
        if (!o.runStatus().isTerminal()) {
            daemon.api().post("/v2/actor-runs/" + run + "/abort").expect(200);
            awaitNoActiveRuns();
            assertEquals(Map.of(), cgroupsOf(run), "an aborted run's container is released: " + context);
        }
    }

    private void awaitNoActiveRuns() throws Exception {
        await("no active run", () -> daemonStatus().get("runs").get("active").asInt() == 0);
    }

    /** {@code /v2/actord/status}, which only the admin socket shows. */
    private JsonNode daemonStatus() throws IOException {
        return TestDaemon.unixGet(dir.resolve("api.sock"), "/v2/actord/status").expect(200).data();
    }

    private String status(String run) {
        return daemon.api().get("/v2/actor-runs/" + run).expect(200).data().get("status").asText();
    }

    // --- the host ---

    /**
     * The directories of this test's cgroup subtree, in every hierarchy (v1 controllers and cgroup2). Other tests'
     * cgroups come and go meanwhile: a directory that vanishes while the tree is walked is passed over.
     */
    private List<Path> findCgroupBases() throws IOException {
        List<Path> bases = new ArrayList<>();
        Files.walkFileTree(Path.of("/sys/fs/cgroup"), Set.of(), 8, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) {
                if (d.getFileName() != null && d.getFileName().toString().equals(subtree)) {
                    bases.add(d);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        assertFalse(bases.isEmpty(), "no cgroup directory named " + subtree);
        return bases;
    }

    /** The run's container cgroups in any hierarchy, each with the processes in it in any hierarchy. */
    private Map<String, Set<Long>> cgroupsOf(String run) throws IOException {
        Map<String, Set<Long>> found = new TreeMap<>();
        for (Path base : cgroupBases) {
            try (Stream<Path> children = Files.list(base)) {
                for (Path child : children.filter(Files::isDirectory).toList()) {
                    String name = child.getFileName().toString();
                    if (name.startsWith(run + "-")) {
                        found.computeIfAbsent(name, n -> new TreeSet<>()).addAll(procs(child));
                    }
                }
            } catch (NoSuchFileException e) {
                // the subtree is gone in this hierarchy
            }
        }
        return found;
    }

    /** Every process in this test's container cgroups now, with its start time (to tell a reused pid). */
    private Map<Long, Optional<Instant>> containerProcesses() throws IOException {
        Map<Long, Optional<Instant>> found = new HashMap<>();
        for (Path base : cgroupBases) {
            try (Stream<Path> children = Files.list(base)) {
                for (Path child : children.filter(Files::isDirectory).toList()) {
                    procs(child).forEach(pid -> found.put(pid, ProcessHandle.of(pid)
                            .flatMap(h -> h.info().startInstant())));
                }
            } catch (NoSuchFileException e) {
                // the subtree is gone in this hierarchy
            }
        }
        return found;
    }

    private static Set<Long> procs(Path cgroup) throws IOException {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank())
                    .map(Long::parseLong).collect(Collectors.toSet());
        } catch (NoSuchFileException e) {
            return Set.of();
        }
    }

    /**
     * Whether the process that had {@code pid} and started at {@code started} still runs. A killed container's
     * processes whose parent was the killed daemon wait as zombies for the host's init to reap them: that is dead.
     */
    private static boolean sameProcessAlive(long pid, Optional<Instant> started) throws IOException {
        boolean same = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> h.info().startInstant().equals(started)).orElse(false);
        if (!same) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Mount points (of the host's mount table, which the daemon shares) whose line names {@code part}. */
    private static List<String> mountsOf(String part) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(part)).toList();
    }

    /** Loop devices whose backing file's path names {@code part}. */
    private static List<String> loopsOf(String part) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> devices = Files.list(Path.of("/sys/block"))) {
            for (Path backing : devices.map(d -> d.resolve("loop/backing_file")).filter(Files::exists).toList()) {
                try {
                    String file = Files.readString(backing).strip();
                    if (file.contains(part)) {
                        found.add(backing.getParent().getParent().getFileName() + " " + file);
                    }
                } catch (NoSuchFileException e) {
                    // detached meanwhile
                }
            }
        }
        return found;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Host.patience(Duration.ofSeconds(40)).toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "waited 40 s for " + what + ":\n" + daemon.log());
            Thread.sleep(50);
        }
    }
}
