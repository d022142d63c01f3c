package io.actord.daemon.runlog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The part of a run's log asked for with {@code tail=N} and {@code since=TIME} (as {@code docker logs --tail --since}
 * pick lines): the lines written at or after {@code since}, of them the last {@code tail}. Every line of a log starts
 * with the time it was written ({@code 2026-12-07T09:00:00.123Z }, see {@link RunLog}); a line without one (the rest
 * of a line the cap cut) goes with the line before it. A followed log applies the window to what was written before
 * the request; everything written later is new, so it all follows.
 */
public record LogWindow(OptionalLong tail, Optional<Instant> since) {
    public static final LogWindow ALL = new LogWindow(OptionalLong.empty(), Optional.empty());
    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ}: RunLog's timestamp. */
    private static final int STAMP = 24;

    public boolean isAll() {
        return tail.isEmpty() && since.isEmpty();
    }

    /** The lines of {@code log} in the window. */
    public byte[] apply(byte[] log) {
        if (isAll() || log.length == 0) {
            return log;
        }
        List<Integer> starts = lineStarts(log);
        int first = 0;
        if (since.isPresent()) {
            first = starts.size();
            for (int i = 0; i < starts.size(); i++) {
                Optional<Instant> at = stamp(log, starts.get(i));
                if (at.isPresent() && !at.get().isBefore(since.get())) {
                    first = i;
                    break;
                }
            }
        }
        if (tail.isPresent()) {
            first = (int) Math.max(first, starts.size() - Math.min(tail.getAsLong(), starts.size()));
        }
        int from = first == starts.size() ? log.length : starts.get(first);
        byte[] out = new byte[log.length - from];
        System.arraycopy(log, from, out, 0, out.length);
        return out;
    }

    /** {@code follower}, with the window applied to the first chunk it gets (what the log held when it was asked). */
    public LogFollower following(LogFollower follower) {
        if (isAll()) {
            return follower;
        }
        return new LogFollower() {
            private boolean first = true;

            @Override
            public void chunk(byte[] bytes) {
                follower.chunk(first ? apply(bytes) : bytes);
                first = false;
            }

            @Override
            public void end() {
                follower.end();
            }
        };
    }

    /** Where each line starts: at 0 and after each newline (not after the last byte). */
    private static List<Integer> lineStarts(byte[] log) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < log.length - 1; i++) {
            if (log[i] == '\n') {
                starts.add(i + 1);
            }
        }
        return starts;
    }

    private static Optional<Instant> stamp(byte[] log, int start) {
        if (start + STAMP > log.length || log[start + STAMP - 1] != 'Z' || log[start + 4] != '-') {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(new String(log, start, STAMP, StandardCharsets.US_ASCII)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
