package io.actord.runtime;

import io.actord.runtime.sys.Errno;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.testing.RecordingLinux;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkNamespacesTest {
    @Test
    void shouldEnterRunTheActionAndComeBackOnAnotherThread() {
        RecordingLinux linux = new RecordingLinux();
        String[] ranOn = new String[1];
        String result = new NetworkNamespaces(linux).call(Path.of("/proc/42/ns/net"), () -> {
            ranOn[0] = Thread.currentThread().getName();
            return "socket";
        });
        assertEquals("socket", result);
        assertEquals("netns-enter", ranOn[0]);
        assertNotEquals("netns-enter", Thread.currentThread().getName());
        List<String> calls = linux.calls();
        assertTrue(calls.get(0).startsWith("open(\"/proc/thread-self/ns/net\""), calls.toString());
        assertTrue(calls.get(1).startsWith("open(\"/proc/42/ns/net\""), calls.toString());
        assertTrue(calls.get(2).startsWith("setns(101, CLONE_NEWNET"), calls.toString());
        assertTrue(calls.get(3).startsWith("setns(100, CLONE_NEWNET"), calls.toString());
        assertTrue(linux.openFds().isEmpty(), "both namespace descriptors closed: " + linux.openFds());
    }

    @Test
    void shouldGoBackEvenWhenTheActionFails() {
        RecordingLinux linux = new RecordingLinux();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NetworkNamespaces(linux)
                .call(Path.of("/proc/42/ns/net"), () -> {
                    throw new IllegalStateException("bind failed");
                }));
        assertEquals("bind failed", e.getMessage());
        assertTrue(linux.calls().get(3).startsWith("setns(100, CLONE_NEWNET"), linux.calls().toString());
        assertTrue(linux.openFds().isEmpty());
    }

    @Test
    void shouldReportANamespaceThatCannotBeEntered() {
        RecordingLinux linux = new RecordingLinux().failOn("setns(101", Errno.EINVAL);
        assertThrows(SyscallException.class, () -> new NetworkNamespaces(linux).call(Path.of("/proc/42/ns/net"),
                () -> "never"));
        assertTrue(linux.openFds().isEmpty());
    }
}
