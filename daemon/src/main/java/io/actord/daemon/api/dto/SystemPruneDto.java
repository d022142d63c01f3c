package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * POST /v2/actord/system/prune (actord's own): what a prune removed, or with {@code dryRun} would remove.
 *
 * @param until the cutoff for runs (those that finished before it); null when no runs were to go
 */
public record SystemPruneDto(boolean dryRun, Instant until, Removed layers, Removed runs) {
    /**
     * @param count how many
     * @param bytes the space they took (a run: its log, files and unnamed default storages)
     * @param ids   their ids (a layer's DiffID), the first {@value #MAX_IDS}
     */
    public record Removed(long count, long bytes, List<String> ids) {
        public static final int MAX_IDS = 1000;
        public static final Removed NONE = new Removed(0, 0, List.of());
    }
}
