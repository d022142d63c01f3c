package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code actorctl push} against a real daemon with the Dockerfile builder on the fake runtime, so a Dockerfile of
 * COPY steps builds (RUN needs the real runtime: SourceBuildIT): the actor is created once, the version takes the
 * directory's files less what .dockerignore excludes, the build's log is printed, the exit status is the build's.
 */
class PushCommandTest extends AgainstDaemon {
    private Path actor;

    @BeforeEach
    void actorDirectory() throws Exception {
        daemon.admin("/v2/actord/images", "{\"name\":\"test/base:1\",\"rootfs\":\"" + daemon.rootfs() + "\"}")
                .expect(201);
        actor = dir.resolve("pushed");
        write(".actor/actor.json", "{\"actorSpecification\":1,\"name\":\"pushed\",\"version\":\"0.2\","
                + "\"buildTag\":\"beta\",\"dockerfile\":\"../Dockerfile\"}");
        write("Dockerfile", "FROM test/base:1\nCOPY . /app/\nCMD [\"exit\", \"0\"]\n");
        write("main.js", "console.log('hi')\n");
        write("node_modules/big/index.js", "ignored\n");
        write("logs/a.log", "ignored\n");
        write("logs/keep.log", "kept\n");
        write(".dockerignore", "# comments are ignored\nnode_modules\n**/*.log\n!logs/keep.log\n");
    }

    private void write(String name, String content) throws Exception {
        Path f = actor.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    @Test
    void shouldCreateTheActorUploadTheSourceBuildAndPrintTheLog() {
        Cli.Result r = cli.run("push", actor.toString());

        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Step 2/3 : COPY . /app/"), r.out());
        assertTrue(r.err().contains("created actor pushed") && r.err().contains("build 0.2.1 SUCCEEDED"), r.err());
        JsonNode version = daemon.api().get("/v2/acts/pushed/versions/0.2").expect(200).data();
        List<String> names = new ArrayList<>();
        version.get("sourceFiles").forEach(f -> names.add(f.get("name").asText()));
        assertEquals(List.of(".actor/actor.json", ".dockerignore", "Dockerfile", "logs/keep.log", "main.js"), names);
        String build = daemon.api().get("/v2/acts/pushed/builds").expect(200).data().get("items").get(0).get("id")
                .asText();
        assertEquals("[\"beta\"]", daemon.api().get("/v2/actor-builds/" + build).expect(200).data().get("tags")
                .toString(), "the build has actor.json's buildTag");

        Cli.Result again = cli.run("push", actor.toString());
        assertEquals(0, again.status(), again.toString());
        assertFalse(again.err().contains("created actor"), "the actor exists: " + again.err());
        assertTrue(again.err().contains("build 0.2.2 SUCCEEDED"), again.err());
    }

    @Test
    void shouldExitNonZeroNamingTheStatusOfAFailedBuild() throws Exception {
        write("Dockerfile", "FROM test/base:1\nFOO bar\n");
        Cli.Result r = cli.run("push", actor.toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("build 0.2.1 FAILED"), r.err());
        assertTrue(r.out().contains("line 2"), "the log names the line: " + r.out());
    }

    @Test
    void shouldSayWhatIsMissingWithoutActorJson() {
        Cli.Result r = cli.run("push", dir.resolve("empty").toString());
        assertTrue(r.status() != 0 && r.err().contains(".actor/actor.json"), r.toString());
    }
}
