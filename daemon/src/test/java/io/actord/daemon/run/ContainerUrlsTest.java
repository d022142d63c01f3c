package io.actord.daemon.run;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerUrlsTest {
    private final ContainerUrls hostForm = new ContainerUrls(() -> "http://127.0.0.1:7070/", Optional.of("runs.test"));
    private final ContainerUrls pathForm = new ContainerUrls(() -> "https://actord.example.com", Optional.empty());

    @Test
    void shouldMakeTokensOfAtLeast128RandomBitsThatSurviveCaseFolding() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = ContainerUrls.newToken();
            assertTrue(token.matches("[a-z0-9]+"), token);
            tokens.add(token);
        }
        assertEquals(1000, tokens.size());
        assertTrue(ContainerUrls.TOKEN_LENGTH * Math.log(36) / Math.log(2) >= 128);
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
