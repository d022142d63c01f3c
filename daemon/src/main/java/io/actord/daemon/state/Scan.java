package io.actord.daemon.state;

import java.util.Objects;
import java.util.Optional;

/**
 * Which keys a {@link Table#scan(Scan)} visits: those starting with {@code prefix}, from {@code start}
 * (inclusive; forward scans only; a start before the prefix starts at the prefix) or from the first/last
 * key, forward or in reverse. The byte form of {@link KeyRange}.
 */
public record Scan(byte[] prefix, Optional<byte[]> start, boolean reverse) {
    public Scan {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(start, "start");
        if (reverse && start.isPresent()) {
            throw new IllegalArgumentException("a reverse scan starts at the end of its prefix");
        }
    }

    public static Scan all() {
        return new Scan(new byte[0], Optional.empty(), false);
    }

    public static Scan prefix(byte[] prefix) {
        return new Scan(prefix, Optional.empty(), false);
    }

    public Scan reversed(boolean rev) {
        return new Scan(prefix, Optional.empty(), rev);
    }

    public Scan from(byte[] startKey) {
        return new Scan(prefix, Optional.of(startKey), false);
    }
}
