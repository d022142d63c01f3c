package io.actord.daemon.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code POST /v2/actord/backup}: what it writes, and the requests it refuses (admin socket only, bad targets). */
class BackupApiTest {
    @TempDir
    Path dir;

    private TestDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        daemon = TestDaemon.start(dir.resolve("daemon"), new FakeRuntime(), Duration.ofSeconds(1));
        if (TestDaemon.onPostgres()) {
            JsonNode error = backup(dir.resolve("backup")).expect(400).json().get("error");
            assertEquals("not-implemented", error.get("type").asText());
            System.out.println("SKIPPED " + getClass().getSimpleName() + " on PostgreSQL: the backup refuses it ("
                    + error.get("message").asText() + ")");
            assumeTrue(false, "the backup copies a RocksDB state only");
        }
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void shouldWriteAPrivateBackupWithItsManifest() throws Exception {
        String actor = daemon.actor("hello", "echo", "hi");
        daemon.api().post("/v2/acts/" + actor + "/runs?waitForFinish=10").expect(201);
        Path target = dir.resolve("backup");
        JsonNode m = backup(target).expect(201).data();
        assertEquals("actord-backup", m.get("format").asText());
        assertEquals(1, m.get("formatVersion").asInt());
        assertEquals(1, m.get("records").get("actors").asInt(), m.toString());
        assertEquals(1, m.get("records").get("runs").asInt(), m.toString());
        assertEquals(1, m.get("logs").asInt(), m.toString());
        assertEquals(1, m.get("layers").size(), m.toString());
        assertTrue(m.get("layersLinked").asBoolean(), "the backup is on the state's file system: " + m);
        assertTrue(m.get("secretsKey").asBoolean(), m.toString());
        assertEquals(Files.isDirectory(dir.resolve("daemon/state/input-secrets")), m.get("inputSecrets").asBoolean(),
                "the input secrets' key pair, made at its first use: " + m);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        for (String name : new String[] {"manifest.json", "rocksdb/CURRENT", "secrets.key", "logs"}) {
            assertTrue(Files.exists(target.resolve(name)), name);
        }
        Path layer = target.resolve("layers/sha256").resolve(m.get("layers").get(0).asText().substring(7));
        assertTrue(Files.isDirectory(layer), layer.toString());
    }

    @Test
    void shouldTakeAnEmptyDirectoryButRefuseANonEmptyOne() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        backup(empty).expect(201);
        TestDaemon.Response again = backup(empty).expect(400);
        assertEquals("invalid-value", again.errorType());
        assertTrue(again.text().contains("is not empty"), again.text());
        assertTrue(Files.exists(empty.resolve("manifest.json")), "the first backup is left as it was");
    }

    @Test
    void shouldRefuseBadTargets() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        assertRefused(daemon.admin("/v2/actord/backup", "{\"directory\":\"relative/dir\"}"), "absolute path");
        assertRefused(backup(dir.resolve("missing/backup")), "does not exist");
        assertRefused(backup(dir.resolve("file")), "not a directory");
        assertRefused(backup(dir.resolve("daemon/state/inside")), "state directory");
        assertRefused(backup(dir), "state directory");
        assertRefused(daemon.admin("/v2/actord/backup", "{\"directory\":\"/tmp/a\\u0000b\"}"), "not a path");
        TestDaemon.Response none = daemon.admin("/v2/actord/backup", "{}").expect(400);
        assertEquals("invalid-input", none.errorType(), none.text());
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    @Test
    void shouldBeOnlyTheAdminSockets() throws Exception {
        String body = "{\"directory\":\"" + dir.resolve("tcp") + "\"}";
        TestDaemon.Response admin = daemon.api().post("/v2/actord/backup", body).expect(403);
        assertEquals("insufficient-permissions", admin.errorType());
        TestDaemon.Response user = daemon.user("someone").post("/v2/actord/backup", body).expect(403);
        assertEquals("insufficient-permissions", user.errorType());
        int anonymous = daemon.anonymous().post("/v2/actord/backup", body).status();
        assertTrue(anonymous == 401 || anonymous == 403, "anonymous: " + anonymous);
        assertFalse(Files.exists(dir.resolve("tcp")), "nothing was written");
    }

    private static void assertRefused(TestDaemon.Response r, String says) {
        r.expect(400);
        assertEquals("invalid-value", r.errorType(), r.text());
        assertTrue(r.text().contains(says), r.text());
    }

    private TestDaemon.Response backup(Path target) throws IOException {
        return daemon.admin("/v2/actord/backup", "{\"directory\":\"" + target + "\"}");
    }
}
