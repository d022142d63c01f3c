package io.actord.daemon.builds;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a source's Dockerfile is, and what its actor definition says, as Apify reads them. */
class SourceContextTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void shouldPreferTheActorDirectorysDockerfileToTheRootOne() throws Exception {
        write("Dockerfile", "FROM root\n");
        assertEquals("Dockerfile", SourceContext.dockerfile(dir, Optional.empty()));

        write(".actor/Dockerfile", "FROM actor\n");

        assertEquals(".actor/Dockerfile", SourceContext.dockerfile(dir, Optional.empty()));
    }

    @Test
    void shouldTakeTheDockerfileActorJsonNamesRelativeToTheActorDirectory() throws Exception {
        write(".actor/Dockerfile", "FROM actor\n");
        write("docker/build.Dockerfile", "FROM named\n");

        assertEquals("docker/build.Dockerfile", SourceContext.dockerfile(dir, Optional.of(Json.MAPPER.readTree(
                "{\"dockerfile\":\"../docker/build.Dockerfile\"}"))));
        assertThrows(SourceException.class, () -> SourceContext.dockerfile(dir, Optional.of(Json.MAPPER.readTree(
                "{\"dockerfile\":\"../../outside/Dockerfile\"}"))), "a Dockerfile outside the source");
        assertThrows(SourceException.class, () -> SourceContext.dockerfile(dir, Optional.of(Json.MAPPER.readTree(
                "{\"dockerfile\":\"./missing\"}"))));
    }

    @Test
    void shouldFailWithoutADockerfile() {
        SourceException e = assertThrows(SourceException.class, () -> SourceContext.dockerfile(dir, Optional.empty()));
        assertTrue(e.getMessage().contains("no Dockerfile"), e.getMessage());
    }

    @Test
    void shouldReadTheInputSchemaAndReadmeTheDefinitionNames() throws Exception {
        write(".actor/actor.json", "{\"actorSpecification\":1,\"name\":\"x\",\"input\":\"./schema/input.json\","
                + "\"readme\":\"../README.md\"}");
        write(".actor/schema/input.json", "{\"title\":\"T\",\"type\":\"object\"}");
        write("README.md", "# X\n");

        JsonNode definition = SourceContext.definition(dir, SourceContext.actorJson(dir).orElseThrow());

        assertEquals("T", definition.get("input").get("title").asText());
        assertEquals("# X\n", definition.get("readme").asText());
        assertEquals("x", definition.get("name").asText());
    }

    @Test
    void shouldKeepAnInlineInputSchemaAndRefuseOneThatIsMissing() throws Exception {
        JsonNode inline = SourceContext.definition(dir, Json.MAPPER.readTree("{\"input\":{\"title\":\"I\"}}"));
        assertEquals("I", inline.get("input").get("title").asText());

        assertThrows(SourceException.class, () -> SourceContext.definition(dir, Json.MAPPER.readTree(
                "{\"input\":\"./nowhere.json\"}")));
        write(".actor/bad.json", "{not json");
        assertThrows(SourceException.class, () -> SourceContext.definition(dir, Json.MAPPER.readTree(
                "{\"input\":\"./bad.json\"}")));
    }

    @Test
    void shouldNotFollowALinkOutOfTheSource() throws Exception {
        Path outside = Files.createTempFile("outside-secret", ".json");
        try {
            Files.writeString(outside, "{\"secret\":true}");
            Files.createDirectories(dir.resolve(".actor"));
            Files.createSymbolicLink(dir.resolve(".actor/input.json"), outside);

            assertThrows(SourceException.class, () -> SourceContext.definition(dir, Json.MAPPER.readTree(
                    "{\"input\":\"./input.json\"}")), "a linked schema is not read");
        } finally {
            Files.delete(outside);
        }
    }
}
