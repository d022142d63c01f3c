package io.actord.daemon.run;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerUrlsTest {
    private final ContainerUrls hostForm = new ContainerUrls(() -> "http://127.0.0.1:7070/", Optional.of("runs.test"));
    private final ContainerUrls pathForm = new ContainerUrls(() -> "https://actord.example.com", Optional.empty());

    /**
     * Every token is at least 128 bits' worth of [a-z0-9] characters, and every position takes all 36 of them
     * over 1000 tokens (a symbol missing from one position by chance: 1000 × (35/36)^1000 ≈ 1e-9), so no
     * position is fixed or drawn from a smaller alphabet.
     */
    @Test
    void shouldMakeTokensOfAtLeast128RandomBitsThatSurviveCaseFolding() {
        Set<String> tokens = new HashSet<>();
        List<Set<Character>> seenAt = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String token = ContainerUrls.newToken();
            assertTrue(token.matches("[a-z0-9]+"), token);
            assertTrue(token.length() * Math.log(36) / Math.log(2) >= 128, token);
            for (int p = 0; p < token.length(); p++) {
                if (seenAt.size() <= p) {
                    seenAt.add(new HashSet<>());
                }
                seenAt.get(p).add(token.charAt(p));
            }
            tokens.add(token);
        }
        assertEquals(1000, tokens.size());
        for (int p = 0; p < seenAt.size(); p++) {
            assertEquals(36, seenAt.get(p).size(), "characters seen at position " + p + ": " + seenAt.get(p));
        }
    }

    @Test
    void shouldUseTheHostFormWhenThereIsAContainersDomainAndThePathFormOtherwise() {
        assertEquals("http://abc.runs.test:7070/", hostForm.url("abc"));
        assertEquals("http://127.0.0.1:7070/containers/abc/", hostForm.pathUrl("abc"));
        assertEquals("https://actord.example.com/containers/abc/", pathForm.url("abc"));
        assertEquals(Optional.empty(), pathForm.hostUrl("abc"));
        assertEquals("https", pathForm.scheme());
    }

    @Test
    void shouldFindTheLabelOfHostsInTheContainersDomainOnly() {
        assertEquals(Optional.of("abc"), hostForm.hostLabel("ABC.Runs.Test:7070"));
        assertEquals(Optional.of("abc"), hostForm.hostLabel("abc.runs.test."));
        assertEquals(Optional.of("a.b"), hostForm.hostLabel("a.b.runs.test"));
        assertEquals(Optional.empty(), hostForm.hostLabel("runs.test:7070"));
        assertEquals(Optional.empty(), hostForm.hostLabel("127.0.0.1:7070"));
        assertEquals(Optional.empty(), hostForm.hostLabel("abcruns.test"));
        assertEquals(Optional.empty(), hostForm.hostLabel("[::1]:7070"));
        assertEquals(Optional.empty(), hostForm.hostLabel(null));
        assertEquals(Optional.empty(), pathForm.hostLabel("abc.runs.test"));
    }

    @Test
    void shouldSplitPathFormTargetsIntoTokenAndRest() {
        ContainerUrls.PathTarget t = hostForm.pathTarget("/containers/abc/x/y?z=1").orElseThrow();
        assertEquals("abc", t.token());
        assertEquals("/x/y?z=1", t.rest());
        assertEquals("/containers/abc", t.prefix());
        assertFalse(t.needsSlash());
        assertTrue(hostForm.pathTarget("/containers/abc?z=1").orElseThrow().needsSlash());
        assertTrue(hostForm.pathTarget("/containers/abc").orElseThrow().needsSlash());
        assertEquals("", hostForm.pathTarget("/containers//x").orElseThrow().token());
        assertEquals(Optional.empty(), hostForm.pathTarget("/containers"));
        assertEquals(Optional.empty(), hostForm.pathTarget("/v2/actor-runs"));
    }
}
