package io.actord.daemon.run;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standby-URL format of {@link ContainerUrls}, both ways. */
class StandbyUrlsTest {
    private final ContainerUrls hostForm = new ContainerUrls(() -> "http://127.0.0.1:7070/", Optional.of("runs.test"));
    private final ContainerUrls pathForm = new ContainerUrls(() -> "https://actord.example.com", Optional.empty());

    @Test
    void shouldMakeTheLabelOfUsernameAndActorNameInLowercaseWithDotsAndUnderscoresAsDashes() {
        assertEquals("jane--my-actor", ContainerUrls.standbyLabel("jane", "my-actor"));
        assertEquals("jane-doe-x--myactor", ContainerUrls.standbyLabel("Jane.Doe_X", "MyActor"));
    }

    @Test
    void shouldUseTheHostFormWithADomainAndThePathFormOtherwise() {
        assertEquals("http://jane--echo.runs.test:7070/", hostForm.standbyUrl("jane", "echo"));
        assertEquals("https://actord.example.com/standby/jane--echo/", pathForm.standbyUrl("jane", "echo"));
        assertEquals("http://127.0.0.1:7070/standby/jane--echo/", hostForm.standbyPathUrl("jane--echo"));
        assertEquals(Optional.empty(), pathForm.standbyHostUrl("jane--echo"));
    }

    @Test
    void shouldGiveALabelLongerThanADnsLabelThePathFormEvenWithADomain() {
        String user = "u".repeat(30);
        String fits = "a".repeat(ContainerUrls.MAX_HOST_LABEL - 32);
        assertEquals("http://" + user + "--" + fits + ".runs.test:7070/", hostForm.standbyUrl(user, fits));
        String longer = fits + "b";
        assertEquals("http://127.0.0.1:7070/standby/" + user + "--" + longer + "/", hostForm.standbyUrl(user, longer));
    }

    @Test
    void shouldFindTheStandbyTargetOfTheHostForm() {
        ContainerUrls.StandbyTarget t = hostForm.standbyTarget("Jane--Echo.Runs.Test:7070", "/a/b?c=d").orElseThrow();
        assertEquals("jane--echo", t.label());
        assertEquals("jane", t.username());
        assertEquals("echo", t.actorName());
        assertEquals("/a/b?c=d", t.rest());
        assertEquals(Optional.empty(), t.prefix());
        assertFalse(t.needsSlash());
        assertEquals("jane", hostForm.standbyTarget("jane--my--actor.runs.test", "/").orElseThrow().username(),
                "split at the first --");
        assertEquals("/standby/x--y", hostForm.standbyTarget("jane--echo.runs.test", "/standby/x--y").orElseThrow()
                .rest(), "in the host form the whole path is the actor's");
    }

    @Test
    void shouldFindTheStandbyTargetOfThePathForm() {
        ContainerUrls.StandbyTarget t = pathForm.standbyTarget("actord.example.com", "/standby/Jane--Echo/x?y=1")
                .orElseThrow();
        assertEquals("jane--echo", t.label());
        assertEquals("/x?y=1", t.rest());
        assertEquals(Optional.of("/standby/Jane--Echo"), t.prefix());
        assertFalse(t.needsSlash());
        ContainerUrls.StandbyTarget bare = pathForm.standbyTarget(null, "/standby/jane--echo?q").orElseThrow();
        assertEquals("?q", bare.rest());
        assertTrue(bare.needsSlash());
        assertTrue(hostForm.standbyTarget("127.0.0.1:7070", "/standby/jane--echo/").isPresent(),
                "the path form on the API's host, with a domain too");
    }

    @Test
    void shouldNeverTakeARunTokenOrTheApiForAStandbyTarget() {
        String token = ContainerUrls.newToken();
        assertEquals(Optional.empty(), hostForm.standbyTarget(token + ".runs.test", "/"));
        assertEquals(Optional.empty(), hostForm.standbyTarget("127.0.0.1:7070", "/containers/" + token + "/"));
        assertEquals(Optional.empty(), pathForm.standbyTarget("actord.example.com", "/v2/acts"));
        assertEquals(Optional.empty(), pathForm.standbyTarget(null, "/standby/nolabel/"));
        assertEquals(Optional.empty(), pathForm.standbyTarget(null, "/standby/--echo/"));
        assertEquals(Optional.empty(), pathForm.standbyTarget(null, "/standby/jane--/"));
        assertEquals(Optional.empty(), pathForm.standbyTarget(null, "/standby/"));
        assertEquals(Optional.empty(), hostForm.standbyTarget("a.jane--echo.runs.test", "/"), "one label only");
        assertEquals(Optional.empty(), pathForm.standbyTarget(null, null));
        assertEquals(Optional.empty(), hostForm.pathTarget("/standby/jane--echo/"), "not a container URL either");
    }
}
