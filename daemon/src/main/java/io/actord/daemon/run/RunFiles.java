package io.actord.daemon.run;

import com.fasterxml.jackson.core.JsonParser;
import io.actord.daemon.common.Json;
import io.actord.daemon.common.StateDirectory;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.storage.RunStorages;
import io.actord.runtime.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The file bridge between a run and its default key-value store, until the in-run API (issue #6) lets
 * actors use the store over HTTP: the daemon writes INPUT into {@code <runsDir>/<runId>/kv}, which the
 * container sees at {@link #MOUNT} ({@link #ENV} names it), and when the container exits every other
 * regular file there becomes a record of the same name (OUTPUT, for example). Files are opened without
 * following symlinks, so a run cannot make the daemon read host files through a link.
 */
public final class RunFiles {
    public static final String MOUNT = "/actord/kv";
    public static final String ENV = "ACTORD_KV_DIR";
    /** Apify's record-key rule. */
    private static final Pattern KEY = Pattern.compile("^[a-zA-Z0-9!\\-_.'()]{1,256}$");
    private static final Logger LOG = LoggerFactory.getLogger(RunFiles.class);

    private final Path runsDir;
    private final long maxRecordBytes;

    public RunFiles(Path runsDir, long maxRecordBytes) {
        this.runsDir = runsDir;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Creates the run's directory and (re)writes INPUT into it; returns the directory to bind into the container. */
    public Path prepare(String runId, Optional<KvRecord> input) {
        Path dir = dir(runId);
        try {
            StateDirectory.createPrivate(dir.getParent());
            Files.createDirectories(dir);
            Path inputFile = dir.resolve(RunStorages.INPUT_KEY);
            Files.deleteIfExists(inputFile);
            if (input.isPresent()) {
                Files.write(inputFile, input.get().value(), StandardOpenOption.CREATE_NEW);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("prepare files of run " + runId + " in " + dir, e);
        }
    }

    /** The regular files the run left, except INPUT, as records with a content type guessed from the bytes. */
    public Map<String, KvRecord> collect(String runId) {
        Map<String, KvRecord> records = new LinkedHashMap<>();
        Path dir = dir(runId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String key = f.getFileName().toString();
                if (key.equals(RunStorages.INPUT_KEY) || !KEY.matcher(key).matches()
                        || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                readNoFollow(f).ifPresent(bytes -> records.put(key, new KvRecord(contentTypeOf(bytes), bytes)));
            }
        } catch (IOException e) {
            LOG.warn("collect run files run={} dir={} error=\"{}\"", runId, dir, e.getMessage());
        }
        return records;
    }

    private Optional<byte[]> readNoFollow(Path f) throws IOException {
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(f, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            byte[] bytes = in.readNBytes((int) Math.min(maxRecordBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxRecordBytes) {
                LOG.warn("run file too large to store file={} limit={}", f, maxRecordBytes);
                return Optional.empty();
            }
            return Optional.of(bytes);
        }
    }

    /** JSON if it parses as JSON, text if it is UTF-8, else bytes: what the stores' clients expect. */
    static String contentTypeOf(byte[] bytes) {
        try (JsonParser p = Json.MAPPER.createParser(bytes)) {
            Json.MAPPER.readTree(p);
            if (p.nextToken() == null && bytes.length > 0) {
                return "application/json; charset=utf-8";
            }
        } catch (IOException notJson) {
            LOG.trace("not JSON: {}", notJson.getMessage());
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return "text/plain; charset=utf-8";
        } catch (CharacterCodingException e) {
            return "application/octet-stream";
        }
    }

    /** Deletes everything the run left in its directory (retention); symlinks are removed, never followed. */
    public void delete(String runId) {
        Path root = runsDir.resolve(runId);
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException("delete files of run " + runId + " in " + root, e);
        }
    }

    private Path dir(String runId) {
        return runsDir.resolve(runId).resolve("kv");
    }
}
