package io.actord.runtime.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic-BPF seccomp filter (seccomp(2), SECCOMP_SET_MODE_FILTER) built here and installed by
 * actord-init. The default is a deny-list on top of the capability drop: it answers EPERM for the calls
 * that reach the kernel's most sensitive code whatever the capabilities say (user namespaces, module and
 * kexec loading, bpf, ptrace, keyrings, the mount API, ...), ENOSYS for clone3 (its flags sit behind a
 * pointer the filter cannot read, so libc falls back to clone, whose flags it can), and kills a task that
 * uses another architecture's syscall table, whose numbers would slip past the list.
 */
public final class SeccompProgram {
    /** struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]. */
    static final int DATA_NR = 0;
    static final int DATA_ARCH = 4;
    /** The low 32 bits of args[0] (little-endian). */
    static final int DATA_ARG0_LOW = 16;
    /** linux/audit.h: EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    static final int AUDIT_ARCH_X86_64 = 0xC000_003E;
    /** x32 calls are x86_64 numbers with this bit set, the same architecture field: deny them all. */
    static final int X32_SYSCALL_BIT = 0x4000_0000;
    static final int CLONE_NEWUSER = 0x1000_0000;

    // Classic BPF opcodes (linux/bpf_common.h).
    static final short LD_W_ABS = 0x20;
    static final short JEQ_K = 0x15;
    static final short JGE_K = 0x35;
    static final short JSET_K = 0x45;
    static final short RET_K = 0x06;

    // linux/seccomp.h
    static final int RET_KILL_PROCESS = 0x8000_0000;
    static final int RET_ERRNO = 0x0005_0000;
    static final int RET_ALLOW = 0x7fff_0000;
    static final int EPERM = 1;
    static final int ENOSYS = 38;

    static final int SYS_CLONE = 56;
    static final int SYS_CLONE3 = 435;

    /** x86_64 numbers (arch/x86/entry/syscalls/syscall_64.tbl) of the calls the default filter denies. */
    static final Map<String, Integer> DENIED = denied();

    /** One sock_filter instruction. */
    public record Instruction(short code, int jt, int jf, int k) {
    }

    private final List<Instruction> instructions;

    private SeccompProgram(List<Instruction> instructions) {
        this.instructions = List.copyOf(instructions);
    }

    public static SeccompProgram defaultDenyList() {
        Assembler a = new Assembler();
        a.load(DATA_ARCH);
        a.jumpUnless(AUDIT_ARCH_X86_64, "kill");
        a.load(DATA_NR);
        a.jumpIfAtLeast(X32_SYSCALL_BIT, "enosys");
        for (int nr : DENIED.values()) {
            a.jumpIfEqual(nr, "eperm");
        }
        a.jumpIfEqual(SYS_CLONE3, "enosys");
        a.jumpIfEqual(SYS_CLONE, "clone");
        a.ret(RET_ALLOW);
        a.label("clone");
        a.load(DATA_ARG0_LOW);
        a.jumpIfAnyBit(CLONE_NEWUSER, "eperm");
        a.ret(RET_ALLOW);
        a.label("eperm");
        a.ret(RET_ERRNO | EPERM);
        a.label("enosys");
        a.ret(RET_ERRNO | ENOSYS);
        a.label("kill");
        a.ret(RET_KILL_PROCESS);
        return new SeccompProgram(a.assemble());
    }

    public List<Instruction> instructions() {
        return instructions;
    }

