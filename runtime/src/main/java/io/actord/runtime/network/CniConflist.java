package io.actord.runtime.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A CNI network configuration list (the CNI spec's "conflist"): a name, a version and the plugins to run in
 * order. actord writes its own once ({@link #writeDefault}: the {@code bridge} plugin with {@code host-local}
 * IPAM); an operator may replace the file with any conflist, which is then used as it is.
 *
 * @param name       the network's name (host-local keeps its allocations under it)
 * @param cniVersion the protocol version the plugins are spoken to in
 * @param plugins    each plugin's own configuration, in the order ADD runs them
 */
public record CniConflist(String name, String cniVersion, List<ObjectNode> plugins) {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The newest version Debian's containernetworking-plugins 1.1.1 speak. */
    public static final String VERSION = "1.0.0";

    public CniConflist {
        plugins = List.copyOf(plugins);
        if (plugins.isEmpty()) {
            throw new IllegalArgumentException("CNI network " + name + " has no plugins");
        }
        for (ObjectNode plugin : plugins) {
            if (!plugin.path("type").isTextual()) {
                throw new IllegalArgumentException("CNI network " + name + ": a plugin has no \"type\"");
            }
        }
    }

    public static CniConflist read(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            List<ObjectNode> plugins = new ArrayList<>();
            root.path("plugins").forEach(p -> {
                if (p instanceof ObjectNode o) {
                    plugins.add(o);
                }
            });
            return new CniConflist(root.path("name").asText("actord"), root.path("cniVersion").asText(VERSION),
                    plugins);
        } catch (IOException e) {
            throw new UncheckedIOException("read CNI conflist " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CNI conflist " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * actord's own network: a bridge that is the runs' gateway (no masquerade in the plugin: the host's nft
     * table of actord does it, see {@link HostNat}), hairpin off, addresses from {@code subnet} by
     * host-local with its state in {@code ipamDir}. Written atomically.
     */
    public static CniConflist writeDefault(Path file, String bridge, String subnet, Path ipamDir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("cniVersion", VERSION);
        root.put("name", "actord");
        ArrayNode plugins = root.putArray("plugins");
        ObjectNode br = plugins.addObject();
        br.put("type", "bridge");
        br.put("bridge", bridge);
        br.put("isGateway", true);
        br.put("ipMasq", false);
        br.put("hairpinMode", false);
        ObjectNode ipam = br.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.put("dataDir", ipamDir.toString());
        ipam.putArray("ranges").addArray().addObject().put("subnet", subnet);
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("write CNI conflist " + file + ": " + e.getMessage(), e);
        }
        return read(file);
    }

    /** The bridge of the first {@code bridge} plugin, if the network has one. */
    public Optional<String> bridge() {
        return plugins.stream().filter(p -> "bridge".equals(p.path("type").asText()))
                .map(p -> p.path("bridge").asText("cni0")).findFirst();
    }

    /** The first subnet of the first host-local IPAM range. */
    public Optional<String> subnet() {
        return plugins.stream().map(p -> p.path("ipam").path("ranges").path(0).path(0).path("subnet"))
                .filter(JsonNode::isTextual).map(JsonNode::asText).findFirst();
    }

    /** Where host-local keeps this network's allocations (a directory per network name). */
    public Optional<Path> ipamDir() {
        return plugins.stream().map(p -> p.path("ipam"))
                .filter(i -> "host-local".equals(i.path("type").asText()))
                .map(i -> Path.of(i.path("dataDir").asText("/var/lib/cni/networks")).resolve(name)).findFirst();
    }

    /** What one plugin is given on stdin: its configuration with the network's name and version. */
    ObjectNode pluginConfig(ObjectNode plugin, Optional<JsonNode> prevResult) {
        ObjectNode config = plugin.deepCopy();
        config.put("name", name);
        config.put("cniVersion", cniVersion);
        prevResult.ifPresent(r -> config.set("prevResult", r));
        return config;
    }
}
