package io.actord.runtime.security;

import io.actord.runtime.security.SeccompProgram.Instruction;
import io.actord.runtime.security.SeccompTable.Allow;
import io.actord.runtime.security.SeccompTable.Deny;
import io.actord.runtime.security.SeccompTable.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the default filter in a small classic-BPF interpreter, as the kernel would for each call: every
 * number of the table and far beyond it, the argument checks, and the deny-list the allow-list replaced.
 */
class SeccompProgramTest {
    private static final int AUDIT_ARCH_X86_64 = 0xC000_003E;
    private static final int AUDIT_ARCH_I386 = 0x4000_0003;
    private static final int ALLOW = 0x7fff_0000;
    private static final int EPERM = 0x0005_0001;
    private static final int ENOSYS = 0x0005_0026;
    private static final int KILL_PROCESS = 0x8000_0000;
    /** The calls actord's earlier deny-list answered EPERM: the allow-list must keep doing so. */
    private static final List<String> DENY_LIST = List.of("""
            mount umount2 pivot_root open_tree move_mount fsopen fsconfig fsmount fspick mount_setattr unshare setns
            init_module finit_module delete_module create_module query_module get_kernel_syms kexec_load
            kexec_file_load reboot swapon swapoff acct quotactl quotactl_fd settimeofday clock_settime clock_adjtime
            adjtimex syslog iopl ioperm uselib _sysctl nfsservctl lookup_dcookie vhangup ptrace process_vm_readv
            process_vm_writev kcmp pidfd_getfd keyctl add_key request_key bpf perf_event_open userfaultfd
            io_uring_setup io_uring_enter io_uring_register fanotify_init open_by_handle_at name_to_handle_at
            """.strip().split("\\s+"));

    private final SeccompTable table = SeccompTable.bundled();
    private final SeccompProgram program = SeccompProgram.compile(table);

    /** What the filter returns, and after how many instructions. */
    private record Verdict(int ret, int steps) {
    }

