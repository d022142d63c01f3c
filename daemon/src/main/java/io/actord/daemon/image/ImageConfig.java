package io.actord.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an image's config says about running it (the OCI image config's {@code config} object, which
 * Docker's shares) and the DiffIDs of its layers, lowest first.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">OCI image configuration</a>
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, Optional<String> workingDir,
                          Optional<String> user, List<Digest> diffIds) {
    /** A plain rootfs: nothing to go by. */
    public static final ImageConfig NONE = new ImageConfig(List.of(), List.of(), List.of(), Optional.empty(),
            Optional.empty(), List.of());

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        diffIds = List.copyOf(diffIds);
    }

    /** The default command line: Entrypoint followed by Cmd, as Docker runs it. */
    public List<String> command() {
        List<String> all = new ArrayList<>(entrypoint);
        all.addAll(cmd);
        return all;
    }

    static ImageConfig parse(byte[] json, String what) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ImageException(what + ": image config is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ImageException(what + ": image config is not a JSON object");
        }
        JsonNode c = root.path("config");
        List<Digest> diffIds = new ArrayList<>();
        JsonNode rootfs = root.path("rootfs");
        if (!rootfs.path("type").asText().equals("layers") || !rootfs.path("diff_ids").isArray()) {
            throw new ImageException(what + ": image config has no rootfs of type \"layers\" with diff_ids");
        }
        rootfs.path("diff_ids").forEach(d -> diffIds.add(Digest.parse(d.asText())));
        return new ImageConfig(strings(c, "Entrypoint", what), strings(c, "Cmd", what), strings(c, "Env", what),
                text(c, "WorkingDir"), text(c, "User"), diffIds);
    }

    private static List<String> strings(JsonNode config, String field, String what) {
        JsonNode n = config.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new ImageException(what + ": image config " + field + " is not an array of strings");
        }
        List<String> out = new ArrayList<>();
        n.forEach(s -> out.add(s.asText()));
        return out;
    }

    private static Optional<String> text(JsonNode config, String field) {
        JsonNode n = config.path(field);
        return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
    }
}
