package io.actord.daemon.http.routes;

import io.actord.daemon.BuildInfo;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** /healthz and /v2/actord/status say which build answers. */
class VersionRoutesTest {
    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldReportTheBuildsVersion() throws Exception {
        assertNotEquals("dev", BuildInfo.version(), "build.properties was not filtered by the build");
        assertEquals(BuildInfo.version(), daemon.api().get("/healthz").expect(200).data().get("version").asText());
        assertEquals(BuildInfo.version(),
                daemon.admin("GET", "/v2/actord/status", null).expect(200).data().get("version").asText());
    }
}
