package io.actord.runtime.network;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * What a CNI ADD answered (the last plugin's result), kept in the container's run directory so that a
 * restarted daemon knows the container's address and the host end of its veth.
 *
 * @param json the result as the plugin printed it
 */
public record CniResult(String json) {
    static CniResult of(JsonNode node) {
        return new CniResult(node.toString());
    }

    JsonNode tree() {
        try {
            return CniConflist.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("parse CNI result: " + e.getMessage(), e);
        }
    }

    /** The container's first address, without the prefix length (e.g. 10.88.0.5). */
    public Optional<String> address() {
        JsonNode a = tree().path("ips").path(0).path("address");
        return a.isTextual() ? Optional.of(a.asText().replaceFirst("/.*", "")) : Optional.empty();
    }

    /** The gateway of the container's first address. */
    public Optional<String> gateway() {
        JsonNode g = tree().path("ips").path(0).path("gateway");
        return g.isTextual() ? Optional.of(g.asText()) : Optional.empty();
    }

    /**
     * The host end of the container's veth: the interface with a MAC and no sandbox that is not the
     * bridge (the bridge plugin lists the bridge first, then the host veth, then the container's).
     */
    public Optional<String> hostInterface(Optional<String> bridge) {
        for (JsonNode i : tree().path("interfaces")) {
            String name = i.path("name").asText("");
            if (!name.isEmpty() && i.path("sandbox").asText("").isEmpty() && !bridge.equals(Optional.of(name))) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
