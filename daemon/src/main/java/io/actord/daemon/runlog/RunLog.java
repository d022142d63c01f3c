package io.actord.daemon.runlog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of one active run: appends with timestamps at line starts, enforces the size cap, and feeds its
 * followers. All methods are synchronized: the pump appends while API threads add followers, and a
 * follower must get the file's content and then every later chunk, with nothing lost or repeated between.
 */
public final class RunLog {
    private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final String runId;
    private final Path file;
    private final long capBytes;
    private final Clock clock;
    private final List<LogFollower> followers = new ArrayList<>();
    private FileOutputStream out;
    private long written;
    private boolean atLineStart = true;
    private boolean capped;
    private boolean finished;

    RunLog(String runId, Path file, long capBytes, Clock clock) throws IOException {
        this.runId = runId;
        this.file = file;
        this.capBytes = capBytes;
        this.clock = clock;
        this.written = Files.exists(file) ? Files.size(file) : 0;
        this.atLineStart = written == 0 || endsWithNewline(file);
        this.out = new FileOutputStream(file.toFile(), true);
        this.capped = written >= capBytes;
    }

    /** Appends workload output, inserting a timestamp at the start of each line. */
    public synchronized void append(byte[] buf, int off, int len) {
        if (finished || capped || len <= 0) {
            return;
        }
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(len + 32);
        String ts = null;
        for (int i = off; i < off + len; i++) {
            if (atLineStart) {
                if (ts == null) {
                    ts = TIMESTAMP.format(clock.instant()) + " ";
                }
                chunk.writeBytes(ts.getBytes(StandardCharsets.US_ASCII));
                atLineStart = false;
            }
            chunk.write(buf[i]);
            if (buf[i] == '\n') {
                atLineStart = true;
            }
        }
        emit(chunk.toByteArray());
    }

    /** Appends a line from the daemon itself ("ACTOR: ..."), as the platform's system lines read. */
    public synchronized void system(String message) {
        if (finished) {
            return;
        }
        String line = (atLineStart ? "" : "\n") + TIMESTAMP.format(clock.instant()) + " ACTOR: " + message + "\n";
        boolean wasCapped = capped;
        capped = false;
        writeRaw(line.getBytes(StandardCharsets.UTF_8));
        capped = wasCapped || written >= capBytes;
        atLineStart = true;
    }

    private void emit(byte[] bytes) {
        if (written + bytes.length > capBytes) {
            int room = (int) Math.max(0, capBytes - written);
            byte[] head = new byte[room];
            System.arraycopy(bytes, 0, head, 0, room);
            writeRaw(head);
            String note = "\n" + TIMESTAMP.format(clock.instant()) + " ACTOR: the log reached its limit of " + capBytes
                    + " bytes; later output is dropped\n";
            writeRaw(note.getBytes(StandardCharsets.UTF_8));
            capped = true;
            atLineStart = true;
            return;
        }
        writeRaw(bytes);
    }

    private void writeRaw(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        try {
            out.write(bytes);
        } catch (IOException e) {
            LOG.warn("log write failed run={} file={} error=\"{}\"", runId, file, e.getMessage());
            return;
        }
        written += bytes.length;
        for (LogFollower f : followers) {
            f.chunk(bytes);
        }
    }

    /** Sends what was written so far, then every later chunk, until {@link #finish()}. */
    public synchronized void follow(LogFollower follower) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] existing = in.readNBytes((int) Math.min(written, Integer.MAX_VALUE));
            follower.chunk(existing);
        } catch (IOException e) {
            LOG.warn("log read failed run={} file={} error=\"{}\"", runId, file, e.getMessage());
        }
        if (finished) {
            follower.end();
        } else {
            followers.add(follower);
        }
    }

    public synchronized void unfollow(LogFollower follower) {
        followers.remove(follower);
    }

    /** Ends every follower and closes the file: the run's output is complete. Idempotent. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        followers.forEach(LogFollower::end);
        followers.clear();
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("log close failed run={} error=\"{}\"", runId, e.getMessage());
        }
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (var ch = Files.newByteChannel(file)) {
            if (ch.size() == 0) {
                return true;
            }
            ch.position(ch.size() - 1);
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one);
            return one.get(0) == '\n';
        }
    }
}
