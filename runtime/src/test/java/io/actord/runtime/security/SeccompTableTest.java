package io.actord.runtime.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.actord.runtime.security.SeccompTable.Allow;
import io.actord.runtime.security.SeccompTable.AllowIfArg0In;
import io.actord.runtime.security.SeccompTable.Deny;
import io.actord.runtime.sys.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The checked-in table, its generator, and the check that the two have not drifted apart. */
class SeccompTableTest {
    @Test
    void shouldBeWhatTheGeneratorMakesFromTheInstalledPackages() throws IOException {
        for (Path source : List.of(SeccompTableGenerator.PROFILE, SeccompTableGenerator.UNISTD_64)) {
            if (!Files.exists(source)) {
                String reason = "cannot check seccomp-x86_64.txt against its source: " + source
                        + " is missing (Debian packages golang-github-containers-common and linux-libc-dev)";
                System.out.println("SeccompTableTest: skipped: " + reason);
                assumeTrue(false, reason);
            }
        }
        String checkedIn;
        try (InputStream in = SeccompTable.class.getResourceAsStream(SeccompTable.RESOURCE)) {
            checkedIn = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(SeccompTableGenerator.generate().format(), checkedIn,
                "the installed packages changed: run runtime/src/build/seccomp-table and commit the table");
    }

    @Test
    void shouldReadBackWhatItWrites() {
        SeccompTable table = SeccompTable.bundled();
        assertEquals(table, SeccompTable.parse(table.format()));
        assertTrue(table.header().stream().anyMatch(h -> h.contains("golang-github-containers-common")));
    }

    @Test
    void shouldApplyTheProfileForActordsCapabilities() throws IOException {
        SeccompTable table = generate("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "syscalls": [
                  {"names": ["read", "setns"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["setns", "write"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                  {"names": ["chroot"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_CHROOT"]}},
                  {"names": ["acct"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_PACCT"]}},
                  {"names": ["acct"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_SYS_PACCT"]}},
                  {"names": ["open"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]}},
                  {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                   "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                   "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]}
                ]}""");

        assertEquals(new Allow(), table.byName("read").action());
        assertEquals(new Deny(Errno.EPERM), table.byName("write").action());
        assertEquals(new Allow(), table.byName("chroot").action(), "CAP_SYS_CHROOT is Docker's");
        assertEquals(new Deny(Errno.EPERM), table.byName("acct").action(), "CAP_SYS_PACCT is not");
        assertEquals(new Deny(Errno.ENOSYS), table.byName("open").action(), "s390x only: the default errno");
        assertEquals("default", table.byName("open").source());
        assertEquals(new AllowIfArg0In(List.of(8L, 0L), Errno.ENOSYS), table.byName("personality").action());
        assertEquals(new Deny(Errno.EPERM), table.byName("setns").action(), "actord's hardening");
        assertEquals("actord", table.byName("setns").source());
    }

    @Test
    void shouldStopAtARuleItCannotCompile() {
        assertThrows(IllegalArgumentException.class, () -> generate("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]}]}"""));
        assertThrows(IllegalArgumentException.class, () -> generate("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW",
                 "includes": {"minKernel": "4.8"}}]}"""));
        assertThrows(IllegalArgumentException.class, () -> generate("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}"""));
    }

    /** A profile over the syscall numbers of the checked-in table. */
    private static SeccompTable generate(String profile) throws IOException {
        JsonNode json = new ObjectMapper().readTree(profile);
        Map<String, Integer> numbers = new LinkedHashMap<>();
        SeccompTable.bundled().entries().values().forEach(e -> numbers.put(e.name(), e.nr()));
        return SeccompTableGenerator.generate(List.of("# test"), json, numbers);
    }
}
