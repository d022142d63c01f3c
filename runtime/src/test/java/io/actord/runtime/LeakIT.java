package io.actord.runtime;

import io.actord.runtime.testing.SpecBuilder;
import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 containers created and closed: nothing of them may stay on the host or in this JVM. The system property
 * {@code actord.leak.containers} lowers the count where a container costs seconds (the emulated v2 guest).
 */
@Tag("privileged")
class LeakIT {
    static final int CONTAINERS = Integer.getInteger("actord.leak.containers", 200);
    private static TestRuntime rt;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(LeakIT.class);
    }

    @AfterAll
    static void close() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    /** Every kind of container: quota or not, isolated or host network, piped or discarded output. */
    private static SpecBuilder spec(int i) {
        SpecBuilder spec = rt.spec("leak-" + i, "/bin/sh", "-c", "echo $HOSTNAME; ls /dev > /dev/null")
                .network(i % 4 == 3 ? NetworkMode.HOST : NetworkMode.ISOLATED)
                .output(i % 3 == 2 ? new Output.Discard() : new Output.Pipe());
        return i % 2 == 0 ? spec : spec.withoutDiskQuota();
    }

    private static void runOne(int i) {
        try (Container c = rt.runtime().create(spec(i).build())) {
            c.output().ifPresent(o -> TestRuntime.output(c, Duration.ofSeconds(30)));
            assertEquals(ExitStatus.exited(0), c.awaitExit(Duration.ofSeconds(30)).orElseThrow());
        }
    }

    @Test
    void shouldLeaveNoMountLoopCgroupThreadDescriptorOrProcessAfterManyContainers() throws Exception {
        for (int i = 0; i < 4; i++) {
            runOne(i); // warm-up: JIT, lazily opened JDK files
        }
        // With user namespaces one is made ahead: count it made, not half-way.
        rt.runtime().userNamespaces().awaitSpare();
        Snapshot before = settled();
        long start = System.nanoTime();

        for (int i = 0; i < CONTAINERS; i++) {
            runOne(i);
        }

        long millis = (System.nanoTime() - start) / 1_000_000;
        rt.runtime().userNamespaces().awaitSpare();
        Snapshot after = settled();
        System.out.printf("LeakIT: %d containers created, run and closed in %d ms (%.1f ms each)%n", CONTAINERS,
                millis, (double) millis / CONTAINERS);
        System.out.println("LeakIT: before " + before);
        System.out.println("LeakIT: after  " + after);
        assertEquals(List.of(), after.mountsNotIn(before), "mounts of ours on the host");
        assertEquals(List.of(), after.loops, "loop devices bound to our images");
        assertEquals(List.of(), rt.cgroups().names(), "run cgroups");
        assertEquals(List.of(), after.children, "child processes of this JVM (zombies included)");
        assertEquals(List.of(), after.launchers, "launcher threads");
        assertTrue(after.threads <= before.threads + 2, "threads: " + before.threads + " -> " + after.threads);
        assertEquals(before.fds, after.fds, "open descriptors");
        try (Stream<Path> runs = Files.list(rt.base().resolve("runs"))) {
            assertEquals(List.of(), runs.toList(), "run directories");
        }
    }

    /**
     * A snapshot once the descriptor count holds still: streams an earlier test class left to the garbage
     * collector close whenever their cleaner runs, which would otherwise land between the two snapshots.
     */
    private static Snapshot settled() throws Exception {
        Snapshot last = Snapshot.take();
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(100);
            Snapshot now = Snapshot.take();
            if (now.fds == last.fds) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** Creates from several threads at once race for loop devices and templates; all must succeed and go. */
    @Test
    void shouldCreateAndCloseContainersFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = 1000 + i;
                runs.add(pool.submit(() -> runOne(2 * n)));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Snapshot after = Snapshot.take();
        assertEquals(List.of(), after.loops, "loop devices bound to our images");
        assertEquals(List.of(), rt.cgroups().names(), "run cgroups");
        assertEquals(List.of(), after.children, "child processes of this JVM");
    }

    private record Snapshot(List<String> mounts, List<String> loops, List<Long> children, List<String> launchers,
                            int threads, int fds) {
        /** Those that came since {@code before}: another build's leftover on a shared machine is not ours. */
        List<String> mountsNotIn(Snapshot before) {
            return mounts.stream().filter(m -> !before.mounts.contains(m)).toList();
        }

        static Snapshot take() throws IOException {
            String base = rt.base().toString();
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.contains(base) || l.contains("actord")).toList();
            List<String> loops;
            try (Stream<Path> devices = Files.list(Path.of("/sys/block"))) {
                loops = devices.map(d -> d.resolve("loop/backing_file")).filter(Files::exists).map(LeakIT::read)
                        .filter(f -> f.startsWith(base)).toList();
            }
            List<Long> children = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
            List<String> launchers = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(n -> n.startsWith("actord-launch-")).toList();
            int fds;
            try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
                fds = (int) open.count();
            }
            return new Snapshot(mounts, loops, children, launchers, Thread.getAllStackTraces().size(), fds);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
