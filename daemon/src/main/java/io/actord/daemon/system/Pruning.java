package io.actord.daemon.system;

import io.actord.daemon.api.dto.SystemPruneDto;
import io.actord.daemon.api.dto.SystemPruneDto.Removed;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.run.FinishedRuns;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.state.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code system prune}: runs that finished before a time, deleted as retention deletes them ({@link FinishedRuns},
 * with their unnamed default storages and logs), then every layer nothing uses. A layer is kept while a build, a named
 * image or a cached build step references it or an import has pinned it (the layer store's own rule), and, pinned for
 * the prune, while the build of an active run has it, so a prune never takes a layer from under a run.
 */
final class Pruning {
    private static final Logger LOG = LoggerFactory.getLogger(Pruning.class);

    private final SystemRoutes.Parts parts;
    private final DiskUsage usage;
    private final FinishedRuns finished;
    private final Table<String, Run> runs;

    Pruning(SystemRoutes.Parts parts, DiskUsage usage) {
        this.parts = parts;
        this.usage = usage;
        this.finished = new FinishedRuns(parts.store(), parts.deletion());
        this.runs = parts.store().table(RunTables.RUNS);
    }

    SystemPruneDto prune(Optional<Instant> until, boolean dryRun) {
        Removed removedRuns = until.map(cutoff -> dryRun ? finishedBefore(cutoff) : deleteBefore(cutoff))
                .orElse(Removed.NONE);
        Removed removedLayers = dryRun ? unusedLayers() : removeLayers();
        if (!dryRun) {
            LOG.info("pruned layers={} layerBytes={} runs={} runBytes={} finishedBefore={}", removedLayers.count(),
                    removedLayers.bytes(), removedRuns.count(), removedRuns.bytes(), until.orElse(null));
        }
        return new SystemPruneDto(dryRun, until.orElse(null), removedLayers, removedRuns);
    }

    private Removed finishedBefore(Instant cutoff) {
        Tally tally = new Tally();
        finished.before(cutoff, id -> runs.get(id).ifPresent(run -> tally.add(id, usage.runBytes(run))));
        return tally.removed();
    }

    private Removed deleteBefore(Instant cutoff) {
        Map<String, Long> sizes = new HashMap<>();
        List<Run> deleted = finished.deleteBefore(cutoff, id -> runs.get(id).ifPresent(run ->
                sizes.put(id, usage.runBytes(run))));
        Tally tally = new Tally();
        deleted.forEach(run -> tally.add(run.id(), sizes.getOrDefault(run.id(), 0L)));
        return tally.removed();
    }

    private Removed unusedLayers() {
        Set<String> active = usage.activeLayers(activeRuns());
        Tally tally = new Tally();
        parts.layers().layers().stream().filter(l -> usage.unused(l, active))
                .forEach(l -> tally.add(l.diffId(), l.tarBytes()));
        return tally.removed();
    }

    private Removed removeLayers() {
        Map<String, Long> sizes = new HashMap<>();
        parts.layers().layers().forEach(l -> sizes.put(l.diffId(), l.tarBytes()));
        Tally tally = new Tally();
        try (LayerStore.Pin pin = parts.layers().pin()) {
            usage.activeLayers(activeRuns()).forEach(d -> parts.layers().has(Digest.parse(d), pin));
            for (Digest d : parts.layers().prune()) {
                tally.add(d.toString(), sizes.getOrDefault(d.toString(), 0L));
            }
        }
        return tally.removed();
    }

    private List<Run> activeRuns() {
        return parts.activeRuns().get().stream().filter(r -> !r.status().isTerminal()).toList();
    }

    /** Counts what goes and keeps the first ids. */
    private static final class Tally {
        private long count;
        private long bytes;
        private final List<String> ids = new ArrayList<>();

        void add(String id, long size) {
            count++;
            bytes += size;
            if (ids.size() < Removed.MAX_IDS) {
                ids.add(id);
            }
        }

        Removed removed() {
            return new Removed(count, bytes, List.copyOf(ids));
        }
    }
}
