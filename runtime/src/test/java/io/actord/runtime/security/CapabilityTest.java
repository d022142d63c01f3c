package io.actord.runtime.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CapabilityTest {
    @Test
    void shouldMatchDockersDefaultMask() {
        assertEquals(0x00000000a80425fbL, Capability.mask(Capability.DOCKER_DEFAULT));
    }

    @Test
    void shouldGiveRunsDockersDefaultButNetRawAndAuditWrite() {
        assertEquals(0x00000000880405fbL, Capability.mask(Capability.RUN_DEFAULT));
        assertEquals(Capability.mask(Capability.DOCKER_DEFAULT) & ~Capability.NET_RAW.bit()
                & ~Capability.AUDIT_WRITE.bit(), Capability.mask(Capability.RUN_DEFAULT));
    }

    @Test
    void shouldNumberCapabilitiesAsTheKernelDoes() {
        assertEquals(21, Capability.SYS_ADMIN.ordinal());
        assertEquals(27, Capability.MKNOD.ordinal());
        assertEquals(40, Capability.CHECKPOINT_RESTORE.ordinal());
    }
}
