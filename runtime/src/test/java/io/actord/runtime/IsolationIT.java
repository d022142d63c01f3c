package io.actord.runtime;

import io.actord.runtime.security.SeccompTable;
import io.actord.runtime.security.SecurityProfile;
import io.actord.runtime.testing.TestRuntime;
import io.actord.runtime.userns.UserNamespaceMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a workload can see and do inside a container made from the payload rootfs. */
@Tag("privileged")
class IsolationIT {
    private static TestRuntime rt;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(IsolationIT.class);
    }

    @AfterAll
    static void close() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    private static List<String> lines(String output) {
        return Arrays.stream(output.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void shouldRunActordInitAsPid1AndShowOnlyTheContainersOwnProcesses() {
        String out = rt.run(rt.spec("pid1", "/bin/sh", "-c",
                "ps -o pid,comm; echo procs $(ls /proc | grep -c '^[0-9]')"));

        List<String> ps = lines(out).stream().map(l -> l.replaceAll("\\s+", " ")).toList();
        assertEquals("PID COMMAND", ps.get(0), out);
        assertEquals("1 actord-init", ps.get(1), out);
        assertTrue(ps.subList(2, ps.size() - 1).stream().allMatch(l -> l.endsWith(" sh") || l.endsWith(" ps")), out);
        int procs = Integer.parseInt(ps.get(ps.size() - 1).substring("procs ".length()));
        assertTrue(procs <= 5, "only init, the shell, its subshell, ls and grep in /proc: " + out);
    }

    @Test
    void shouldGiveTheContainerItsOwnHostnameAndCgroupRoot() {
        String out = rt.run(rt.spec("uts", "/bin/sh", "-c", "hostname; cat /proc/self/cgroup").hostname("run-4f2a"));

        List<String> l = lines(out);
        assertEquals("run-4f2a", l.get(0));
        assertTrue(l.subList(1, l.size()).stream().allMatch(c -> c.endsWith(":/")),
                "the cgroup namespace is rooted at the container's own cgroup: " + out);
    }

    /** Issue #20, defect 13: the overlay's options showed the host's layer and state paths to the run. */
    @Test
    void shouldShowNoHostPathInMountinfo() {
        String out = rt.run(rt.spec("mountinfo", "/bin/cat", "/proc/self/mountinfo"));

        System.out.println("IsolationIT: mountinfo of a run:\n" + out);
        for (Path host : List.of(rt.base(), TestRuntime.payloadRootfs())) {
            assertFalse(out.contains(host.toString()), host + " in " + out);
        }
    }

    /**
     * Without CAP_NET_RAW, a ping that uses ICMP echo sockets (iputils' does; busybox's only tries a raw one)
     * works for every group of the run, in its own network namespace only.
     */
    @Test
    void shouldOpenIcmpEchoSocketsToEveryGroupOfTheRunOnly() throws Exception {
        Path hostRange = Path.of("/proc/sys/net/ipv4/ping_group_range");
        String host = Files.readString(hostRange);
        // In the host's ids: a user namespace shows host gids it does not map as 65534.
        String out = rt.run(rt.spec("ping-range", "/bin/cat", hostRange.toString())
                .user(new ContainerSpec.User(1000, 1000, List.of())).userNamespace(UserNamespaceMode.HOST));
        assertEquals(List.of("0\t2147483647"), lines(out), out);
        assertEquals(host, Files.readString(hostRange), "the host's own setting is untouched");
    }

    @Test
    void shouldHideTheHostRootProcessesSocketAndNetwork() throws Exception {
        Path marker = Files.writeString(rt.base().resolve("host-marker"), "host");
        Path socketPath = rt.base().resolve("actord.sock");
        long self = ProcessHandle.current().pid();
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(socketPath));

            String out = rt.run(rt.spec("hidden", "/bin/sh", "-c", "test -e " + marker + " && echo marker-visible;"
                    + " test -e " + socketPath + " && echo socket-visible; test -e /work && echo work-visible;"
                    + " test -e /proc/" + self + " && echo host-process-visible;"
                    + " grep -c " + socketPath + " /proc/net/unix; ls /sys/class/net;"
                    + " tail -n +3 /proc/net/dev | cut -d: -f1"));

            assertEquals(List.of("0", "lo", "lo"), lines(out),
                    "no host file, socket, /work or process (this JVM), and only lo: " + out);
        }
    }

    /**
     * Each default masked path that exists on this kernel must be /dev/null (a file) or an empty read-only
     * tmpfs (a directory) inside; one the kernel lacks (this build machine has no /proc/kcore) stays absent.
     */
    @Test
    void shouldMaskSensitivePathsAndWriteProtectProcSys() {
        List<String> masked = SecurityProfile.DEFAULT_MASKED_PATHS;
        String script = "for p in " + String.join(" ", masked) + "; do"
                + " if [ -d $p ]; then echo \"$p dir $(ls -A $p | wc -l) $(touch $p/x 2>&1 | grep -c Read-only)\";"
                + " elif [ -e $p ]; then echo \"$p file $(stat -c %t:%T $p) $(wc -c < $p)\";"
                + " else echo \"$p absent\"; fi; done;"
                + " echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo proc-sys-writable"
                + " || echo proc-sys-read-only";

        List<String> out = lines(rt.run(rt.spec("masked", "/bin/sh", "-c", script)));

        for (String path : masked) {
            String line = out.stream().filter(l -> l.startsWith(path + " ")).findFirst().orElseThrow();
            Path host = Path.of(path);
            String expected = !Files.exists(host) ? path + " absent"
                    : Files.isDirectory(host) ? path + " dir 0 1" : path + " file 1:3 0";
            assertEquals(expected, line);
            System.out.println("IsolationIT: " + line);
        }
        assertTrue(out.contains("proc-sys-read-only"), out.toString());
    }

    @Test
    void shouldDenyMountSethostnameAndTheSeccompListWithEperm() {
        List<String> out = lines(rt.run(rt.spec("eperm", "/bin/sh", "-c",
                "cat /proc/self/uid_map; exec /bin/payload try-privileged")));
        boolean ownUserNamespace = !out.get(0).matches("0\\s+0\\s+4294967295");

        for (String call : List.of("mount", "umount", "sethostname", "unshare-user", "unshare-net", "clone-newuser",
                "ptrace", "keyctl", "bpf", "perf_event_open", "userfaultfd", "kexec_load", "init_module", "swapoff",
                "open_tree", "fsopen")) {
            assertTrue(out.contains(call + ": EPERM"), call + " in " + out);
        }
        if (ownUserNamespace) {
            assertTrue(out.contains("mknod: EPERM"), "a device node needs CAP_MKNOD in the initial user namespace,"
                    + " which a container with its own has not: " + out);
        } else {
            assertTrue(out.contains("mknod: ok"), "CAP_MKNOD is in Docker's default set: " + out);
            assertTrue(out.contains("open-device: EACCES"), "but every writable mount is nodev: " + out);
        }
    }

    @Test
    void shouldAnswerSyscallsTheSeccompTableDoesNotAllow() throws Exception {
        SeccompTable table = SeccompTable.bundled();
        String clone3 = String.valueOf(table.byName("clone3").nr());
        String futexWaitv = String.valueOf(table.byName("futex_waitv").nr());
        String personality = String.valueOf(table.byName("personality").nr());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(String.valueOf(table.maxNr() + 1), "ENOSYS");
        expected.put("1000", "ENOSYS");
        expected.put(clone3, "ENOSYS");
        expected.put(futexWaitv, "ENOSYS");
        expected.put(String.valueOf(table.byName("keyctl").nr()), "EPERM");
        expected.put(String.valueOf(table.byName("mount").nr()), "EPERM");
        expected.put(personality + ":0xffffffff", "ok");
        expected.put(personality + ":0x40000", "ENOSYS");

        List<String> command = new ArrayList<>(List.of("/bin/payload", "syscalls"));
        command.addAll(expected.keySet());
        List<String> out = lines(rt.run(rt.spec("syscalls", command.toArray(String[]::new))));

        expected.forEach((call, answer) -> assertTrue(out.contains(call + ": " + answer), call + " in " + out));
        System.out.println("IsolationIT: " + out);
        // The kernel has clone3 and futex_waitv (Linux 5.3, 5.16): the ENOSYS above is the filter's.
        Process host = new ProcessBuilder(TestRuntime.payloadRootfs().resolve("bin/payload").toString(),
                "syscalls", clone3, futexWaitv).redirectErrorStream(true).start();
        String hostOut = new String(host.getInputStream().readAllBytes());
        assertEquals(0, host.waitFor());
        assertFalse(hostOut.contains("ENOSYS"), "outside a container: " + hostOut);
    }

    @Test
    void shouldDropToDockersDefaultCapabilitiesButNetRawAndAuditWriteWithNoNewPrivsAndSeccomp() {
        List<String> status = lines(rt.run(rt.spec("caps", "/bin/payload", "print-status")));

        for (String expected : List.of("CapEff:\t00000000880405fb", "CapPrm:\t00000000880405fb",
                "CapBnd:\t00000000880405fb", "CapInh:\t0000000000000000", "CapAmb:\t0000000000000000",
                "NoNewPrivs:\t1", "Seccomp:\t2", "Uid:\t0\t0\t0\t0")) {
            assertTrue(status.contains(expected), expected + " in " + status);
        }
    }

    @Test
    void shouldRunAsTheSpecsUserWithoutCapabilities() {
        List<String> status = lines(rt.run(rt.spec("nobody", "/bin/payload", "print-status")
                .user(new ContainerSpec.User(65534, 65534, List.of(5)))));

        for (String expected : List.of("Uid:\t65534\t65534\t65534\t65534", "Gid:\t65534\t65534\t65534\t65534",
                "Groups:\t5 ", "CapEff:\t0000000000000000", "CapBnd:\t00000000880405fb", "NoNewPrivs:\t1")) {
            assertTrue(status.contains(expected.strip()) || status.contains(expected), expected + " in " + status);
        }
    }
}
