package io.actord.daemon.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The console's files, read once at start-up from the {@code web/} resource directory next to this class
 * (in the daemon jar, or in target/classes when run from a build), with their content types, ETags and
 * gzipped forms.
 *
 * <p>Caching: every file but {@code index.html} is served under {@code /console/<version>/}, where the
 * version is a hash of all of them, so browsers may keep them forever and a new daemon's files get new
 * URLs; the ES modules import each other by relative paths, so nothing needs rewriting but the
 * {@value #VERSION_PLACEHOLDER} placeholder in {@code index.html}, which is always revalidated.
 */
public final class ConsoleAssets {
    public static final String INDEX = "index.html";
    static final String VERSION_PLACEHOLDER = "%CONSOLE_VERSION%";
    private static final String ROOT = "web/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "json", "application/json",
            "png", "image/png",
            "woff2", "font/woff2");

    /**
     * One file as served.
     *
     * @param gzipped the body gzipped, when that is smaller; else empty
     * @param etag    a strong ETag (quoted) of the body; the gzipped form's is this with {@code -gz} appended
     */
    public record Asset(String path, String contentType, byte[] body, Optional<byte[]> gzipped, String etag) {
        public String gzipEtag() {
            return etag.substring(0, etag.length() - 1) + "-gz\"";
        }
    }

    private final String version;
    private final Map<String, Asset> assets;

    private ConsoleAssets(String version, Map<String, Asset> assets) {
        this.version = version;
        this.assets = assets;
    }

    /** The console shipped with the daemon. */
    public static ConsoleAssets load() {
        URL index = ConsoleAssets.class.getResource(ROOT + INDEX);
        if (index == null) {
            throw new IllegalStateException("the console's files are missing from the daemon's classpath ("
                    + ROOT + INDEX + " next to " + ConsoleAssets.class.getName() + ")");
        }
        try {
            return at(index.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("locate the console's files at " + index, e);
        }
    }

    /** The files in the directory of {@code index} (a {@code file:} or {@code jar:} URI of an index.html). */
    static ConsoleAssets at(URI index) {
        if (!"jar".equals(index.getScheme())) {
            return read(Path.of(index).getParent());
        }
        FileSystem opened = null;
        try {
            try {
                opened = FileSystems.newFileSystem(index, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                // Someone else's open view of the same jar: read through it and leave it open.
            }
            return read(Path.of(index).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("open the console's files in " + index, e);
        } finally {
            if (opened != null) {
                try {
                    opened.close();
                } catch (IOException e) {
                    // Everything was read; a failed close of a read-only view loses nothing.
                }
            }
        }
    }

    static ConsoleAssets read(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(dir.relativize(p).toString().replace(dir.getFileSystem().getSeparator(), "/"),
                        Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read the console's files in " + dir, e);
        }
        byte[] index = files.remove(INDEX);
        if (index == null) {
            throw new IllegalStateException("the console has no " + INDEX + " in " + dir);
        }
        MessageDigest all = sha256();
        files.forEach((path, body) -> {
            all.update(path.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(body);
            all.update((byte) 0);
        });
        String version = HexFormat.of().formatHex(all.digest()).substring(0, 12);
        Map<String, Asset> assets = new TreeMap<>();
        files.forEach((path, body) -> assets.put(path, asset(path, body)));
        assets.put(INDEX, asset(INDEX, new String(index, StandardCharsets.UTF_8)
                .replace(VERSION_PLACEHOLDER, version).getBytes(StandardCharsets.UTF_8)));
        return new ConsoleAssets(version, Map.copyOf(assets));
    }

    /** The hash of every file but index.html: the path segment under /console/ their URLs have. */
    public String version() {
        return version;
    }

    /** The file at {@code path} (relative, '/'-separated), if there is one. */
    public Optional<Asset> get(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    private static Asset asset(String path, byte[] body) {
        String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String etag = "\"" + HexFormat.of().formatHex(sha256().digest(body)).substring(0, 20) + "\"";
        byte[] gz = gzip(body);
        return new Asset(path, TYPES.getOrDefault(ext, "application/octet-stream"), body,
                gz.length < body.length ? Optional.of(gz) : Optional.empty(), etag);
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip a console file in memory", e);
        }
        return out.toByteArray();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
