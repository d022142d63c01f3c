package io.actord.runtime.security;

import io.actord.runtime.security.SeccompProgram.Instruction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the filter in a small classic-BPF interpreter, as the kernel would for each call. */
class SeccompProgramTest {
    private static final int AUDIT_ARCH_X86_64 = 0xC000_003E;
    private static final int AUDIT_ARCH_I386 = 0x4000_0003;
    private static final int ALLOW = 0x7fff_0000;
    private static final int EPERM = 0x0005_0001;
    private static final int ENOSYS = 0x0005_0026;
    private static final int KILL_PROCESS = 0x8000_0000;

    private final SeccompProgram program = SeccompProgram.defaultDenyList();

    /** The subset of classic BPF the builder emits: ld abs, jeq/jge/jset k, ret k. */
    private int run(int arch, int nr, long arg0) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(16, arg0);
        List<Instruction> code = program.instructions();
        int a = 0;
        for (int pc = 0; pc < code.size(); pc++) {
            Instruction i = code.get(pc);
            switch (i.code()) {
                case 0x20 -> a = data.getInt(i.k());
                case 0x15 -> pc += a == i.k() ? i.jt() : i.jf();
                case 0x35 -> pc += Integer.compareUnsigned(a, i.k()) >= 0 ? i.jt() : i.jf();
                case 0x45 -> pc += (a & i.k()) != 0 ? i.jt() : i.jf();
                case 0x06 -> {
                    return i.k();
                }
                default -> throw new AssertionError("unexpected opcode " + i.code() + " at " + pc);
            }
        }
        throw new AssertionError("fell off the end of the program");
    }

    @Test
    void shouldDenyEveryListedCallWithEperm() {
        SeccompProgram.DENIED.forEach((name, nr) -> assertEquals(EPERM, run(AUDIT_ARCH_X86_64, nr, 0), name));
    }

    @ParameterizedTest
    @ValueSource(ints = {0 /* read */, 1 /* write */, 57 /* fork */, 59 /* execve */, 61 /* wait4 */, 62 /* kill */,
            157 /* prctl */, 170 /* sethostname: caps decide */, 257 /* openat */, 231 /* exit_group */})
    void shouldAllowOrdinaryCalls(int nr) {
        assertEquals(ALLOW, run(AUDIT_ARCH_X86_64, nr, 0));
    }

    @Test
    void shouldDenyCloneIntoANewUserNamespaceOnly() {
        assertEquals(EPERM, run(AUDIT_ARCH_X86_64, 56, 0x1000_0000L | 17));
        assertEquals(ALLOW, run(AUDIT_ARCH_X86_64, 56, 0x01200011L), "glibc fork()'s flags");
    }

    @Test
    void shouldAnswerClone3WithEnosysSoLibcFallsBackToClone() {
        assertEquals(ENOSYS, run(AUDIT_ARCH_X86_64, 435, 0));
    }

    @Test
    void shouldRefuseX32AndKillOtherArchitectures() {
        assertEquals(ENOSYS, run(AUDIT_ARCH_X86_64, 0x4000_0000 | 165, 0));
        assertEquals(KILL_PROCESS, run(AUDIT_ARCH_I386, 21 /* i386 mount */, 0));
    }

    @Test
    void shouldCheckTheArchitectureFirst() {
        List<Instruction> code = program.instructions();
        assertEquals(new Instruction((short) 0x20, 0, 0, 4), code.get(0), "load seccomp_data.arch");
        assertEquals(AUDIT_ARCH_X86_64, code.get(1).k());
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
    void shouldUseTheKernelHeadersSyscallNumbers() throws IOException {
        Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
        assumeTrue(Files.exists(header), "no kernel headers to compare with at " + header);
        Map<String, Integer> numbers = new HashMap<>();
        Matcher m = Pattern.compile("#define __NR_(\\w+) (\\d+)").matcher(Files.readString(header));
        while (m.find()) {
            numbers.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        SeccompProgram.DENIED.forEach((name, nr) -> {
            assertTrue(numbers.containsKey(name), name + " is not in " + header);
            assertEquals(numbers.get(name), nr, name);
        });
    }
}
