package io.actord.daemon.api.dto;

import java.util.List;

/**
 * POST /v2/actord/daemon/drain (actord's own namespace): what draining this host of a cluster did. The host claims no
 * runs from then on, until the drain is ended ({@link UndrainDto}) or the daemon restarts.
 *
 * @param hostId       the drained host
 * @param boundSecs    how long each run's actor was given to persist its state (the {@code migrating} event's
 *                     {@code timeRemainingSecs})
 * @param total        how many runs are in {@code items}
 * @param items        the runs moved away, each unplaced (waiting for another host) or ended
 */
public record DrainDto(String hostId, long boundSecs, int total, List<Run> items) {
    /**
     * One run the drain moved.
     *
     * @param from     its status before (READY or RUNNING)
     * @param to       its status after
     * @param unplaced whether it waits for another host now
     */
    public record Run(String id, String from, String to, boolean unplaced) {
    }
}
