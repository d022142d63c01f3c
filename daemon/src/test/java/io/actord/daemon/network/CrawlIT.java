package io.actord.daemon.network;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.EgressDaemon;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.runtime.testing.FakeInternet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The published apify SDK and crawlee in an egress run: a CheerioCrawler (site-crawler-actor.mjs, in the
 * node rootfs of ApifySdkIT) crawls a site served from the test's fake internet — resolved through the run's
 * DNS, fetched through its veth — and pushes one dataset item per page through the in-run API. The daemon
 * denies everything but the fake internet, so whatever else the SDK tries on its own gets nowhere.
 */
@Tag("privileged")
class CrawlIT {
    /** Pages besides the index: 25 in all. */
    private static final int PAGES = 24;

    @TempDir
    Path dir;
    private FakeInternet internet;
    private EgressDaemon egress;
    private List<String> paths;

    @BeforeEach
    void start() throws Exception {
        String reason = ItRuntime.unavailableReason().orElse(null);
        if (reason != null) {
            System.out.println("SKIPPED CrawlIT: " + reason);
        }
        assumeTrue(reason == null, "SKIPPED CrawlIT: " + reason);
        NodeScripts.install();
        NodeScripts.rootfs();
        Path site = Files.createDirectories(dir.resolve("site"));
        paths = FakeInternet.writeSite(site, PAGES);
        internet = FakeInternet.start(site);
    }

    @AfterEach
    void stop() {
        try {
            if (egress != null) {
                egress.close();
            }
        } finally {
            if (internet != null) {
                internet.close();
            }
        }
    }

    @Test
    void shouldCrawlEveryPageOfASiteOnTheFakeInternetWithCrawlee() throws Exception {
        egress = EgressDaemon.start(dir, internet, List.of());
        String actor = egress.daemon().actor("site-crawler", NodeScripts.ROOTFS,
                List.of("/usr/bin/node", "/app/site-crawler-actor.mjs"));
        long started = System.nanoTime();
        JsonNode run = egress.run(actor, "memory=4096", "{\"startUrl\":\"http://site.test/\",\"expectedPages\":"
                + paths.size() + "}", Duration.ofMinutes(5));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String log = egress.log(run);
        assertEquals("SUCCEEDED", run.get("status").asText(), log);
        assertEquals("egress", run.get("options").get("network").asText());

        JsonNode items = egress.daemon().api().get("/v2/datasets/" + run.get("defaultDatasetId").asText()
                + "/items?format=json").expect(200).json();
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < paths.size(); i++) {
            expected.put("http://site.test" + paths.get(i), FakeInternet.title(i));
        }
        Map<String, String> got = new TreeMap<>();
        for (JsonNode item : items) {
            got.put(item.get("url").asText(), item.get("title").asText());
        }
        assertEquals(paths.size(), items.size(), "one item per page: " + items);
        assertEquals(expected, got);
        long rx = run.get("stats").get("netRxBytes").asLong();
        assertTrue(rx > 0, "the pages came in over the run's eth0: " + run.get("stats"));
        System.out.println("CrawlIT: crawlee crawled " + items.size() + " pages of http://site.test/ on the fake"
                + " internet in " + took.toMillis() + " ms (run start to end, as the API saw it); netRxBytes=" + rx
                + " netTxBytes=" + run.get("stats").get("netTxBytes").asLong());
    }
}
