package io.actord.daemon.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import io.actord.daemon.common.Json;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.DirectoryTar;
import io.actord.daemon.image.TarEntry;
import io.actord.daemon.image.TarWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Images for tests, written here from scratch (nothing is downloaded): layers as tar streams, and OCI
 * image layouts (directory or tar) and docker-archives around them.
 */
public final class TestImages {
    /** How layer blobs are compressed. */
    public enum Compression { NONE, GZIP, ZSTD }

    private TestImages() {
    }

    /** The uid and gid of this process: entries owned by them can be unpacked without root. */
    public static int[] ownIds() {
        try {
            return new int[] {(int) Files.getAttribute(Path.of("/proc/self"), "unix:uid"),
                    (int) Files.getAttribute(Path.of("/proc/self"), "unix:gid")};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A layer's tar, built member by member (owned by this process unless said otherwise). */
    public static final class Layer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarWriter tar = new TarWriter(bytes);
        private final int[] ids = ownIds();

        public Layer dir(String name) throws IOException {
            return add(TarEntry.directory(name, 0755), null);
        }

        public Layer file(String name, String content) throws IOException {
            return file(name, content, 0644);
        }

        public Layer file(String name, String content, int mode) throws IOException {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            return add(TarEntry.file(name, mode, data.length), data);
        }

        public Layer symlink(String name, String target) throws IOException {
            return add(TarEntry.symlink(name, target), null);
        }

        public Layer hardlink(String name, String source) throws IOException {
            return add(TarEntry.hardlink(name, source), null);
        }

        /** Deletes {@code name} of the layers below (OCI whiteout {@code .wh.NAME}). */
        public Layer whiteout(String dir, String name) throws IOException {
            return add(TarEntry.file((dir.isEmpty() ? "" : dir + "/") + ".wh." + name, 0644, 0), null);
        }

        /** Hides everything the layers below have in {@code dir} (OCI opaque whiteout). */
        public Layer opaque(String dir) throws IOException {
            return whiteout(dir, ".wh..opq");
        }

        /** Any member as given (its owner kept); {@code content} for regular files. */
        public Layer raw(TarEntry e, byte[] content) throws IOException {
            if (content == null) {
                tar.add(e);
            } else {
                tar.add(e, content);
            }
            return this;
        }

        private Layer add(TarEntry e, byte[] content) throws IOException {
            return raw(e.withOwner(ids[0], ids[1]).withMtime(1_700_000_000L), content);
        }

        public byte[] tar() throws IOException {
            tar.close();
            return bytes.toByteArray();
        }
    }

    /** A directory tree as one layer, owners and modes as on disk. */
    public static byte[] layerOf(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DirectoryTar.write(dir, out);
        return out.toByteArray();
    }

    public static byte[] compress(byte[] tar, Compression c) throws IOException {
        if (c == Compression.NONE) {
            return tar;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = c == Compression.GZIP ? new GZIPOutputStream(out) : new ZstdOutputStream(out)) {
            z.write(tar);
        }
        return out.toByteArray();
    }

    /** An image: layer tars (lowest first) and the run settings of its config. */
    public record Image(List<byte[]> layers, List<String> entrypoint, List<String> cmd, List<String> env,
                        String workingDir, String user) {
        public static Image of(List<byte[]> layers) {
            return new Image(layers, List.of(), List.of(), List.of(), null, null);
        }

        public Image withConfig(List<String> newEntrypoint, List<String> newCmd, List<String> newEnv, String dir,
                                String newUser) {
            return new Image(layers, newEntrypoint, newCmd, newEnv, dir, newUser);
        }

        byte[] config() {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("architecture", "amd64").put("os", "linux");
            ObjectNode c = root.putObject("config");
            strings(c.putArray("Entrypoint"), entrypoint);
            strings(c.putArray("Cmd"), cmd);
            strings(c.putArray("Env"), env);
            if (workingDir != null) {
                c.put("WorkingDir", workingDir);
            }
            if (user != null) {
                c.put("User", user);
            }
            ObjectNode rootfs = root.putObject("rootfs").put("type", "layers");
            ArrayNode ids = rootfs.putArray("diff_ids");
            layers.forEach(l -> ids.add(Digest.of(l).toString()));
            ArrayNode history = root.putArray("history");
            for (int i = 0; i < layers.size(); i++) {
                history.addObject().put("created_by", "layer " + (i + 1) + " of a test image");
            }
            return json(root);
        }
    }

    /** The files of an OCI image layout holding {@code image} under {@code tag}. */
    public static Map<String, byte[]> ociLayout(Image image, String tag, Compression c) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        byte[] config = image.config();
        ObjectNode manifest = Json.MAPPER.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", config));
        ArrayNode layers = manifest.putArray("layers");
        String type = "application/vnd.oci.image.layer.v1.tar" + switch (c) {
            case NONE -> "";
            case GZIP -> "+gzip";
            case ZSTD -> "+zstd";
        };
        blob(files, config);
        for (byte[] tar : image.layers()) {
            byte[] blob = compress(tar, c);
            layers.add(descriptor(type, blob));
            blob(files, blob);
        }
        byte[] manifestJson = json(manifest);
        blob(files, manifestJson);
        ObjectNode index = Json.MAPPER.createObjectNode().put("schemaVersion", 2);
        ObjectNode entry = descriptor("application/vnd.oci.image.manifest.v1+json", manifestJson);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        index.putArray("manifests").add(entry);
        files.put("index.json", json(index));
        return files;
    }

    /** The files of a classic {@code docker save} archive holding {@code image} as {@code repoTag}. */
    public static Map<String, byte[]> dockerArchive(Image image, String repoTag) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] config = image.config();
        String configName = Digest.of(config).hex() + ".json";
        files.put(configName, config);
        List<String> layerNames = new ArrayList<>();
        for (byte[] tar : image.layers()) {
            String name = Digest.of(tar).hex() + "/layer.tar";
            files.put(name, tar);
            layerNames.add(name);
        }
        ObjectNode entry = Json.MAPPER.createObjectNode().put("Config", configName);
        entry.putArray("RepoTags").add(repoTag);
        strings(entry.putArray("Layers"), layerNames);
        files.put("manifest.json", json(Json.MAPPER.createArrayNode().add(entry)));
        return files;
    }

    /** Writes the files into a directory. */
    public static Path writeDir(Path dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        return dir;
    }

    /** Writes the files as a tar archive. */
    public static Path writeTar(Path file, Map<String, byte[]> files) throws IOException {
        try (TarWriter tar = new TarWriter(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                tar.add(TarEntry.file(f.getKey(), 0644, f.getValue().length), f.getValue());
            }
        }
        return file;
    }

    private static void blob(Map<String, byte[]> files, byte[] content) {
        files.put("blobs/sha256/" + Digest.of(content).hex(), content);
    }

    private static ObjectNode descriptor(String mediaType, byte[] content) {
        return Json.MAPPER.createObjectNode().put("mediaType", mediaType).put("digest", Digest.of(content).toString())
                .put("size", content.length);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static byte[] json(Object node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
