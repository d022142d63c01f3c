package io.actord.runtime.userns;

import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.testing.RecordingLinux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BindOwnershipTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveEveryEntryToTheSameIdOfTheRange() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path file = Files.writeString(sub.resolve("OUTPUT"), "{}");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc/shadow"));
        IdRangePool pool = new IdRangePool(1_000_000, 4);
        IdRange range = new IdRange(1_000_000 + 65536, 65536);
        RecordingLinux linux = new RecordingLinux();

        BindOwnership.shift(linux, dir, range, pool);

        long uid = id(dir, "uid");
        long gid = id(dir, "gid");
        assertEquals(List.of(dir, link, sub, file).stream()
                        .map(p -> SyscallException.render("lchown", p, (int) (range.hostStart() + uid),
                                (int) (range.hostStart() + gid))).sorted().toList(),
                linux.calls().stream().sorted().toList(),
                "each entry once, the link itself and not /etc/shadow");
    }

    private static long id(Path path, String which) throws IOException {
        long id = ((Number) Files.getAttribute(path, "unix:" + which, LinkOption.NOFOLLOW_LINKS)).longValue();
        assertTrue(id < 65536, "the test's own files have host ids below 65536: " + id);
        return id;
    }
}
