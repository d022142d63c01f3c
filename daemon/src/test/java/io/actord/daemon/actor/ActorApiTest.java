package io.actord.daemon.actor;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Actors and builds through the HTTP API. */
class ActorApiTest {
    @StartDaemon
    private TestDaemon daemon;
    private TestDaemon.Api api;

    @BeforeEach
    void start() {
        api = daemon.api();
    }

    @Test
    void shouldCreateGetAndListActorsInApifysShapes() {
        JsonNode created = api.post("/v2/acts", "{\"name\":\"my-actor\",\"defaultRunOptions\":{\"memoryMbytes\":256}}")
                .expect(201).data();
        String id = created.get("id").asText();
        assertTrue(id.matches("[a-zA-Z0-9]{17}"), id);
        assertEquals("local", created.get("username").asText());
        assertEquals(256, created.get("defaultRunOptions").get("memoryMbytes").asInt());
        assertEquals("latest", created.get("defaultRunOptions").get("build").asText());
        assertEquals(id, api.get("/v2/acts/local~my-actor").expect(200).data().get("id").asText());
        assertEquals(id, api.get("/v2/actors/~my-actor").expect(200).data().get("id").asText());
        assertEquals(id, api.get("/v2/actors/local%7Emy-actor").expect(200).data().get("id").asText());
        api.post("/v2/acts", "{\"name\":\"second\"}").expect(201);
        JsonNode list = api.get("/v2/acts?limit=1").expect(200).data();
        assertEquals(2, list.get("total").asInt());
        assertEquals(1, list.get("count").asInt());
        assertEquals(1, list.get("limit").asInt());
        assertEquals(0, list.get("offset").asInt());
        JsonNode item = list.get("items").get(0);
        assertEquals("my-actor", item.get("name").asText());
        assertEquals("local", item.get("username").asText());
    }

    @Test
    void shouldRefuseBadAndDuplicateNames() {
        assertEquals("invalid-value", api.post("/v2/acts", "{\"name\":\"x\"}").expect(400).errorType());
        assertEquals("invalid-value", api.post("/v2/acts", "{\"name\":\"-bad-\"}").expect(400).errorType());
        assertEquals("invalid-value", api.post("/v2/acts", "{\"name\":\"has space\"}").expect(400).errorType());
        api.post("/v2/acts", "{\"name\":\"taken\"}").expect(201);
        assertEquals("invalid-value", api.post("/v2/acts", "{\"name\":\"taken\"}").expect(400).errorType());
        assertEquals("invalid-value", api.post("/v2/acts",
                "{\"name\":\"odd-memory\",\"defaultRunOptions\":{\"memoryMbytes\":300}}").expect(400).errorType());
    }