    /** The struct sock_filter array as the kernel reads it: u16 code, u8 jt, u8 jf, u32 k, little-endian. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(8 * instructions.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (Instruction i : instructions) {
            out.putShort(i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
        }
        return out.array();
    }

    private static Map<String, Integer> denied() {
        Map<String, Integer> m = new LinkedHashMap<>();
        // Mounting, old API and new.
        m.put("mount", 165);
        m.put("umount2", 166);
        m.put("pivot_root", 155);
        m.put("open_tree", 428);
        m.put("move_mount", 429);
        m.put("fsopen", 430);
        m.put("fsconfig", 431);
        m.put("fsmount", 432);
        m.put("fspick", 433);
        m.put("mount_setattr", 442);
        // Namespaces: unshare/setns entirely (clone is checked for CLONE_NEWUSER below).
        m.put("unshare", 272);
        m.put("setns", 308);
        // The kernel itself: modules, kexec, reboot, swap, accounting, quotas, clocks.
        m.put("init_module", 175);
        m.put("finit_module", 313);
        m.put("delete_module", 176);
        m.put("create_module", 174);
        m.put("query_module", 178);
        m.put("get_kernel_syms", 177);
        m.put("kexec_load", 246);
        m.put("kexec_file_load", 320);
        m.put("reboot", 169);
        m.put("swapon", 167);
        m.put("swapoff", 168);
        m.put("acct", 163);
        m.put("quotactl", 179);
        m.put("quotactl_fd", 443);
        m.put("settimeofday", 164);
        m.put("clock_settime", 227);
        m.put("clock_adjtime", 305);
        m.put("adjtimex", 159);
        m.put("syslog", 103);
        m.put("iopl", 172);
        m.put("ioperm", 173);
        m.put("uselib", 134);
        m.put("_sysctl", 156);
        m.put("nfsservctl", 180);
        m.put("lookup_dcookie", 212);
        m.put("vhangup", 153);
        // Other processes' memory and descriptors.
        m.put("ptrace", 101);
        m.put("process_vm_readv", 310);
        m.put("process_vm_writev", 311);
        m.put("kcmp", 312);
        m.put("pidfd_getfd", 438);
        // Keyrings are not namespaced.
        m.put("keyctl", 250);
        m.put("add_key", 248);
        m.put("request_key", 249);
        // Large attack surfaces of their own.
        m.put("bpf", 321);
        m.put("perf_event_open", 298);
        m.put("userfaultfd", 323);
        m.put("io_uring_setup", 425);
        m.put("io_uring_enter", 426);
        m.put("io_uring_register", 427);
        m.put("fanotify_init", 300);
        // File handles bypass path-based checks (the "shocker" escape).
        m.put("open_by_handle_at", 304);
        m.put("name_to_handle_at", 303);
        return Collections.unmodifiableMap(m);
    }

    /** Emits instructions with symbolic forward jumps and resolves them (classic BPF jumps only forward). */
    private static final class Assembler {
        private record Pending(short code, int k, String onTrue, String onFalse) {
        }

        private final List<Pending> code = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        void load(int offset) {
            code.add(new Pending(LD_W_ABS, offset, null, null));
        }

        void jumpIfEqual(int k, String label) {
            code.add(new Pending(JEQ_K, k, label, null));
        }

        void jumpUnless(int k, String label) {
            code.add(new Pending(JEQ_K, k, null, label));
        }

        void jumpIfAtLeast(int k, String label) {
            code.add(new Pending(JGE_K, k, label, null));
        }

        void jumpIfAnyBit(int k, String label) {
            code.add(new Pending(JSET_K, k, label, null));
        }

        void ret(int value) {
            code.add(new Pending(RET_K, value, null, null));
        }

        void label(String name) {
            labels.put(name, code.size());
        }

        List<Instruction> assemble() {
            List<Instruction> out = new ArrayList<>();
            for (int pc = 0; pc < code.size(); pc++) {
                Pending p = code.get(pc);
                out.add(new Instruction(p.code(), offset(pc, p.onTrue()), offset(pc, p.onFalse()), p.k()));
            }
            return out;
        }

        private int offset(int pc, String label) {
            if (label == null) {
                return 0;
            }
            int jump = labels.get(label) - pc - 1;
            if (jump < 0 || jump > 255) {
                throw new IllegalStateException("seccomp jump to " + label + " out of range: " + jump);
            }
            return jump;
        }
    }
}
