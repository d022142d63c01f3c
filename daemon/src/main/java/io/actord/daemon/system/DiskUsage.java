package io.actord.daemon.system;

import io.actord.daemon.api.dto.SystemDfDto;
import io.actord.daemon.api.dto.SystemDfDto.Usage;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.Layer;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StoreStatistics;
import io.actord.daemon.state.Table;
import io.actord.daemon.storage.StorageKind;
import io.actord.daemon.storage.StorageMeta;
import io.actord.daemon.storage.StorageTables;
import io.actord.daemon.storage.StorageUsageKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Counts the space the daemon's data takes: layers by their unpacked size (as recorded when they were stored), runs by
 * their log and host files, storages by the bytes {@link io.actord.daemon.storage.StorageUsage} counts for their
 * owners, and the state store by its files. A read of metadata and file sizes, never of content.
 */
final class DiskUsage {
    private final SystemRoutes.Parts parts;
    private final Table<StorageUsageKey, Long> usage;

    DiskUsage(SystemRoutes.Parts parts) {
        this.parts = parts;
        this.usage = parts.store().table(StorageTables.USER_STORAGE_BYTES);
    }

    SystemDfDto df() {
        List<Run> active = parts.activeRuns().get().stream().filter(r -> !r.status().isTerminal()).toList();
        Set<String> activeIds = active.stream().map(Run::id).collect(Collectors.toSet());
        List<Usage> rows = new ArrayList<>();
        rows.add(layers(activeLayers(active)));
        rows.add(runs(activeIds));
        for (StorageKind kind : StorageKind.values()) {
            rows.add(storages(kind, activeIds));
        }
        rows.add(new Usage("state-store", null, null, stateStoreBytes(), 0));
        return new SystemDfDto(rows);
    }

    /** RocksDB's files in the state directory, or what a PostgreSQL store's tables take on its server. */
    private long stateStoreBytes() {
        if (parts.store() instanceof RocksStateStore) {
            return bytesUnder(parts.stateStoreDir());
        }
        return parts.store().statistics().map(StoreStatistics::sstFilesBytes).orElse(0L);
    }

    /** The DiffIDs the builds of {@code active} runs use. */
    Set<String> activeLayers(List<Run> active) {
        Set<String> used = new HashSet<>();
        active.forEach(r -> used.addAll(parts.buildLayers().apply(r.buildId())));
        return used;
    }

    /** Whether a prune may remove the layer: nothing uses it and no active run's build has it. */
    boolean unused(Layer layer, Set<String> activeLayers) {
        return !activeLayers.contains(layer.diffId()) && !parts.layers().inUse(Digest.parse(layer.diffId()));
    }

    private Usage layers(Set<String> activeLayers) {
        long count = 0;
        long used = 0;
        long bytes = 0;
        long free = 0;
        for (Layer layer : parts.layers().layers()) {
            count++;
            bytes += layer.tarBytes();
            if (unused(layer, activeLayers)) {
                free += layer.tarBytes();
            } else {
                used++;
            }
        }
        return new Usage("layers", count, used, bytes, free);
    }

    /** Runs by their logs and host files; a build's log (in the same directory) is not a run's. */
    private Usage runs(Set<String> activeIds) {
        Table<String, Run> runs = parts.store().table(RunTables.RUNS);
        long[] bytes = {0, 0};
        for (Path dir : List.of(parts.logsDir(), parts.runsDir())) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String id = entry.getFileName().toString().replaceFirst("\\.log$", "");
                    if (runs.get(id).isPresent()) {
                        long b = bytesUnder(entry);
                        bytes[0] += b;
                        bytes[1] += activeIds.contains(id) ? 0 : b;
                    }
                }
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("list " + dir, e);
            }
        }
        return new Usage("runs", runs.count(), (long) activeIds.size(), bytes[0], bytes[1]);
    }

    private Usage storages(StorageKind kind, Set<String> activeRuns) {
        long count = 0;
        long named = 0;
        long bytes = 0;
        long free = 0;
        try (CloseableIterator<Entry<String, StorageMeta>> it = parts.store().table(kind.table()).scan(Scan.all())) {
            while (it.hasNext()) {
                StorageMeta meta = it.next().value();
                long b = bytes(meta);
                count++;
                bytes += b;
                if (meta.name() != null) {
                    named++;
                } else if (meta.actRunId() != null && !activeRuns.contains(meta.actRunId())) {
                    free += b;
                }
            }
        }
        return new Usage(kind.path(), count, named, bytes, free);
    }

    /** The content bytes of a storage, as counted against its owner's limit. */
    long bytes(StorageMeta meta) {
        return usage.get(new StorageUsageKey(meta.userId(), meta.id())).orElse(0L);
    }

    /** What deleting the run frees: its log and files, and its default storages that have no name. */
    long runBytes(Run run) {
        long bytes = fileBytes(run.id());
        Map<StorageKind, String> defaults = Map.of(
                StorageKind.KEY_VALUE_STORE, nullToEmpty(run.defaultKeyValueStoreId()),
                StorageKind.DATASET, nullToEmpty(run.defaultDatasetId()),
                StorageKind.REQUEST_QUEUE, nullToEmpty(run.defaultRequestQueueId()));
        for (Map.Entry<StorageKind, String> e : defaults.entrySet()) {
            Optional<StorageMeta> meta = e.getValue().isEmpty() ? Optional.empty()
                    : parts.store().table(e.getKey().table()).get(e.getValue());
            bytes += meta.filter(m -> m.name() == null).map(this::bytes).orElse(0L);
        }
        return bytes;
    }

    /** A run's log and the files kept for it on the host. */
    long fileBytes(String runId) {
        return bytesUnder(parts.logsDir().resolve(runId + ".log")) + bytesUnder(parts.runsDir().resolve(runId));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The sizes of the regular files at or under {@code path}, links not followed; what vanishes meanwhile is 0. */
    static long bytesUnder(Path path) {
        long[] total = {0};
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return total[0];
        }
        return total[0];
    }
}
