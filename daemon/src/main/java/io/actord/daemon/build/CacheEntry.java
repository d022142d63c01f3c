package io.actord.daemon.build;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A cached step: the layer it added (none when it changed no file) on top of the chain below it.
 *
 * @param chain   DiffIDs of the image after the step, lowest first; all of them are referenced for this entry,
 *                so a hit finds the layers it builds on still in the store
 * @param buildId the build that executed the step, for the log
 */
public record CacheEntry(int schemaVersion, Optional<String> layer, List<String> chain, String buildId,
                         Instant createdAt) {
    public static final int SCHEMA = 1;

    public CacheEntry {
        chain = List.copyOf(chain);
    }
}
