package io.actord.daemon.api.dto;

import java.util.List;

/** GET /v2/actord/system/df (actord's own): the space the daemon's data takes, one row per kind, as docker's df. */
public record SystemDfDto(List<Usage> items) {
    /**
     * One kind of data.
     *
     * @param kind             layers, runs, datasets, key-value-stores, request-queues or state-store
     * @param count            how many there are (null for the state store)
     * @param active           layers a build, named image or cached step uses; runs not finished; storages with a
     *                         name (kept when their run goes); null for the state store
     * @param bytes            layers: their unpacked content; runs: their logs and files on the host; storages: their
     *                         content as counted against the users' limits; the state store: its files on disk
     * @param reclaimableBytes what {@code system prune} could free: unused layers, finished runs' files, the unnamed
     *                         storages of finished runs (which go with their run)
     */
    public record Usage(String kind, Long count, Long active, long bytes, long reclaimableBytes) {
    }
}
