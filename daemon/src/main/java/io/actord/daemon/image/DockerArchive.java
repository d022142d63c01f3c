package io.actord.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses an image in a {@code docker save} archive: {@code manifest.json} lists each image's config file,
 * repository tags and layer files (uncompressed tars in the classic format, {@code blobs/sha256/…} since
 * Docker 25). A reference {@code NAME:TAG} (or just {@code TAG}) picks by RepoTags; with none the archive
 * must hold one image. The config is checked against the digest its name carries, and each layer's
 * uncompressed content against the config's DiffIDs.
 */
final class DockerArchive {
    private static final Pattern BLOB = Pattern.compile("^blobs/sha256/([0-9a-f]{64})$");
    private static final Pattern DIGEST_NAME = Pattern.compile("(?:^|/)(?:sha256/)?([0-9a-f]{64})(?:\\.json)?$");

    private DockerArchive() {
    }

    static ResolvedImage resolve(ImageFiles files, Optional<String> reference, String source) throws IOException {
        if (!files.exists("manifest.json")) {
            throw new ImageException(source + " is not a docker-archive (it has no manifest.json)");
        }
        JsonNode manifest = OciLayout.json(files.read("manifest.json", OciLayout.MAX_JSON), source + " manifest.json");
        List<JsonNode> images = new ArrayList<>();
        manifest.forEach(images::add);
        JsonNode image = choose(images, reference, source);
        String configName = image.path("Config").asText(null);
        if (configName == null) {
            throw new ImageException(source + ": manifest.json names no Config");
        }
        String what = source + " " + tags(image);
        byte[] configJson = files.read(configName, OciLayout.MAX_JSON);
        Matcher m = DIGEST_NAME.matcher(configName);
        if (m.find()) {
            Digest expected = new Digest(m.group(1));
            Digest actual = Digest.of(configJson);
            if (!actual.equals(expected)) {
                throw new ImageException(what + ": config " + configName + " does not match its digest (it is "
                        + actual + ")");
            }
        }
        ImageConfig config = ImageConfig.parse(configJson, what);
        List<ResolvedImage.Blob> layers = new ArrayList<>();
        JsonNode list = image.path("Layers");
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).asText();
            Matcher blob = BLOB.matcher(ImageFiles.normalize(name));
            Optional<Digest> digest = blob.matches() ? Optional.of(new Digest(blob.group(1))) : Optional.empty();
            layers.add(new ResolvedImage.Blob(name, digest, i < config.diffIds().size() ? config.diffIds().get(i)
                    : digest.orElse(null)));
        }
        return new ResolvedImage(config, layers, what);
    }

    private static JsonNode choose(List<JsonNode> images, Optional<String> reference, String source) {
        if (images.isEmpty()) {
            throw new ImageException(source + ": manifest.json lists no images");
        }
        if (reference.isEmpty()) {
            if (images.size() != 1) {
                throw new ImageException(source + " holds " + images.size() + " images; choose one by NAME:TAG: "
                        + images.stream().map(DockerArchive::tags).toList());
            }
            return images.get(0);
        }
        String ref = reference.get();
        for (JsonNode image : images) {
            for (JsonNode tag : image.path("RepoTags")) {
                String t = tag.asText();
                if (t.equals(ref) || t.endsWith(":" + ref) || t.equals("docker.io/library/" + ref)
                        || t.equals("docker.io/" + ref)) {
                    return image;
                }
            }
        }
        throw new ImageException(source + " has no image tagged '" + ref + "'; it has "
                + images.stream().map(DockerArchive::tags).toList());
    }

    private static String tags(JsonNode image) {
        List<String> tags = new ArrayList<>();
        image.path("RepoTags").forEach(t -> tags.add(t.asText()));
        return tags.isEmpty() ? "(untagged)" : String.join(",", tags);
    }
}
