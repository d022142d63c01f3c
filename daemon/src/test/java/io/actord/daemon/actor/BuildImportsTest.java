package io.actord.daemon.actor;

import io.actord.daemon.api.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Imports that never end (a FIFO opened for reading did) take at most the pool, never the caller's thread. */
class BuildImportsTest {
    @Test
    void shouldRunImportsOffTheCallersThreadAndRefuseThoseBeyondTheBound() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), this::fillAndRelease, "an import held the caller");
    }

    private void fillAndRelease() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        try (BuildImports imports = new BuildImports(2, 3)) {
            List<CompletableFuture<String>> hung = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                hung.add(imports.submit(() -> {
                    started.countDown();
                    await(release);
                    return Thread.currentThread().getName();
                }));
            }
            assertTrue(started.await(30, TimeUnit.SECONDS), "two imports run at once");
            ApiException refused = assertThrows(ApiException.class, () -> imports.submit(() -> "one too many"));
            assertEquals(503, refused.type().status());
            assertEquals("service-unavailable", refused.type().type());
            assertTrue(hung.stream().noneMatch(CompletableFuture::isDone), "the caller was not held by any of them");

            release.countDown();
            for (CompletableFuture<String> f : hung) {
                assertTrue(f.get(30, TimeUnit.SECONDS).startsWith("image-import-"), f.get());
            }
            assertEquals("again", imports.submit(() -> "again").get(30, TimeUnit.SECONDS), "a free slot takes work");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
