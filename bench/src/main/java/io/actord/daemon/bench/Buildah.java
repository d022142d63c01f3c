package io.actord.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Debian's buildah for the build benchmark, with its storage (overlay driver) and run root in {@code dir}, so
 * nothing of it stays: closing removes its images and unmounts what its storage left mounted under {@code dir}.
 */
final class Buildah implements AutoCloseable {
    private static final String TAG = "localhost/actord-build-bench:latest";
    private final Path dir;

    Buildah(Path dir) {
        this.dir = dir;
    }

    /** Builds {@code context}'s Dockerfile ({@code --layers}, {@code --no-cache} unless {@code cached}); nanos. */
    long build(Path context, boolean cached) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bud", "--isolation", "chroot", "--layers", "--quiet", "-t", TAG,
                "-f", context.resolve("Dockerfile").toString()));
        if (!cached) {
            cmd.add("--no-cache");
        }
        cmd.add(context.toString());
        long t = System.nanoTime();
        run(cmd);
        return System.nanoTime() - t;
    }

    /** The size buildah reports for the built image (it prints "6.21 MB", decimal units). */
    long imageBytes() throws IOException, InterruptedException {
        JsonNode images = Json.MAPPER.readTree(run(List.of("images", "--json")));
        for (JsonNode image : images) {
            for (JsonNode name : image.path("names")) {
                if (TAG.equals(name.asText())) {
                    return humanBytes(image.path("size").asText());
                }
            }
        }
        throw new IllegalStateException("buildah lists no " + TAG + ": " + images);
    }

    static long humanBytes(String size) {
        String[] parts = size.strip().split(" ");
        int power = List.of("B", "KB", "MB", "GB", "TB").indexOf(parts[1]);
        if (parts.length != 2 || power < 0) {
            throw new IllegalStateException("buildah's image size is not \"N UNIT\": " + size);
        }
        return (long) (Double.parseDouble(parts[0]) * Math.pow(1000, power));
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("buildah", "--root", dir.resolve("root").toString(), "--runroot",
                dir.resolve("runroot").toString(), "--storage-driver", "overlay"));
        cmd.addAll(args);
        Path log = Files.createTempFile("actord-buildah", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int exit = p.waitFor();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + exit + ":\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (Files.isDirectory(dir.resolve("root"))) {
            run(List.of("rmi", "--all", "--force"));
        }
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            if (point.startsWith(dir.toString())) {
                mounts.add(point);
            }
        }
        Collections.reverse(mounts);
        for (String point : mounts) {
            new ProcessBuilder("umount", "-l", point).inheritIO().start().waitFor();
        }
    }
}
