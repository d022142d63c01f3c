package io.actord.runtime;

import io.actord.runtime.sys.Errno;
import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.testing.RecordingLinux;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    @Test
    void shouldHandOverAnAsyncResultOnlyOnceBackInItsNamespace() {
        RecordingLinux linux = new RecordingLinux();
        List<List<String>> seen = new ArrayList<>();
        String value = new NetworkNamespaces(linux).callAsync(Path.of("/proc/42/ns/net"), () -> "socket")
                .thenApply(v -> {
                    seen.add(linux.calls());
                    seen.add(linux.openFds().stream().map(String::valueOf).toList());
                    return v;
                }).join();
        assertEquals("socket", value);
        assertEquals(4, seen.get(0).size(), seen.toString());
        assertTrue(seen.get(0).get(3).startsWith("setns(100, CLONE_NEWNET"), seen.toString());
        assertTrue(seen.get(1).isEmpty(), "both namespace descriptors closed before completion: " + seen);
    }

    @Test
    void shouldFailTheAsyncResultWhenTheNamespaceCannotBeEntered() {
        RecordingLinux linux = new RecordingLinux().failOn("setns(101", Errno.EINVAL);
        CompletableFuture<String> result = new NetworkNamespaces(linux).callAsync(Path.of("/proc/42/ns/net"),
                () -> "never");
        CompletionException e = assertThrows(CompletionException.class, result::join);
        assertTrue(e.getCause() instanceof SyscallException, e.toString());
    }
}
