package io.actord.daemon.runlog;

import io.actord.daemon.common.StateDirectory;
import io.actord.daemon.state.StoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Every run's log file, {@code <dir>/<runId>.log}, and the open {@link RunLog}s of active runs. */
public final class RunLogs {
    private final Path dir;
    private final long capBytes;
    private final Clock clock;
    private final Map<String, RunLog> open = new ConcurrentHashMap<>();

    public RunLogs(Path dir, long capBytes, Clock clock) {
        this.dir = dir;
        this.capBytes = capBytes;
        this.clock = clock;
        try {
            StateDirectory.createPrivate(dir);
        } catch (IOException e) {
            throw new StoreException("create log directory " + dir, e);
        }
    }

    /** The log of an active run, opened for appending (a resurrected run continues its log). */
    public RunLog open(String runId) {
        return open.computeIfAbsent(runId, id -> {
            try {
                return new RunLog(id, file(id), capBytes, clock);
            } catch (IOException e) {
                throw new UncheckedIOException("open log of run " + id, e);
            }
        });
    }

    /** The whole log as written so far; empty when the run wrote nothing. */
    public byte[] read(String runId) {
        try {
            return Files.readAllBytes(file(runId));
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException("read log of run " + runId, e);
        }
    }

    /** Follows an active run's log; for a run with no open log, sends the file and ends. */
    public void follow(String runId, LogFollower follower) {
        Optional<RunLog> log = Optional.ofNullable(open.get(runId));
        if (log.isPresent()) {
            log.get().follow(follower);
        } else {
            follower.chunk(read(runId));
            follower.end();
        }
    }

    public void unfollow(String runId, LogFollower follower) {
        Optional.ofNullable(open.get(runId)).ifPresent(l -> l.unfollow(follower));
    }

    /** The run's output is complete: end its followers and close the file. */
    public void finish(String runId) {
        Optional.ofNullable(open.remove(runId)).ifPresent(RunLog::finish);
    }

    /** Deletes a finished run's log file (retention); missing is fine. */
    public void delete(String runId) {
        finish(runId);
        try {
            Files.deleteIfExists(file(runId));
        } catch (IOException e) {
            throw new UncheckedIOException("delete log of run " + runId, e);
        }
    }

    /** Daemon shutdown: end every stream; the files stay, and a restarted daemon reopens them. */
    public void closeAll() {
        open.values().forEach(RunLog::finish);
        open.clear();
    }

    private Path file(String runId) {
        return dir.resolve(runId + ".log");
    }
}