    /** The subset of classic BPF the compiler emits: ld abs, jeq/jge/jset k, ret k; jumps only forward. */
    private Verdict run(int arch, int nr, long arg0) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(16, arg0);
        List<Instruction> code = program.instructions();
        int a = 0;
        int steps = 0;
        for (int pc = 0; pc < code.size(); pc++) {
            Instruction i = code.get(pc);
            steps++;
            switch (i.code()) {
                case 0x20 -> a = data.getInt(i.k());
                case 0x15 -> pc += a == i.k() ? i.jt() : i.jf();
                case 0x35 -> pc += Integer.compareUnsigned(a, i.k()) >= 0 ? i.jt() : i.jf();
                case 0x45 -> pc += (a & i.k()) != 0 ? i.jt() : i.jf();
                case 0x06 -> {
                    return new Verdict(i.k(), steps);
                }
                default -> throw new AssertionError("unexpected opcode " + i.code() + " at " + pc);
            }
        }
        throw new AssertionError("fell off the end of the program");
    }

    private int call(int nr, long arg0) {
        return run(AUDIT_ARCH_X86_64, nr, arg0).ret();
    }

    private int call(String name, long arg0) {
        return call(table.byName(name).nr(), arg0);
    }

    @Test
    void shouldAllowEveryCallTheTableAllows() {
        List<Entry> allowed = table.entries().values().stream().filter(e -> e.action() instanceof Allow).toList();
        assertTrue(allowed.size() > 250, "allowed: " + allowed.size());
        allowed.forEach(e -> assertEquals(ALLOW, call(e.nr(), 0), e.name()));
    }

    @Test
    void shouldDenyEveryCallTheTableDeniesWithItsErrno() {
        table.entries().values().stream().filter(e -> e.action() instanceof Deny).forEach(e ->
                assertEquals(0x0005_0000 | ((Deny) e.action()).errno().number(), call(e.nr(), 0), e.name()));
    }

    @Test
    void shouldAnswerEveryNumberMissingFromTheTableWithEnosys() {
        for (int nr = 0; nr < 4096; nr++) {
            if (!table.entries().containsKey(nr)) {
                assertEquals(ENOSYS, call(nr, 0), "syscall " + nr);
            }
        }
        for (int nr : new int[] {table.maxNr() + 1, 1000, 0x7fff_ffff, -1, Integer.MIN_VALUE}) {
            assertEquals(ENOSYS, call(nr, 0), "syscall " + nr);
        }
    }

    @Test
    void shouldKeepDenyingWhatTheDenyListDeniedWithEperm() {
        assertEquals(55, DENY_LIST.size());
        DENY_LIST.forEach(name -> assertEquals(EPERM, call(name, 0), name));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0002_0000 /* NEWNS */, 0x0200_0000 /* NEWCGROUP */, 0x0400_0000 /* NEWUTS */,
            0x0800_0000 /* NEWIPC */, 0x1000_0000 /* NEWUSER */, 0x2000_0000 /* NEWPID */, 0x4000_0000 /* NEWNET */})
    void shouldDenyCloneIntoANewNamespace(int flag) {
        assertEquals(EPERM, call("clone", flag | 17 /* SIGCHLD */));
    }

    @Test
    void shouldAllowCloneForForkAndThreads() {
        assertEquals(ALLOW, call("clone", 0x0120_0011L), "glibc fork()'s flags");
        assertEquals(ALLOW, call("clone", 0x003d_0f00L), "glibc pthread_create()'s flags");
    }

    @Test
    void shouldAnswerClone3WithEnosysSoLibcFallsBackToClone() {
        assertEquals(ENOSYS, call("clone3", 0));
    }

    @Test
    void shouldAllowOnlyThePersonasTheProfileAllows() {
        for (long persona : new long[] {0, 8, 0x2_0000, 0x2_0008, 0xffff_ffffL}) {
            assertEquals(ALLOW, call("personality", persona), "persona " + persona);
        }
        assertEquals(ENOSYS, call("personality", 0x4_0000 /* ADDR_NO_RANDOMIZE */));
        assertEquals(ENOSYS, call("personality", 0x1_0000_0000L), "the high half of args[0] counts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"read", "write", "openat", "execve", "wait4", "kill", "prctl", "exit_group", "socket",
            "mknodat", "arch_prctl", "rseq", "statx", "faccessat2", "epoll_pwait2", "pidfd_open", "close_range"})
    void shouldAllowWhatWorkloadsUse(String name) {
        assertEquals(ALLOW, call(name, 0));
    }

    @Test
    void shouldRefuseX32AndKillOtherArchitectures() {
        assertEquals(ENOSYS, call(0x4000_0000, 0), "x32 read");
        assertEquals(ENOSYS, call(0x4000_0000 | 165, 0), "x32 mount");
        assertEquals(KILL_PROCESS, run(AUDIT_ARCH_I386, 21 /* i386 mount */, 0).ret());
        assertEquals(KILL_PROCESS, run(AUDIT_ARCH_I386, 0, 0).ret());
    }

    @Test
    void shouldCheckTheArchitectureFirst() {
        List<Instruction> code = program.instructions();
        assertEquals(new Instruction((short) 0x20, 0, 0, 4), code.get(0), "load seccomp_data.arch");
        assertEquals(AUDIT_ARCH_X86_64, code.get(1).k());
    }

    @Test
    void shouldDecideACallInLogarithmicallyManySteps() {
        int size = program.instructions().size();
        int ranges = (size - 4 + 1) / 2;
        int bound = 4 + 32 - Integer.numberOfLeadingZeros(ranges) + 1;
        int worst = 0;
        for (int nr = 0; nr <= table.maxNr() + 1; nr++) {
            if (nr != table.byName("personality").nr() && nr != table.byName("clone").nr()) {
                worst = Math.max(worst, run(AUDIT_ARCH_X86_64, nr, 0).steps());
            }
        }
        System.out.println("SeccompProgramTest: " + size + " instructions, at most " + worst + " run for a call");
        assertTrue(size < 4096, "the kernel's BPF_MAXINSNS");
        assertTrue(worst <= bound, "worst " + worst + " > " + bound);
    }

    @Test
    void shouldSerializeAsKernelSockFilters() {
        byte[] bytes = program.toBytes();
        assertEquals(8 * program.instructions().size(), bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x20, b.getShort(0));
        assertEquals(0, b.get(2));
        assertEquals(4, b.getInt(4));
    }

    @Test
    void shouldBeTheDefaultProfilesFilter() {
        assertEquals(program.instructions(), SecurityProfile.defaults().seccomp().instructions());
    }
}
