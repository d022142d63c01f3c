package io.actord.daemon.compat;

import io.actord.daemon.testing.ApifyClientScripts;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published apify-client's webhook clients ({@code webhooks()}, {@code webhook(id)},
 * {@code webhookDispatches()}, {@code webhookDispatch(id)}) against a real daemon on the fake runtime:
 * src/test/js/webhooks.test.mjs, which receives the webhooks itself on loopback (allowed here by the egress
 * policy that guards webhooks).
 */
@ApifyCompat
class WebhookClientIT {
    @TempDir
    Path dir;

    @Test
    void shouldWorkWithThePublishedWebhookClients() throws Exception {
        Path work = ApifyClientScripts.install();
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1),
                List.of("--egress-allow", "127.0.0.0/8", "--webhook-first-retry-ms", "500"))) {
            String output = ApifyClientScripts.run(work, daemon, Map.of(
                    "HOOKED", daemon.actor("hooked", "exit", "0")), "webhooks.test.mjs");
            assertTrue(output.contains("pass 5") && output.contains("fail 0"), output);
        }
    }
}
