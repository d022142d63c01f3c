package io.actord.cgroups.fs;

import io.actord.cgroups.CgroupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CgroupFilesTest {
    @TempDir
    Path dir;

    @Test
    void shouldNameFileDataAndErrnoWhenWriteFails() {
        Path missing = dir.resolve("pids.max");

        var e = assertThrows(CgroupException.class, () -> CgroupFiles.write(missing, "16"));

        assertEquals("write \"16\" to " + missing + ": ENOENT (No such file or directory)", e.getMessage());
        assertEquals(missing, e.file().orElseThrow());
    }

    @Test
    void shouldReplaceContentOnWrite() throws Exception {
        Path file = Files.writeString(dir.resolve("memory.max"), "max\n");

        CgroupFiles.write(file, "1048576");

        assertEquals("1048576", Files.readString(file));
    }

    @Test
    void shouldParseKeyValueFiles() throws Exception {
        Path file = Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");

        assertEquals(Map.of("low", 0L, "high", 0L, "max", 3L, "oom", 1L, "oom_kill", 1L), CgroupFiles.readKeyValues(file));
        assertEquals(1, CgroupFiles.readKey(file, "oom_kill", -7));
        assertEquals(-7, CgroupFiles.readKey(file, "oom_group_kill", -7));
    }

    @Test
    void shouldReadPidsOnePerLine() throws Exception {
        Path file = Files.writeString(dir.resolve("cgroup.procs"), "12\n345\n");

        assertEquals(Set.of(12L, 345L), CgroupFiles.readPids(file));
        assertEquals(Set.of(), CgroupFiles.readPids(Files.writeString(dir.resolve("empty"), "")));
    }

    @Test
    void shouldSayWhatIsNotANumber() throws Exception {
        Path file = Files.writeString(dir.resolve("memory.current"), "lots\n");

        var e = assertThrows(CgroupException.class, () -> CgroupFiles.readLong(file));

        assertEquals("read " + file + ": not a number: \"lots\"", e.getMessage());
    }
}
