package io.actord.runtime;

import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exchange directory (a run's /actord/kv) lives on the container's writable layer: it is filled before
 * the start, counts against the disk limit, shows no host path inside, and the host reads what the workload
 * left there after the exit, also through a runtime that re-attached.
 */
@Tag("privileged")
class ExchangeDirectoryIT {
    private static final ExchangeDirectory KV = new ExchangeDirectory("/actord/kv",
            Map.of("INPUT", "{\"n\":1}".getBytes(StandardCharsets.UTF_8)));
    private static TestRuntime rt;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(ExchangeDirectoryIT.class);
    }

    @AfterAll
    static void close() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    /**
     * The attack of issue #20, defect 3: a 128 MB run wrote 600 MB into /actord/kv past its 256 MB disk. The
     * sizes here are a quarter of that run's (a 64 MB volume, 100 MB written): what is proven is the same, and
     * under the v2 guest's emulated CPU the smaller write saves minutes.
     */
    @Test
    void shouldCountWhatTheWorkloadWritesThereAgainstTheDiskLimit() throws Exception {
        try (Container c = rt.runtime().create(rt.spec("kv-quota", "/bin/sh", "-c",
                "cat /actord/kv/INPUT; echo; dd if=/dev/zero of=/actord/kv/big bs=1048576 count=100 2>/dev/null;"
                        + " echo dd=$?; echo done > /actord/kv/OUTPUT; ls -ld /actord/kv;"
                        + " echo binds=$(grep -c ' /actord/kv ' /proc/self/mountinfo)")
                .disk(DiskLimit.ofBytes(64L << 20)).exchange(KV).build())) {
            String out = TestRuntime.output(c, Duration.ofSeconds(60));
            c.awaitExit(Duration.ofSeconds(10)).orElseThrow();
            System.out.println("ExchangeDirectoryIT: " + out.strip());

            assertTrue(out.startsWith("{\"n\":1}\n"), "INPUT was there at the start: " + out);
            assertTrue(out.contains("dd=1"), "the write stopped at the disk limit: " + out);
            assertTrue(out.contains("binds=0"), "no mount at /actord/kv, so no host path in mountinfo: " + out);
            Path kv = c.exchangeDirectory().orElseThrow();
            long big = Files.size(kv.resolve("big"));
            assertTrue(big > (32L << 20) && big <= (64L << 20), "stopped near 64 MB: " + big);
            // The volume is still full: OUTPUT may have found no room. What matters is that the host reads it.
            assertTrue(Files.exists(kv.resolve("INPUT")), "the host reads the directory after the exit");
        }
    }

    @Test
    void shouldLetTheHostReadTheFilesAfterTheExitAndGiveThemToTheWorkloadsUser() throws Exception {
        try (Container c = rt.runtime().create(rt.spec("kv-files", "/bin/sh", "-c",
                "id -u; stat -c '%u %a' /actord/kv; echo hi > /actord/kv/OUTPUT")
                .user(new ContainerSpec.User(1000, 1000, java.util.List.of())).exchange(KV).build())) {
            String out = TestRuntime.output(c, Duration.ofSeconds(60));
            assertEquals(ExitStatus.exited(0), c.awaitExit(Duration.ofSeconds(10)).orElseThrow(), out);

            assertEquals("1000\n1000 755\n", out);
            Path kv = c.exchangeDirectory().orElseThrow();
            assertEquals("hi\n", Files.readString(kv.resolve("OUTPUT")));
            c.close();
            assertEquals(Optional.empty(), c.exchangeDirectory(), "closed with the container");
        }
    }

    /**
     * A new runtime re-attaching opens the directory through init's root. The workload may have put a symlink
     * to a host path on the way: the open must fail rather than follow it (through /proc/PID/root an absolute
     * link resolves against the host's root).
     */
    @Test
    void shouldReopenTheDirectoryOnReattachWithoutFollowingSymlinks() throws Exception {
        Path hostDir = Files.createDirectories(rt.base().resolve("host-only/kv"));
        Files.writeString(hostDir.resolve("SECRET"), "host");
        String hostParent = hostDir.getParent().toString();
        for (boolean swap : new boolean[] {false, true}) {
            ContainerState state;
            try (LinuxContainerRuntime first = rt.reopen()) {
                Container c = first.create(rt.spec("kv-reattach-" + swap, "/bin/sh", "-c",
                        (swap ? "mv /actord /actord.moved; ln -s " + hostParent + " /actord; " : "")
                                + "echo kept > /actord.moved/kv/OUTPUT 2>/dev/null || echo kept > /actord/kv/OUTPUT;"
                                + " trap 'exit 0' TERM; echo ready; while true; do sleep 0.05; done")
                        .exchange(KV).build());
                state = c.state();
                awaitLine(c, "ready");
            }
            try (LinuxContainerRuntime second = rt.reopen(); Container c = second.attach(state).orElseThrow()) {
                Optional<Path> kv = c.exchangeDirectory();
                if (swap) {
                    assertEquals(Optional.empty(), kv, "a symlinked /actord is not followed to the host");
                } else {
                    assertEquals("kept\n", Files.readString(kv.orElseThrow().resolve("OUTPUT")));
                }
                c.signal(Signal.SIGTERM);
                c.awaitExit(Duration.ofSeconds(10)).orElseThrow();
                kv.ifPresent(d -> assertTrue(Files.exists(d.resolve("OUTPUT")), "readable after the exit"));
            }
        }
        assertFalse(Files.exists(hostDir.resolve("OUTPUT")), "nothing was written on the host");
    }

    private static void awaitLine(Container c, String line) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(c.output().orElseThrow(),
                StandardCharsets.UTF_8));
        for (String l; (l = out.readLine()) != null; ) {
            if (l.equals(line)) {
                return;
            }
        }
        throw new AssertionError("output ended before \"" + line + "\"");
    }
}
