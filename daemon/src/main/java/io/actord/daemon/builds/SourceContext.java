package io.actord.daemon.builds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.access.Caller;
import io.actord.daemon.common.Json;
import io.actord.daemon.image.ImageException;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.version.ActorVersion;
import io.actord.daemon.version.ActorVersion.SourceFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

/**
 * A version's source as a build context: SOURCE_FILES written into a fresh directory (files 0644, folders 0755;
 * Apify's source files carry no mode), TARBALL unpacked there with the image importer's rules and limits. Then
 * what Apify reads from it: the Dockerfile ({@code .actor/actor.json}'s {@code dockerfile}, relative to
 * {@code .actor/}, else {@code .actor/Dockerfile}, else {@code Dockerfile}) and the actor definition
 * ({@code .actor/actor.json} with its {@code input} schema and {@code readme} read from the files they name).
 */
final class SourceContext {
    static final String ACTOR_DIR = ".actor";
    /** The most an actor.json, input schema or readme may hold: these go into the stored build. */
    static final int MAX_DEFINITION_BYTES = 1 << 20;

    private final ImageImporter importer;
    private final TarballSource tarballs;

    SourceContext(ImageImporter importer, TarballSource tarballs) {
        this.importer = importer;
        this.tarballs = tarballs;
    }

    /** Writes {@code version}'s source into the empty directory {@code dir}. */
    void write(ActorVersion version, Path dir, Caller caller) throws IOException {
        switch (version.sourceType()) {
            case SOURCE_FILES -> {
                for (SourceFile f : version.sourceFiles()) {
                    writeFile(dir, f);
                }
            }
            case TARBALL -> {
                try (InputStream in = tarballs.open(version.tarballUrl(), caller)) {
                    importer.extract(in, dir, "the tarball " + version.tarballUrl());
                } catch (ImageException e) {
                    throw new SourceException(e.getMessage(), e);
                }
            }
            case GIT_REPO, GITHUB_GIST -> throw new SourceException("a " + version.sourceType() + " version is not"
                    + " built here: use SOURCE_FILES or TARBALL");
        }
    }

    private static void writeFile(Path dir, SourceFile f) throws IOException {
        Path target = inside(dir, f.name());
        if (f.isFolder()) {
            createDirectories(dir, target);
            return;
        }
        createDirectories(dir, target.getParent());
        byte[] content = "BASE64".equals(f.format()) ? Base64.getDecoder().decode(f.content().replaceAll("\\s", ""))
                : f.content().getBytes(StandardCharsets.UTF_8);
        Files.write(target, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Creates the directories down to {@code target}, each 0755, none of them a link (all are this build's own). */
    private static void createDirectories(Path dir, Path target) throws IOException {
        if (target.equals(dir) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createDirectories(dir, target.getParent());
        Files.createDirectory(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwxr-xr-x")));
    }

    /** {@code name} below {@code dir}; the version's rules already refuse absolute names and "..". */
    private static Path inside(Path dir, String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new SourceException("source file " + name + " is outside the build context");
        }
        return p;
    }

    /** The Dockerfile's path relative to the context, as Apify finds it. */
    static String dockerfile(Path dir, Optional<JsonNode> actorJson) {
        Optional<String> named = actorJson.map(j -> j.path("dockerfile")).filter(JsonNode::isTextual)
                .map(JsonNode::asText);
        if (named.isPresent()) {
            Path p = dir.resolve(ACTOR_DIR).resolve(named.get()).normalize();
            if (!p.startsWith(dir) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new SourceException(".actor/actor.json names the dockerfile '" + named.get() + "', which is not a"
                        + " file in the source");
            }
            return dir.relativize(p).toString();
        }
        for (String candidate : new String[]{ACTOR_DIR + "/Dockerfile", "Dockerfile"}) {
            if (Files.isRegularFile(dir.resolve(candidate), LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
        throw new SourceException("the source has no Dockerfile: expected .actor/Dockerfile, Dockerfile or the"
                + " dockerfile .actor/actor.json names");
    }

    /** {@code .actor/actor.json}, when the source has one. */
    static Optional<JsonNode> actorJson(Path dir) {
        return readJson(dir, dir.resolve(ACTOR_DIR).resolve("actor.json"), ".actor/actor.json");
    }

    /** Apify's actorDefinition: actor.json with {@code input} and {@code readme} read from the files they name. */
    static JsonNode definition(Path dir, JsonNode actorJson) {
        if (!(actorJson instanceof ObjectNode object)) {
            throw new SourceException(".actor/actor.json must be a JSON object");
        }
        ObjectNode definition = object.deepCopy();
        JsonNode input = definition.path("input");
        if (input.isTextual()) {
            definition.set("input", readJson(dir, dir.resolve(ACTOR_DIR).resolve(input.asText()),
                    "the input schema " + input.asText()).orElseThrow(() -> new SourceException(
                    ".actor/actor.json names the input schema '" + input.asText() + "', which is not in the source")));
        }
        JsonNode readme = definition.path("readme");
        if (readme.isTextual()) {
            readText(dir, dir.resolve(ACTOR_DIR).resolve(readme.asText())).ifPresent(t -> definition.put("readme", t));
        }
        return definition;
    }

    private static Optional<JsonNode> readJson(Path dir, Path file, String what) {
        Optional<String> text = readText(dir, file);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(text.get()));
        } catch (IOException e) {
            throw new SourceException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    /** A regular file inside the context (no link followed out of it), at most {@value #MAX_DEFINITION_BYTES}. */
    private static Optional<String> readText(Path dir, Path file) {
        Path p = file.normalize();
        try {
            if (!p.startsWith(dir) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    || !p.toRealPath().startsWith(dir.toRealPath())) {
                return Optional.empty();
            }
            if (Files.size(p) > MAX_DEFINITION_BYTES) {
                throw new SourceException(dir.relativize(p) + " is larger than " + MAX_DEFINITION_BYTES + " bytes");
            }
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SourceException("read " + dir.relativize(p) + ": " + e.getMessage(), e);
        }
    }
}
