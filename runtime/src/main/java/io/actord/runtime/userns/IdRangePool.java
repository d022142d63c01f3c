package io.actord.runtime.userns;

import io.actord.runtime.ContainerException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The host id ranges containers get, {@link IdRange#CONTAINER_IDS} ids each, handed out so that no two live
 * containers share one. Thread-safe.
 *
 * <p>Where the ids come from ({@link #configured}): as podman's {@code --userns=auto} does, the host's
 * {@code /etc/subuid} and {@code /etc/subgid} entry for "actord" (else "containers"), when both files give
 * it the same range; otherwise {@link #DEFAULT_START} upwards, 12,288 ranges up to 0x6FFFFFFF. That block
 * lies in the range systemd reserves for container ids (UIDS-GIDS.md: 0x80000..0x6FFFFFFF, which no
 * login user or system account takes), keeps every id below 2^31 (tools that read ids as signed ints,
 * and net.ipv4.ping_group_range, stop there), and leaves nspawn's and podman's usual picks (near the
 * bottom of that block, and 100000+) alone.
 *
 * <p>After a restart nothing is stored: {@link #claimLive} reads every process's uid_map, so the range of
 * each container still running is taken before any new one is handed out.
 */
public final class IdRangePool {
    public static final long DEFAULT_START = 0x4000_0000L;
    public static final int DEFAULT_RANGES = 12_288;
    static final List<String> SUBID_OWNERS = List.of("actord", "containers");

    private final long start;
    private final int ranges;
    private final BitSet used = new BitSet();
    private int next;

    public IdRangePool(long start, int ranges) {
        if (ranges <= 0) {
            throw new IllegalArgumentException("an id pool needs at least one range of " + IdRange.CONTAINER_IDS);
        }
        new IdRange(start, IdRange.CONTAINER_IDS);
        new IdRange(start + (long) (ranges - 1) * IdRange.CONTAINER_IDS, IdRange.CONTAINER_IDS);
        this.start = start;
        this.ranges = ranges;
        this.next = ThreadLocalRandom.current().nextInt(ranges);
    }

    /** The pool of the host's subordinate id files (see the class comment), or the default one. */
    public static IdRangePool configured(Path subuid, Path subgid) {
        for (String owner : SUBID_OWNERS) {
            Optional<long[]> uids = subordinateIds(subuid, owner);
            Optional<long[]> gids = subordinateIds(subgid, owner);
            if (uids.isPresent() && gids.isPresent() && Arrays.equals(uids.get(), gids.get())
                    && uids.get()[1] >= IdRange.CONTAINER_IDS) {
                return new IdRangePool(uids.get()[0], (int) Math.min(uids.get()[1] / IdRange.CONTAINER_IDS,
                        Integer.MAX_VALUE));
            }
        }
        return new IdRangePool(DEFAULT_START, DEFAULT_RANGES);
    }

    /** The first "owner:start:count" line of a subuid(5)/subgid(5) file, as {start, count}. */
    static Optional<long[]> subordinateIds(Path file, String owner) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.strip().split(":");
                if (fields.length == 3 && fields[0].equals(owner)) {
                    try {
                        return Optional.of(new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A range no live container of this pool has; fails when every one is taken. The search goes on from
     * the last range handed out, and a new pool starts it at a random range: a second runtime on the host
     * (a daemon's tests beside the daemon) claims the ranges live when it opens, but not those the first
     * one hands out later, and with 12,288 ranges next-fit from random starts keeps the two apart.
     */
    public synchronized IdRange allocate() {
        int free = used.nextClearBit(next);
        if (free >= ranges) {
            free = used.nextClearBit(0);
        }
        if (free >= ranges) {
            throw new ContainerException("no free user namespace id range: all " + ranges + " of " + this
                    + " are taken by live containers");
        }
        used.set(free);
        next = (free + 1) % ranges;
        return range(free);
    }

    /** Marks {@code range} taken (a live container's, found again); false when it is not one of the pool's. */
    public synchronized boolean claim(IdRange range) {
        long offset = range.hostStart() - start;
        if (offset < 0 || offset % IdRange.CONTAINER_IDS != 0 || offset / IdRange.CONTAINER_IDS >= ranges) {
            return false;
        }
        used.set((int) (offset / IdRange.CONTAINER_IDS));
        return true;
    }

    /** Gives {@code range} back once nothing of its container is left (its processes and its writable layer). */
    public synchronized void release(IdRange range) {
        long offset = range.hostStart() - start;
        if (offset >= 0 && offset % IdRange.CONTAINER_IDS == 0 && offset / IdRange.CONTAINER_IDS < ranges) {
            used.clear((int) (offset / IdRange.CONTAINER_IDS));
        }
    }

    /** Claims the range of every process under {@code proc} whose uid_map is one of the pool's; returns how many. */
    public int claimLive(Path proc) {
        int claimed = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path pid : pids) {
                Optional<IdRange> range = uidMapOf(pid);
                if (range.isPresent() && claim(range.get())) {
                    claimed++;
                }
            }
        } catch (IOException e) {
            throw new ContainerException("list " + proc + " for live user namespaces: " + e.getMessage(), e);
        }
        return claimed;
    }

    /** The range /proc/PID/uid_map maps the process's 0 to, if it has one of actord's shape. */
    public static Optional<IdRange> uidMapOf(Path procPid) {
        try {
            return IdRange.fromUidMap(Files.readString(procPid.resolve("uid_map")));
        } catch (IOException e) {
            // The process ended while we looked.
            return Optional.empty();
        }
    }

    /**
     * The container id a host id stands for in a file a container may see again with another range: ids
     * below 65536 (the host's own files, a plain image) as they are, an id of any range of this pool as its
     * offset in that range; empty for any other host id.
     */
    public OptionalLong containerId(long hostId) {
        if (hostId >= 0 && hostId < IdRange.CONTAINER_IDS) {
            return OptionalLong.of(hostId);
        }
        long offset = hostId - start;
        return offset >= 0 && offset < (long) ranges * IdRange.CONTAINER_IDS
                ? OptionalLong.of(offset % IdRange.CONTAINER_IDS) : OptionalLong.empty();
    }

    /** Whether {@code range} is handed out (or claimed) and not yet given back. */
    public synchronized boolean isTaken(IdRange range) {
        long offset = range.hostStart() - start;
        return offset >= 0 && offset % IdRange.CONTAINER_IDS == 0 && offset / IdRange.CONTAINER_IDS < ranges
                && used.get((int) (offset / IdRange.CONTAINER_IDS));
    }

    public synchronized int inUse() {
        return used.cardinality();
    }

    private IdRange range(int index) {
        return new IdRange(start + (long) index * IdRange.CONTAINER_IDS, IdRange.CONTAINER_IDS);
    }

    @Override
    public String toString() {
        return "host ids " + start + ".." + (start + (long) ranges * IdRange.CONTAINER_IDS - 1);
    }
}
