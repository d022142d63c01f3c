package io.actord.daemon.actor;

import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stored builds of earlier schemas read as what they were: image imports that SUCCEEDED. */
class BuildRecordTest {
    @Test
    void shouldReadASchema2ImportAsASucceededBuildWithApiMeta() throws Exception {
        String stored = """
                {"schemaVersion":2,"id":"B0000000000000001","actId":"A0000000000000001","userId":"U0000000000000001",
                 "seq":1,"buildNumber":"0.0.1","status":"SUCCEEDED","startedAt":"2026-11-01T10:00:00.000Z",
                 "finishedAt":"2026-11-01T10:00:02.000Z","rootfs":null,"layers":["sha256:%s"],
                 "source":"oci:/srv/img:1.0","command":["/bin/sh","-c","echo hi"],"env":{"A":"1"},"workDir":"/app",
                 "user":{"uid":1000,"gid":1000}}""".formatted("a".repeat(64));

        Build build = Json.MAPPER.readValue(stored, Build.class);

        assertEquals(BuildStatus.SUCCEEDED, build.buildStatus());
        assertTrue(build.isTerminal());
        assertEquals(Build.Meta.API, build.meta());
        assertNull(build.options(), "an import had no build options");
        assertNull(build.actorDefinition());
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), build.command());
        assertEquals(2000, build.duration(Instant.parse("2026-12-01T00:00:00Z")).toMillis());
    }

    @Test
    void shouldEndOnlyInATerminalStatus() {
        Build ready = Build.ready("B0000000000000002", "A", "U", 2, "0.1.1", Instant.EPOCH, "version 0.1",
                Build.Meta.API, new Build.Options(false, false, 4096, 8192, 1800), "host");
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        assertNull(ready.withStatus(BuildStatus.RUNNING, now).finishedAt(), "RUNNING has not finished");
        assertEquals(now, ready.withStatus(BuildStatus.ABORTED, now).finishedAt());
        assertEquals("TIMED-OUT", ready.withStatus(BuildStatus.TIMED_OUT, now).status());
    }
}
