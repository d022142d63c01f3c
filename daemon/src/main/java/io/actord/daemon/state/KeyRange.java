package io.actord.daemon.state;

import java.util.Objects;
import java.util.Optional;

/**
 * Which keys of a table keyed by {@code K} a scan visits, in the key type's terms: those under
 * {@code prefix}, from {@code start} (inclusive; forward scans only) or from the first or last key, forward
 * or in reverse. {@link Table#scan(KeyRange)} encodes it into the byte {@link Scan} with the table's key codec.
 */
public record KeyRange<K>(KeyPrefix<K> prefix, Optional<K> start, boolean reverse) {
    public KeyRange {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(start, "start");
        if (reverse && start.isPresent()) {
            throw new IllegalArgumentException("a reverse scan starts at the end of its prefix");
        }
    }

    public static <K> KeyRange<K> all() {
        return of(KeyPrefix.all());
    }

    public static <K> KeyRange<K> of(KeyPrefix<K> prefix) {
        return new KeyRange<>(prefix, Optional.empty(), false);
    }

    public KeyRange<K> reversed(boolean rev) {
        return new KeyRange<>(prefix, Optional.empty(), rev);
    }

    public KeyRange<K> from(K startKey) {
        return new KeyRange<>(prefix, Optional.of(startKey), false);
    }

    /** The byte scan this range is, with keys written by {@code keys}. */
    public Scan encode(Codec<K> keys) {
        return new Scan(prefix.bytes(), start.map(keys::encode), reverse);
    }
}
