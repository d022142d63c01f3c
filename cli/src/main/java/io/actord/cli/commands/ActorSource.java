package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.CliException;
import io.actord.cli.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * An actor directory in Apify's layout, read for {@code actorctl push}: {@code .actor/actor.json} (name, version,
 * buildTag) and its files as a version's {@code SOURCE_FILES} (TEXT when UTF-8, else BASE64), without those its
 * {@code .dockerignore} excludes. The ignore rules are Docker's as far as a glob goes: one pattern a line, {@code #}
 * comments, {@code !} exceptions, the last matching pattern wins, a pattern matching a parent directory excludes
 * what is under it ({@code **} crosses directories, {@code *} does not). The daemon applies the file again to the
 * build context with moby's own matcher.
 */
record ActorSource(Path dir, String name, String version, String buildTag) {

    /** Reads {@code dir}'s {@code .actor/actor.json}; a missing file or name is an error. */
    static ActorSource read(Path dir) {
        Path file = dir.resolve(".actor/actor.json");
        JsonNode json;
        try {
            json = Json.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new CliException("read " + file + ": " + e.getMessage()
                    + " (an actor directory has .actor/actor.json, as `apify init` writes it)");
        }
        String name = json.path("name").asText("");
        if (name.isEmpty()) {
            throw new CliException(file + " names no actor (\"name\")");
        }
        return new ActorSource(dir, name, json.path("version").asText("0.0"), json.path("buildTag").asText("latest"));
    }

    /** The version's body for {@code POST|PUT /v2/acts/{id}/versions}. */
    ObjectNode versionBody() {
        ObjectNode body = Json.object().put("versionNumber", version).put("sourceType", "SOURCE_FILES")
                .put("buildTag", buildTag);
        ArrayNode files = body.putArray("sourceFiles");
        for (Path f : files()) {
            byte[] content;
            try {
                content = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new CliException("read " + f + ": " + e.getMessage());
            }
            String text = utf8(content);
            files.addObject().put("name", relative(f)).put("format", text == null ? "BASE64" : "TEXT")
                    .put("content", text == null ? Base64.getEncoder().encodeToString(content) : text);
        }
        return body;
    }

    /** The regular files to upload, in name order. */
    List<Path> files() {
        List<Rule> rules = rules();
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).filter(f -> !excluded(rules, relative(f))).sorted().toList();
        } catch (IOException e) {
            throw new CliException("read " + dir + ": " + e.getMessage());
        }
    }

    private String relative(Path f) {
        return dir.relativize(f).toString().replace('\\', '/');
    }

    private record Rule(PathMatcher matcher, boolean exception) {
    }

    private List<Rule> rules() {
        Path file = dir.resolve(".dockerignore");
        List<Rule> rules = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rules;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String pattern = line.strip();
                if (pattern.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                boolean exception = pattern.startsWith("!");
                pattern = (exception ? pattern.substring(1).strip() : pattern).replaceFirst("^(\\./|/)+", "");
                if (!pattern.isEmpty()) {
                    rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), exception));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(file + ": " + e.getMessage());
        }
        return rules;
    }

    /** Whether the last rule matching {@code path} or one of its parents excludes it. */
    private static boolean excluded(List<Rule> rules, String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            for (String p = path; p != null; p = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : null) {
                if (rule.matcher().matches(Path.of(p))) {
                    excluded = !rule.exception();
                    break;
                }
            }
        }
        return excluded;
    }

    private static String utf8(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
