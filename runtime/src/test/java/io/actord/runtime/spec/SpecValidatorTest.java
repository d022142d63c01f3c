package io.actord.runtime.spec;

import io.actord.cgroups.testing.TestLimits;
import io.actord.runtime.BindMount;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.DiskLimit;
import io.actord.runtime.NetworkMode;
import io.actord.runtime.Output;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecValidatorTest {
    @TempDir
    Path dir;

    private ContainerSpec spec(String id, List<Path> layers, List<String> command, Map<String, String> env,
                               String workDir, String hostname, List<BindMount> mounts, Path runDir) {
        return new ContainerSpec(id, layers, command, env, workDir, ContainerSpec.User.ROOT, hostname,
                TestLimits.forMemory(128), DiskLimit.unlimited(), NetworkMode.ISOLATED, mounts, new Output.Discard(), runDir);
    }

    private ContainerSpec valid() {
        return spec("run-1", List.of(dir), List.of("/bin/true"), Map.of("PATH", "/bin"), "/", "run-1.example",
                List.of(new BindMount(dir, "/data", true)), dir.resolve("runs/run-1"));
    }

    @Test
    void shouldAcceptAValidSpec() {
        SpecValidator.validate(valid());
    }

    @Test
    void shouldListEveryProblemAtOnce() {
        ContainerSpec bad = spec("../x", List.of(Path.of("relative"), dir.resolve("a,b")), List.of("a\0b"),
                Map.of("A=B", "1"), "work", "-bad-", List.of(new BindMount(dir, "/proc/sys", false)),
                Path.of("runs/x"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpecValidator.validate(bad));

        List<String> problems = SpecValidator.problems(bad);
        assertEquals(10, problems.size(), problems.toString());
        assertTrue(e.getMessage().startsWith("invalid container spec ../x: id: invalid cgroup name"), e.getMessage());
        for (String expected : List.of("layer relative is not an absolute path", "contains ',', ':'",
                "command argument contains NUL", "environment variable \"A=B\"", "workDir must be an absolute path",
                "hostname must be", "bind mount target /proc/sys", "runDir must be an absolute path")) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " in " + problems);
        }
    }

    @Test
    void shouldTakeAsManyLayersAsOverlayfsStacksAndNoMore() {
        ContainerSpec ok = spec("run-1", Collections.nCopies(500, dir), List.of("/bin/true"), Map.of(), "/",
                "h", List.of(), dir.resolve("runs/run-1"));
        ContainerSpec tooMany = spec("run-1", Collections.nCopies(501, dir), List.of("/bin/true"), Map.of(),
                "/", "h", List.of(), dir.resolve("runs/run-1"));

        SpecValidator.validate(ok);
        assertEquals(List.of("501 layers: overlayfs stacks at most 500"), SpecValidator.problems(tooMany));
    }

    @Test
    void shouldRefuseHostnamesTheKernelWouldTruncate() {
        ContainerSpec longName = spec("run-1", List.of(dir), List.of("/bin/true"), Map.of(), "/", "a".repeat(65),
                List.of(), dir.resolve("r"));

        assertEquals(1, SpecValidator.problems(longName).size());
    }

    @Test
    void shouldRefuseBindSourcesThatDoNotExist() {
        ContainerSpec missing = spec("run-1", List.of(dir), List.of("/bin/true"), Map.of(), "/", "h",
                List.of(new BindMount(dir.resolve("nope"), "/data", false)), dir.resolve("r"));

        assertTrue(SpecValidator.problems(missing).get(0).contains("nope is not an absolute path that exists"));
    }
}
