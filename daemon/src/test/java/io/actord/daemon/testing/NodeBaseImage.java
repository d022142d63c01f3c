package io.actord.daemon.testing;

import io.actord.daemon.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tests' node base image for builds from source, and the Apify-layout actor built from it
 * ({@code src/test/node/actor}). The image is the runtime's payload rootfs (busybox) with this host's node and npm
 * and an offline npm cache at /npm-cache ({@code make-node-base.sh}); the actor's Dockerfile runs {@code npm ci
 * --offline --cache /npm-cache}, so a build reaches no registry. Skips the calling test, printing why, when node or
 * the pinned npm packages are not available.
 */
public final class NodeBaseImage {
    /** The name the tests give the image, as a Dockerfile's FROM names it. */
    public static final String NAME = "test/actor-node:20";
    public static final Path ROOTFS = ItRuntime.checkout().resolve("daemon/target/node-base-rootfs");
    public static final Path ACTOR = NodeScripts.SOURCES.resolve("actor");

    private NodeBaseImage() {
    }

    /** Makes {@link #ROOTFS} (after installing the pinned packages into the host's npm cache). */
    public static Path rootfs() {
        NodeScripts.install();
        script("make-node-base.sh", ItRuntime.payloadRootfs().toString(), ROOTFS.toString());
        return ROOTFS;
    }

    /** Imports {@link #rootfs()} into {@code daemon}'s store, named {@link #NAME}, through its images API. */
    public static String importInto(TestDaemon daemon) throws IOException {
        Path rootfs = rootfs();
        daemon.admin("/v2/actord/images", Json.MAPPER.writeValueAsString(Map.of("name", NAME, "rootfs",
                rootfs.toString()))).expect(201);
        return NAME;
    }

    /** Copies the Apify-layout actor to {@code dir} and writes its package-lock.json (pruned from the pinned one). */
    public static Path actor(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(ACTOR)) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(ACTOR.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        script("make-actor-lock.sh", dir.toString());
        return dir;
    }

    /** A version body ({@code SOURCE_FILES}, BASE64) with the files of {@code dir}, for {@code POST …/versions}. */
    public static String version(Path dir, String versionNumber) throws IOException {
        List<Map<String, Object>> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                files.add(Map.of("name", dir.relativize(f).toString(), "format", "BASE64",
                        "content", Base64.getEncoder().encodeToString(Files.readAllBytes(f))));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("versionNumber", versionNumber);
        body.put("sourceType", "SOURCE_FILES");
        body.put("buildTag", "latest");
        body.put("sourceFiles", files);
        return Json.MAPPER.writeValueAsString(body);
    }

    private static void script(String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", NodeScripts.SOURCES.resolve(name).toString()));
        cmd.addAll(List.of(args));
        NodeScripts.Result r = NodeScripts.run(cmd, Duration.ofMinutes(5));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(name + " failed: " + r.output());
        }
    }
}
