package io.actord.runtime.sys;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyscallExceptionTest {
    @Test
    void shouldSpellTheCallAsCWithTheErrnoNameAndText() {
        MountSpec overlay = MountSpec.filesystem("overlay", Path.of("/run/x/rootfs"), "overlay",
                Set.of(MountFlag.MS_NODEV), "lowerdir=/l");

        SyscallException e = new SyscallException("mount", Errno.EINVAL.number(), overlay.source(), overlay.target(),
                overlay.fsType(), overlay.flags(), overlay.data());

        assertEquals("mount(\"overlay\", \"/run/x/rootfs\", \"overlay\", MS_NODEV, \"lowerdir=/l\"): EINVAL (Invalid argument)",
                e.getMessage());
        assertTrue(e.is(Errno.EINVAL));
        assertEquals(overlay + ": EINVAL (Invalid argument)", e.getMessage());
    }

    @Test
    void shouldRenderNullsFlagSetsAndLists() {
        assertEquals("f(NULL, 0, MS_RDONLY|MS_BIND, [\"a\", 1], 7)", SyscallException.render("f", null,
                EnumSet.noneOf(MountFlag.class), EnumSet.of(MountFlag.MS_BIND, MountFlag.MS_RDONLY), List.of("a", 1), 7));
    }

    @Test
    void shouldNameUnknownErrnos() {
        assertEquals("errno 4000", Errno.describe(4000));
        assertEquals("EDQUOT (Disk quota exceeded)", Errno.describe(122));
    }
}
