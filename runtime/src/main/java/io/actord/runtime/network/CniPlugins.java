package io.actord.runtime.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs CNI plugins by the CNI protocol (the spec's "Execution Protocol"): each plugin is executed from
 * {@code CNI_PATH} with the command, the container's id, network namespace and interface name in its
 * environment and its configuration on stdin; ADD runs the conflist's plugins in order, each given the
 * previous one's result as {@code prevResult}, DEL runs them in reverse. Thread-safe (each call is its own
 * processes; host-local IPAM locks its data directory itself).
 */
public final class CniPlugins {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path cniPath;

    public CniPlugins(Path cniPath) {
        this.cniPath = cniPath;
    }

    public Path path() {
        return cniPath;
    }

    /** The plugins of {@code list} that are missing from the CNI path (empty when all are there). */
    public List<String> missing(CniConflist list) {
        List<String> missing = new ArrayList<>();
        for (ObjectNode p : list.plugins()) {
            String type = p.path("type").asText();
            if (!Files.isExecutable(cniPath.resolve(type))) {
                missing.add(type);
            }
            String ipam = p.path("ipam").path("type").asText("");
            if (!ipam.isEmpty() && !Files.isExecutable(cniPath.resolve(ipam))) {
                missing.add(ipam);
            }
        }
        return missing;
    }

    /** Adds the container (whose network namespace is {@code netns}) to the network. */
    public CniResult add(CniConflist list, String containerId, String netns, String ifName) {
        Optional<JsonNode> result = Optional.empty();
        for (ObjectNode plugin : list.plugins()) {
            JsonNode out = exec("ADD", plugin, list.pluginConfig(plugin, result), containerId, netns, ifName);
            result = Optional.of(out);
        }
        return CniResult.of(result.orElseThrow());
    }

    /**
     * Takes the container off the network; idempotent, and works when its namespace is gone
     * ({@code netns} empty: the plugins then only release what they hold on the host, e.g. the address).
     */
    public void del(CniConflist list, String containerId, String netns, String ifName) {
        List<ObjectNode> reversed = new ArrayList<>(list.plugins());
        Collections.reverse(reversed);
        RuntimeException failure = null;
        for (ObjectNode plugin : reversed) {
            try {
                exec("DEL", plugin, list.pluginConfig(plugin, Optional.empty()), containerId, netns, ifName);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private JsonNode exec(String command, ObjectNode plugin, ObjectNode config, String containerId, String netns,
                          String ifName) {
        String type = plugin.path("type").asText();
        Path binary = cniPath.resolve(type);
        String what = "CNI " + command + " " + type + " for " + containerId;
        ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_PATH", cniPath.toString());
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(CniConflist.JSON.writeValueAsBytes(config));
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CniException(what + ": no answer within " + TIMEOUT_SECONDS + " s");
            }
            String out = new String(stdout.join(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new CniException(what + ": " + errorMessage(out, p.exitValue()));
            }
            return out.isEmpty() ? CniConflist.JSON.createObjectNode() : CniConflist.JSON.readTree(out);
        } catch (IOException e) {
            throw new CniException(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(what + ": interrupted", e);
        }
    }

    /** The spec's error object: {"code": N, "msg": "...", "details": "..."}. */
    private static String errorMessage(String out, int exit) {
        try {
            JsonNode error = CniConflist.JSON.readTree(out);
            String msg = error.path("msg").asText("");
            String details = error.path("details").asText("");
            if (!msg.isEmpty()) {
                return msg + (details.isEmpty() ? "" : " (" + details + ")");
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the text as it is
        }
        return "exit " + exit + (out.isEmpty() ? "" : ": " + out);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
