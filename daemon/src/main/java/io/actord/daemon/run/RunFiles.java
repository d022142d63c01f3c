package io.actord.daemon.run;

import com.fasterxml.jackson.core.JsonParser;
import io.actord.daemon.common.Json;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.storage.RunStorages;
import io.actord.runtime.ExchangeDirectory;
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
 * The file bridge between a run and its default key-value store, beside the in-run API: the container finds
 * INPUT in {@link #MOUNT} ({@link #ENV} names it), a directory on its writable layer (so it counts against
 * the run's disk limit), and when the container exits every other regular file there becomes a record of the
 * same name (OUTPUT, for example). Files are opened without following symlinks, so a run cannot make the
 * daemon read host files through a link.
 */
public final class RunFiles {
    public static final String MOUNT = "/actord/kv";
    public static final String ENV = "ACTORD_KV_DIR";
    /** Apify's record-key rule. */
    private static final Pattern KEY = Pattern.compile("^[a-zA-Z0-9!\\-_.'()]{1,256}$");
    private static final Logger LOG = LoggerFactory.getLogger(RunFiles.class);

    private final Path runsDir;
    private final long maxRecordBytes;

    /** @param runsDir where earlier daemons kept each run's files on the host, removed with the run */
    public RunFiles(Path runsDir, long maxRecordBytes) {
        this.runsDir = runsDir;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The directory a container starts with: INPUT, if the run has one. */
    public static ExchangeDirectory withInput(Optional<KvRecord> input) {
        return new ExchangeDirectory(MOUNT, input.map(r -> Map.of(RunStorages.INPUT_KEY, r.value())).orElse(Map.of()));
    }

    /**
     * The regular files the run left in {@code dir} (its container's {@link MOUNT}), except INPUT, as records
     * with a content type guessed from the bytes.
     */
    public Map<String, KvRecord> collect(String runId, Path dir) {
        Map<String, KvRecord> records = new LinkedHashMap<>();
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
            LOG.warn("collect run files run={} error=\"{}\"", runId, e.getMessage());
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

    /** Deletes what an earlier daemon kept of the run on the host (retention); symlinks are removed, never followed. */
    public void delete(String runId) {
        Path root = runsDir.resolve(runId);
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException("delete files of run " + runId + " in " + root, e);
        }
    }
}
