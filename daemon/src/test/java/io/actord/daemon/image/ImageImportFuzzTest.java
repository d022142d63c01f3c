package io.actord.daemon.image;

import io.actord.cgroups.testing.Host;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.FuzzClient;
import io.actord.daemon.testing.FuzzSeed;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestImages;
import io.actord.runtime.FileTrees;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated images imported through the API (a build over the admin socket): OCI layouts (directory or tar)
 * and docker-archives around layers from {@link ArchiveMutator}, with digests made to match the mutated
 * layers (so the mutation reaches the tar reader) or not, their JSON documents mutated, blobs missing, and
 * plain rootfs tars. Each build must be created (201) or refused with an Apify-shaped 4xx (a 503 when imports
 * are busy is by design), within {@link #DEADLINE}; nothing may be written outside the daemon's state, the
 * layer store's temporary area must be empty after each, and the daemon must still answer at the end.
 */
@Tag("fuzz")
class ImageImportFuzzTest {
    private static final int CASES = 400;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldCreateOrRefuseABuildForEveryMutatedImage() throws Exception {
        FuzzSeed seed = FuzzSeed.start("ImageImportFuzzTest", CASES);
        String actor = daemon.api().post("/v2/acts", "{\"name\":\"fuzz-images\"}").expect(201).data().get("id")
                .asText();
        ArchiveMutator mutator = new ArchiveMutator(Host.isRoot());
        Path cases = Files.createDirectories(daemon.dir().resolve("cases"));
        Path tmp = daemon.dir().resolve("state/layers/tmp");
        Map<Path, Long> before = outsideState();
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> refusals = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int ran = 0;
        try (FuzzClient client = new FuzzClient(DEADLINE)) {
            for (int i : seed.indices().toArray()) {
                Random r = seed.random(i);
                Path at = Files.createDirectories(cases.resolve(Integer.toString(i)));
                StringBuilder how = new StringBuilder();
                String body = image(r, mutator, at, how);
                byte[] json = body.getBytes(StandardCharsets.UTF_8);
                FuzzClient.Answer a = client.unix(daemon.socket(), ("POST /v2/acts/" + actor + "/builds HTTP/1.1\r\n"
                        + "Host: actord\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                        + json.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8), false, false);
                ran++;
                outcomes.merge(a.outcome() == FuzzClient.Outcome.ANSWERED ? Integer.toString(a.status())
                        : a.outcome().name(), 1, Integer::sum);
                if (a.outcome() == FuzzClient.Outcome.ANSWERED && a.status() == 400) {
                    refusals.merge(reason(a.text()), 1, Integer::sum);
                }
                String problem = a.problem(false, Set.of("service-unavailable"));
                if (problem == null && a.status() >= 300 && a.status() != 503 && a.status() / 100 != 4) {
                    problem = "unexpected status " + a.status();
                }
                if (problem == null) {
                    problem = leftOver(before, tmp);
                }
                if (problem != null) {
                    failures.add(seed.replay(i) + ": " + how + " -> " + problem);
                    before = outsideState();
                }
                if (a.outcome() == FuzzClient.Outcome.HUNG) {
                    break; // an import holds the daemon: the cases after it would only time out too
                }
                FileTrees.delete(at);
            }
        }
        seed.report(ran, failures.size());
        System.out.println("fuzz ImageImportFuzzTest: answers " + outcomes);
        refusals.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.println("fuzz ImageImportFuzzTest: refused " + e.getValue() + "x: " + e.getKey()));
        assertEquals(200, daemon.anonymous().get("/healthz").status(), "the daemon answers after the fuzzing");
        assertTrue(failures.isEmpty(), failures.size() + " of " + ran + " imports failed (seed " + seed.seed()
                + "):\n" + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        assertTrue(outcomes.getOrDefault("201", 0) > 0 && outcomes.getOrDefault("400", 0) > 0,
                "the mutations both keep some images valid and break others: " + outcomes);
    }

    /** Writes one image into {@code at}; returns the build's JSON body. */
    private static String image(Random r, ArchiveMutator mutator, Path at, StringBuilder how) throws IOException {
        List<byte[]> layers = new ArrayList<>();
        for (int n = 1 + r.nextInt(2); n > 0; n--) {
            StringBuilder layerHow = new StringBuilder();
            byte[] tar = mutator.seed(r, layerHow);
            if (r.nextBoolean()) {
                tar = mutator.mutate(r, tar, layerHow);
            }
            layers.add(tar);
            how.append('[').append(layerHow).append("] ");
        }
        TestImages.Image image = TestImages.Image.of(layers).withConfig(List.of("/bin/app"), List.of(),
                List.of("PATH=/bin"), "/", r.nextBoolean() ? null : "0:0");
        int kind = r.nextInt(5);
        Map<String, byte[]> files = kind < 3 ? TestImages.ociLayout(image, "v1", TestImages.Compression.values()[
                r.nextInt(3)]) : new LinkedHashMap<>(TestImages.dockerArchive(image, "fuzz/app:1"));
        files = new LinkedHashMap<>(files);
        if (r.nextInt(3) == 0) {
            mutateDocument(r, files, how);
        }
        String ref;
        switch (kind) {
            case 0, 1 -> {
                how.append("oci dir");
                ref = "oci:" + TestImages.writeDir(at.resolve("layout"), files) + ":v1";
            }
            case 2 -> {
                how.append("oci tar");
                ref = "oci-archive:" + TestImages.writeTar(at.resolve("image.tar"), files);
            }
            case 3 -> {
                how.append("docker-archive");
                ref = "docker-archive:" + TestImages.writeTar(at.resolve("image.tar"), files) + ":fuzz/app:1";
            }
            default -> {
                how.append("rootfs tar");
                Path rootfs = at.resolve("rootfs.tar");
                Files.write(rootfs, r.nextBoolean() ? layers.get(0) : ArchiveMutator.compress(layers.get(0), false));
                return "{\"rootfs\":" + Json.MAPPER.writeValueAsString(rootfs.toString()) + ",\"cmd\":[\"/bin/app\"]}";
            }
        }
        return "{\"image\":" + Json.MAPPER.writeValueAsString(ref) + "}";
    }

    /** One change to the image's documents or blobs: a JSON one cut or edited, a blob dropped or flipped. */
    private static void mutateDocument(Random r, Map<String, byte[]> files, StringBuilder how) {
        List<String> names = new ArrayList<>(files.keySet());
        String name = names.get(r.nextInt(names.size()));
        byte[] content = files.get(name);
        switch (r.nextInt(5)) {
            case 0 -> {
                files.remove(name);
                how.append("without ").append(name).append(' ');
            }
            case 1 -> {
                files.put(name, Arrays.copyOf(content, r.nextInt(content.length + 1)));
                how.append("cut ").append(name).append(' ');
            }
            case 2 -> {
                if (content.length > 0) {
                    content[r.nextInt(content.length)] ^= (byte) (1 + r.nextInt(255));
                }
                how.append("flipped ").append(name).append(' ');
            }
            default -> {
                String text = new String(content, StandardCharsets.UTF_8);
                String edited = text.replaceFirst(List.of("\"[0-9a-f]{64}\"", "\"size\":[0-9]+", "\\[", "\"layers\"",
                        "\"schemaVersion\":2", "sha256:", "\"Config\"", "\"manifests\"").get(r.nextInt(8)),
                        List.of("1", "\"size\":-1", "[{},", "\"x\"", "\"schemaVersion\":\"2\"", "sha512:",
                                "\"Config\":{},\"x\"", "\"manifests\":{}").get(r.nextInt(8)));
                files.put(name, edited.getBytes(StandardCharsets.UTF_8));
                how.append("edited ").append(name).append(' ');
            }
        }
    }

    /** A refusal's message without what varies (paths, digests, numbers, member names), to count them by kind. */
    private static String reason(String body) {
        String m = body.replaceAll("/tmp/[^ :'\"]*", "PATH").replaceAll("[0-9a-f]{64}", "H")
                .replaceAll("'[^']*'", "'N'").replaceAll("[0-9]+", "9");
        return m.length() > 140 ? m.substring(0, 140) : m;
    }

    /** Every file in the test's directory outside the daemon's state and the images being written. */
    private Map<Path, Long> outsideState() throws IOException {
        Map<Path, Long> files = new TreeMap<>();
        Path dir = daemon.dir();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> !p.startsWith(dir.resolve("state")) && !p.startsWith(dir.resolve("cases")))
                    .toList()) {
                files.put(dir.relativize(p), Files.isRegularFile(p) ? Files.size(p) : -1L);
            }
        }
        return files;
    }

    private String leftOver(Map<Path, Long> before, Path tmp) throws IOException {
        Map<Path, Long> after = outsideState();
        if (!after.equals(before)) {
            return "files changed outside the daemon's state: before " + before.keySet() + ", after " + after.keySet();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            List<Path> l = left.toList();
            return l.isEmpty() ? null : "left in the layer store's tmp: " + l;
        }
    }
}
