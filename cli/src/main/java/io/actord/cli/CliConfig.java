package io.actord.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * actorctl's own settings: the tokens {@code actorctl login} stored, one per daemon URL, and the URL to use when
 * no {@code --url}, {@code --socket}, ACTORD_URL or ACTORD_SOCKET says where the daemon is (the last one logged in
 * to). The file is {@code $ACTORCTL_CONFIG}, else {@code $XDG_CONFIG_HOME/actord/config.json}, else
 * {@code ~/.config/actord/config.json}:
 * <pre>
 *   {"url": "http://127.0.0.1:7070", "logins": {"http://127.0.0.1:7070": {"token": "apify_api_…", "user": "ada"}}}
 * </pre>
 * It holds secrets, so it is written with mode 0600 in a 0700 directory (as gh's hosts.yml and docker's
 * config.json are), by a rename of a complete file.
 */
public final class CliConfig {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final ObjectNode root;

    private CliConfig(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** Where the file is for {@code context}'s environment; empty when neither HOME nor XDG_CONFIG_HOME is set. */
    public static Optional<Path> location(Context context) {
        return context.env("ACTORCTL_CONFIG").map(Path::of)
                .or(() -> context.env("XDG_CONFIG_HOME").map(d -> Path.of(d, "actord", "config.json")))
                .or(() -> context.env("HOME").map(h -> Path.of(h, ".config", "actord", "config.json")));
    }

    /** The settings in {@code context}'s file; empty ones when there is no file (or no place for one). */
    public static CliConfig load(Context context) {
        Optional<Path> where = location(context);
        if (where.isEmpty()) {
            return new CliConfig(null, Json.object());
        }
        Path file = where.get();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new CliConfig(file, Json.object());
        } catch (IOException e) {
            throw new CliException("read " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode node = Json.parse(bytes);
            if (!node.isObject()) {
                throw new CliException(file + " is not a JSON object; fix or delete it");
            }
            return new CliConfig(file, (ObjectNode) node);
        } catch (JsonProcessingException e) {
            throw new CliException(file + " is not valid JSON: " + Json.describe(e) + "; fix or delete it");
        } catch (IOException e) {
            throw new CliException("read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The URL logged in to last, if any. */
    public Optional<String> url() {
        return Optional.ofNullable(root.get("url")).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /** The token stored for {@code url} (as {@link io.actord.cli.http.Endpoint} prints it). */
    public Optional<String> token(String url) {
        JsonNode token = root.path("logins").path(url).path("token");
        return token.isTextual() && !token.asText().isEmpty() ? Optional.of(token.asText()) : Optional.empty();
    }

    public Path file() {
        if (file == null) {
            throw new CliException("actorctl has nowhere to keep its settings: set HOME, XDG_CONFIG_HOME or"
                    + " ACTORCTL_CONFIG");
        }
        return file;
    }

    /** Stores {@code token} for {@code url}, makes {@code url} the default and writes the file. */
    public void login(String url, String token, String user) {
        ObjectNode login = logins().putObject(url);
        login.put("token", token);
        if (user != null) {
            login.put("user", user);
        }
        root.put("url", url);
        save();
    }

    /** Forgets {@code url}'s token (and the default, if it was that URL); false when there was none. */
    public boolean logout(String url) {
        boolean had = logins().remove(url) != null;
        if (url().filter(url::equals).isPresent()) {
            root.remove("url");
            had = true;
        }
        if (had) {
            save();
        }
        return had;
    }

    private ObjectNode logins() {
        JsonNode logins = root.get("logins");
        return logins instanceof ObjectNode o ? o : root.putObject("logins");
    }

    /** Writes a complete file with mode 0600 beside the old one, then renames it over it. */
    private void save() {
        Path target = file();
        Path dir = target.toAbsolutePath().getParent();
        try {
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (FileAlreadyExistsException e) {
                // kept as it is: the user may have chosen its mode
            }
            Path tmp = Files.createTempFile(dir, ".config-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.write(tmp, (Json.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8));
                Files.setPosixFilePermissions(tmp, OWNER_ONLY);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CliException("write " + target + ": " + e.getMessage(), e);
        }
    }
}
