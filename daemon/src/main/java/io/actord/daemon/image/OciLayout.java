package io.actord.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses an image in an OCI image layout: {@code index.json} → (nested index →) manifest → config and
 * layers, every JSON blob checked against its digest. A tag matches the
 * {@code org.opencontainers.image.ref.name} annotation (what {@code skopeo copy … oci:DIR:TAG} writes); a
 * {@code sha256:} reference matches a manifest's digest; with neither, the layout must hold one image.
 * A multi-platform index resolves to linux/amd64.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image layout</a>
 */
final class OciLayout {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final int MAX_JSON = 4 << 20;
    private static final Set<String> INDEXES = Set.of("application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final int MAX_NESTING = 4;

    private OciLayout() {
    }

    static ResolvedImage resolve(ImageFiles files, Optional<String> reference, String source) throws IOException {
        if (!files.exists("oci-layout")) {
            throw new ImageException(source + " is not an OCI image layout (it has no oci-layout file)");
        }
        JsonNode index = json(files.read("index.json", MAX_JSON), source + " index.json");
        JsonNode chosen = choose(index.path("manifests"), reference, source);
        for (int depth = 0; INDEXES.contains(chosen.path("mediaType").asText()); depth++) {
            if (depth == MAX_NESTING) {
                throw new ImageException(source + ": image indexes nest more than " + MAX_NESTING + " deep");
            }
            chosen = platform(blobJson(files, chosen, source).path("manifests"), source);
        }
        Digest manifestDigest = Digest.parse(chosen.path("digest").asText(null));
        JsonNode manifest = blobJson(files, chosen, source);
        String what = source + " manifest " + manifestDigest;
        JsonNode configDescriptor = manifest.path("config");
        ImageConfig config = ImageConfig.parse(blob(files, configDescriptor, what), what);
        List<ResolvedImage.Blob> layers = new ArrayList<>();
        JsonNode list = manifest.path("layers");
        for (int i = 0; i < list.size(); i++) {
            Digest digest = Digest.parse(list.get(i).path("digest").asText(null));
            layers.add(new ResolvedImage.Blob(blobName(digest), Optional.of(digest),
                    i < config.diffIds().size() ? config.diffIds().get(i) : digest));
        }
        return new ResolvedImage(config, layers, what);
    }

    private static JsonNode choose(JsonNode manifests, Optional<String> reference, String source) {
        List<JsonNode> all = new ArrayList<>();
        manifests.forEach(all::add);
        if (all.isEmpty()) {
            throw new ImageException(source + ": index.json lists no images");
        }
        if (reference.isEmpty()) {
            if (all.size() != 1) {
                throw new ImageException(source + " holds " + all.size() + " images; choose one by tag or digest: "
                        + names(all));
            }
            return all.get(0);
        }
        String ref = reference.get();
        for (JsonNode m : all) {
            boolean matches = ref.startsWith("sha256:") ? ref.equals(m.path("digest").asText())
                    : ref.equals(m.path("annotations").path(REF_NAME).asText(null));
            if (matches) {
                return m;
            }
        }
        throw new ImageException(source + " has no image '" + ref + "'; it has " + names(all));
    }

    private static JsonNode platform(JsonNode manifests, String source) {
        for (JsonNode m : manifests) {
            JsonNode p = m.path("platform");
            if (p.path("os").asText().equals("linux") && p.path("architecture").asText().equals("amd64")) {
                return m;
            }
        }
        throw new ImageException(source + ": the image index has no linux/amd64 image");
    }

    private static String names(List<JsonNode> manifests) {
        List<String> names = new ArrayList<>();
        manifests.forEach(m -> names.add(m.path("annotations").path(REF_NAME).asText(m.path("digest").asText())));
        return String.join(", ", names);
    }

    static String blobName(Digest d) {
        return "blobs/" + Digest.ALGORITHM + "/" + d.hex();
    }

    /** The blob a descriptor points at, read whole and checked against the descriptor's digest. */
    static byte[] blob(ImageFiles files, JsonNode descriptor, String what) throws IOException {
        Digest digest = Digest.parse(descriptor.path("digest").asText(null));
        byte[] data = files.read(blobName(digest), MAX_JSON);
        Digest actual = Digest.of(data);
        if (!actual.equals(digest)) {
            throw new ImageException(what + ": blob " + digest + " does not match its digest (it is " + actual + ")");
        }
        return data;
    }

    private static JsonNode blobJson(ImageFiles files, JsonNode descriptor, String what) throws IOException {
        return json(blob(files, descriptor, what), what + " " + descriptor.path("digest").asText());
    }

    static JsonNode json(byte[] data, String what) {
        try {
            JsonNode n = Json.MAPPER.readTree(data);
            if (n == null || !(n.isObject() || n.isArray())) {
                throw new ImageException(what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ImageException(what + " is not JSON: " + e.getMessage());
        }
    }
}
