package io.actord.runtime.userns;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host ids a container's ids 0..size-1 are mapped to: {@code hostStart}..{@code hostStart + size - 1},
 * for uids and gids alike.
 */
public record IdRange(long hostStart, int size) {
    /** What a container gets: the 16-bit ids every image expects (nobody is 65534). */
    public static final int CONTAINER_IDS = 65536;

    private static final Pattern MAP_LINE = Pattern.compile("\\s*0\\s+(\\d+)\\s+(\\d+)\\s*");

    public IdRange {
        if (hostStart <= 0 || size <= 0 || hostStart + size > 1L << 32) {
            throw new IllegalArgumentException("id range " + hostStart + "+" + size + " is not within 1..2^32-1");
        }
    }

    /** The host id of the container's root. */
    public long root() {
        return hostStart;
    }

    /** The line for /proc/PID/uid_map and gid_map: "inside-start host-start count". */
    public String mapLine() {
        return "0 " + hostStart + " " + size + "\n";
    }

    public boolean contains(long hostId) {
        return hostId >= hostStart && hostId < hostStart + size;
    }

    /**
     * The range of a process's /proc/PID/uid_map when it maps the container's 0 upwards in one line (as
     * actord's do); empty for the initial namespace's "0 0 4294967295" and any other shape.
     */
    public static Optional<IdRange> fromUidMap(String uidMap) {
        String[] lines = uidMap.strip().split("\n");
        if (lines.length != 1) {
            return Optional.empty();
        }
        Matcher m = MAP_LINE.matcher(lines[0]);
        if (!m.matches()) {
            return Optional.empty();
        }
        long start = Long.parseLong(m.group(1));
        long size = Long.parseLong(m.group(2));
        return start == 0 || size > CONTAINER_IDS ? Optional.empty() : Optional.of(new IdRange(start, (int) size));
    }

    @Override
    public String toString() {
        return hostStart + "+" + size;
    }
}
