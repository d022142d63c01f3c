package io.actord.runtime.security;

import io.actord.runtime.security.SeccompTable.Action;
import io.actord.runtime.security.SeccompTable.Allow;
import io.actord.runtime.security.SeccompTable.AllowIfArg0Clear;
import io.actord.runtime.security.SeccompTable.AllowIfArg0In;
import io.actord.runtime.security.SeccompTable.Deny;
import io.actord.runtime.security.SeccompTable.Entry;
import io.actord.runtime.sys.Errno;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic-BPF seccomp filter (seccomp(2), SECCOMP_SET_MODE_FILTER) compiled here from a
 * {@link SeccompTable} and installed by actord-init. It is an allow-list: a task using another
 * architecture's syscall table is killed (its numbers mean other calls); then the syscall number is looked
 * up by a binary search over the table's ranges of equal answers (JGE jumps, so a call costs about log2 of
 * the number of ranges, not a walk down a list) and answered ALLOW, ALLOW after an argument check, or
 * an errno. Numbers the table does not know, its gaps, everything above its last number and the x32 ABI's
 * numbers (bit 30 set) get ENOSYS, so a libc newer than the table falls back to an older call.
 */
public final class SeccompProgram {
    /** struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]. */
    static final int DATA_NR = 0;
    static final int DATA_ARCH = 4;
    /** args[0] is little-endian on x86_64: its low 32 bits first, then the high ones. */
    static final int DATA_ARG0_LOW = 16;
    static final int DATA_ARG0_HIGH = 20;
    /** linux/audit.h: EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    static final int AUDIT_ARCH_X86_64 = 0xC000_003E;
    /** linux/bpf_common.h BPF_MAXINSNS: the kernel refuses a longer filter. */
    static final int MAX_INSTRUCTIONS = 4096;

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

    /** One sock_filter instruction. */
    public record Instruction(short code, int jt, int jf, int k) {
    }

    /** Syscall numbers from {@code start} up to the next range's start that get the same answer. */
    private record Range(long start, Action action) {
    }

    private final List<Instruction> instructions;

    private SeccompProgram(List<Instruction> instructions) {
        if (instructions.size() > MAX_INSTRUCTIONS) {
            throw new IllegalStateException("seccomp filter of " + instructions.size()
                    + " instructions is longer than the kernel's " + MAX_INSTRUCTIONS);
        }
        this.instructions = List.copyOf(instructions);
    }

    /** Podman's default profile for a run's capabilities ({@link Capability#RUN_DEFAULT}), with actord's hardening. */
    public static SeccompProgram defaultAllowList() {
        return compile(SeccompTable.bundled());
    }

    public static SeccompProgram compile(SeccompTable table) {
        Assembler a = new Assembler();
        a.load(DATA_ARCH);
        a.jumpIfEqual(AUDIT_ARCH_X86_64, "x86_64");
        a.ret(RET_KILL_PROCESS);
        a.label("x86_64");
        a.load(DATA_NR);
        List<Range> ranges = ranges(table);
        search(a, ranges, 0, ranges.size() - 1);
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

    /** Cuts 0..2^32-1 into maximal runs of one answer; what the table does not list is ENOSYS. */
    private static List<Range> ranges(SeccompTable table) {
        Action unknown = new Deny(Errno.ENOSYS);
        List<Range> ranges = new ArrayList<>();
        for (long nr = 0; nr <= table.maxNr() + 1; nr++) {
            Entry e = table.entries().get((int) nr);
            Action action = e == null ? unknown : e.action();
            if (ranges.isEmpty() || !ranges.get(ranges.size() - 1).action().equals(action)) {
                ranges.add(new Range(nr, action));
            }
        }
        return ranges;
    }

    /**
     * Emits the decision for ranges[lo..hi], the accumulator holding the syscall number: a JGE on the middle
     * range's start splits them in two halves until one range is left, whose answer is emitted in place.
     */
    private static void search(Assembler a, List<Range> ranges, int lo, int hi) {
        if (lo == hi) {
            answer(a, ranges.get(lo).action());
            return;
        }
        int mid = (lo + hi + 1) / 2;
        String upper = a.newLabel();
        a.jumpIfAtLeast((int) ranges.get(mid).start(), upper);
        search(a, ranges, lo, mid - 1);
        a.label(upper);
        search(a, ranges, mid, hi);
    }

    private static void answer(Assembler a, Action action) {
        if (action instanceof Deny d) {
            a.ret(errno(d.errno()));
        } else if (action instanceof AllowIfArg0In in) {
            String allow = a.newLabel();
            String deny = a.newLabel();
            a.load(DATA_ARG0_HIGH);
            a.jumpUnless(0, deny);
            a.load(DATA_ARG0_LOW);
            for (long value : in.values()) {
                a.jumpIfEqual((int) value, allow);
            }
            a.label(deny);
            a.ret(errno(in.otherwise()));
            a.label(allow);
            a.ret(RET_ALLOW);
        } else if (action instanceof AllowIfArg0Clear clear) {
            String deny = a.newLabel();
            a.load(DATA_ARG0_LOW);
            a.jumpIfAnyBit(clear.mask(), deny);
            a.ret(RET_ALLOW);
            a.label(deny);
            a.ret(errno(clear.otherwise()));
        } else if (action instanceof Allow) {
            a.ret(RET_ALLOW);
        }
    }

    private static int errno(Errno errno) {
        return RET_ERRNO | errno.number();
    }

    /** Emits instructions with symbolic forward jumps and resolves them (classic BPF jumps only forward). */
    private static final class Assembler {
        private record Pending(short code, int k, String onTrue, String onFalse) {
        }

        private final List<Pending> code = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();
        private int nextLabel;

        String newLabel() {
            return "L" + nextLabel++;
        }

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