    @Test
    void shouldUpdateAndDeleteAnActor() throws Exception {
        String id = daemon.actor("renamed", "exit", "0");
        JsonNode updated = api.send(java.net.http.HttpRequest.newBuilder(api.base().resolve("/v2/acts/" + id))
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"new-name\",\"defaultRunOptions\":{\"timeoutSecs\":5}}"))).expect(200).data();
        assertEquals("new-name", updated.get("name").asText());
        assertEquals(5, updated.get("defaultRunOptions").get("timeoutSecs").asInt());
        assertEquals(1024, updated.get("defaultRunOptions").get("memoryMbytes").asInt());
        api.get("/v2/acts/local~renamed").expect(404);
        JsonNode build = api.get("/v2/acts/" + id + "/builds").expect(200).data().get("items").get(0);
        Path layer = layerDir(build.get("layers").get(0).asText());
        assertTrue(Files.isDirectory(layer));
        api.send(java.net.http.HttpRequest.newBuilder(api.base().resolve("/v2/acts/" + id)).DELETE()).expect(204);
        assertEquals("record-not-found", api.get("/v2/acts/" + id).expect(404).errorType());
        assertFalse(Files.exists(layer), "the build's layer goes with the actor");
    }

    @Test
    void shouldNumberBuildsAndMoveTags() throws Exception {
        String id = daemon.actor("versions", "exit", "0");
        String rootfs = daemon.rootfs().toString();
        JsonNode beta = daemon.admin("/v2/acts/" + id + "/builds", "{\"rootfs\":\"" + rootfs + "\",\"cmd\":\"exit 1\","
                + "\"tags\":[\"beta\"]}").expect(201).data();
        assertEquals("0.0.2", beta.get("buildNumber").asText());
        assertEquals("[\"/bin/sh\",\"-c\",\"exit 1\"]", beta.get("command").toString());
        JsonNode latest = daemon.admin("/v2/acts/" + id + "/builds?tag=latest", "{\"rootfs\":\"" + rootfs
                + "\",\"cmd\":[\"exit\",\"2\"]}").expect(201).data();
        assertEquals("0.0.3", latest.get("buildNumber").asText());
        JsonNode actor = api.get("/v2/acts/" + id).expect(200).data();
        assertEquals(latest.get("id"), actor.get("taggedBuilds").get("latest").get("buildId"));
        assertEquals(beta.get("id"), actor.get("taggedBuilds").get("beta").get("buildId"));
        JsonNode builds = api.get("/v2/acts/" + id + "/builds?desc=1").expect(200).data();
        assertEquals(3, builds.get("total").asInt());
        assertEquals("0.0.3", builds.get("items").get(0).get("buildNumber").asText());
        assertEquals("[]", builds.get("items").get(2).get("tags").toString(), "latest moved off the first build");
        JsonNode run = api.post("/v2/acts/" + id + "/runs?build=beta&waitForFinish=10", "").expect(201).data();
        assertEquals("0.0.2", run.get("buildNumber").asText());
        assertEquals(beta.get("id"), run.get("buildId"));
    }

    @Test
    void shouldNumberBuildsPerVersion() throws Exception {
        String id = daemon.actor("versioned", "exit", "0");
        String rootfs = daemon.rootfs().toString();
        String body = "{\"rootfs\":\"" + rootfs + "\",\"cmd\":\"exit 0\"";
        assertEquals("0.1.1", daemon.admin("/v2/acts/" + id + "/builds", body + ",\"version\":\"0.1\"}").expect(201)
                .data().get("buildNumber").asText());
        JsonNode second = daemon.admin("/v2/acts/" + id + "/builds", body + ",\"version\":\"0.1\",\"tags\":[\"beta\"]}")
                .expect(201).data();
        assertEquals("0.1.2", second.get("buildNumber").asText());
        assertEquals("0.0.2", daemon.admin("/v2/acts/" + id + "/builds", body + "}").expect(201).data()
                .get("buildNumber").asText());
        assertEquals("invalid-value", daemon.admin("/v2/acts/" + id + "/builds", body + ",\"version\":\"1\"}")
                .expect(400).errorType());
        assertEquals("invalid-value", daemon.admin("/v2/acts/" + id + "/builds", body + ",\"tags\":[\"1.2.3\"]}")
                .expect(400).errorType());
        assertEquals(second.get("id"), api.post("/v2/acts/" + id + "/runs?build=0.1.2&waitForFinish=10", "")
                .expect(201).data().get("buildId"));
        assertEquals("0.0.2", api.post("/v2/acts/" + id + "/runs?waitForFinish=10", "").expect(201).data()
                .get("buildNumber").asText(), "latest");
        assertEquals("unknown-build-tag", api.post("/v2/acts/" + id + "/runs?build=0.1.3", "").expect(403).errorType());
    }

    @Test
    void shouldImportARootfsFromATar() throws Exception {
        String id = api.post("/v2/acts", "{\"name\":\"from-tar\"}").expect(201).data().get("id").asText();
        Path src = daemon.rootfs();
        Path tar = daemon.dir().resolve("rootfs.tar");
        Process p = new ProcessBuilder("tar", "-cf", tar.toString(), "-C", src.toString(), ".").start();
        assertEquals(0, p.waitFor());
        JsonNode build = daemon.admin("/v2/acts/" + id + "/builds", "{\"rootfs\":\"" + tar + "\",\"cmd\":[\"exit\",\"0\"]}")
                .expect(201).data();
        assertEquals("rootfs\n", Files.readString(layerDir(build.get("layers").get(0).asText()).resolve("bin/marker")));
    }

    private Path layerDir(String diffId) {
        return daemon.dir().resolve("state/layers/sha256").resolve(diffId.substring("sha256:".length()));
    }

    @Test
    void shouldCreateBuildsOnlyOverTheUnixSocket() throws Exception {
        String id = api.post("/v2/acts", "{\"name\":\"tcp-build\"}").expect(201).data().get("id").asText();
        assertEquals("insufficient-permissions", api.post("/v2/acts/" + id + "/builds",
                "{\"rootfs\":\"/etc\",\"cmd\":\"cat /shadow\"}").expect(403).errorType());
        assertEquals(0, api.get("/v2/acts/" + id + "/builds").expect(200).data().get("total").asInt());
    }

    @Test
    void shouldRefuseABuildWithoutAUsableRootfsOrCommand() throws Exception {
        String id = api.post("/v2/acts", "{\"name\":\"no-build\"}").expect(201).data().get("id").asText();
        assertEquals("invalid-value", daemon.admin("/v2/acts/" + id + "/builds",
                "{\"rootfs\":\"/nonexistent/rootfs\",\"cmd\":\"true\"}").expect(400).errorType());
        assertEquals("invalid-value", daemon.admin("/v2/acts/" + id + "/builds",
                "{\"rootfs\":\"relative/dir\",\"cmd\":\"true\"}").expect(400).errorType());
        Path notTar = Files.writeString(daemon.dir().resolve("not.tar"), "plain text");
        assertEquals("invalid-value", daemon.admin("/v2/acts/" + id + "/builds",
                "{\"rootfs\":\"" + notTar + "\",\"cmd\":\"true\"}").expect(400).errorType());
        assertEquals("invalid-input", daemon.admin("/v2/acts/" + id + "/builds",
                "{\"rootfs\":\"" + daemon.rootfs() + "\"}").expect(400).errorType());
        assertEquals("unknown-build-tag", api.post("/v2/acts/" + id + "/runs", "").expect(403).errorType());
    }
}
