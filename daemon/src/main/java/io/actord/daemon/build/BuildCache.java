package io.actord.daemon.build;

import io.actord.daemon.common.Json;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageTables;
import io.actord.daemon.image.LayerRefKey;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The build cache: a step's key is a digest of the key of the image below it, the step's resolved instruction and
 * its inputs; the image below's key is a digest of the previous step's key and the layer it made, down to the base
 * image's DiffIDs. So a step is reused only on an image made of the same layers, and a step whose layer differs
 * (a RUN whose output is not reproducible, executed again) changes every key above it, as Docker's parent image
 * ids do. An entry references every layer of its chain in the layer store, which keeps them from collection.
 * Thread-safe.
 */
final class BuildCache {
    private static final String REF_PREFIX = "cache:";

    private final StateStore store;
    private final Table<String, CacheEntry> entries;
    private final Table<LayerRefKey, Empty> refs;
    private final LayerStore layers;
    private final Clock clock;
    private final Object writes = new Object();

    BuildCache(StateStore store, LayerStore layers, Clock clock) {
        this.store = store;
        this.entries = store.table(BuildTables.CACHE);
        this.refs = store.table(ImageTables.LAYER_REFS);
        this.layers = layers;
        this.clock = clock;
    }

    /** The key of a base image made of {@code layers} (none: scratch). */
    static String baseKey(List<Digest> layers) {
        return sha256("base", String.join(",", layers.stream().map(Digest::toString).toList()));
    }

    /** The key of a step on the image {@code parent}, by its resolved {@code instruction} and {@code inputs}. */
    static String stepKey(String parent, List<?> instruction, String inputs) {
        return sha256("step", parent, json(instruction), inputs);
    }

    /** The key of the image after the step {@code stepKey} added {@code layer} (or nothing). */
    static String imageKey(String stepKey, Optional<Digest> layer) {
        return sha256("image", stepKey, layer.map(Digest::toString).orElse("-"));
    }

    /**
     * What the step {@code key} made earlier, when every layer it builds on is still in the store (they are pinned
     * to {@code pin} then): the outer optional is the hit, the inner the layer.
     */
    Optional<Optional<Digest>> find(String key, LayerStore.Pin pin) {
        Optional<CacheEntry> entry = entries.get(key);
        if (entry.isEmpty() || entry.get().schemaVersion() != CacheEntry.SCHEMA) {
            return Optional.empty();
        }
        for (String d : entry.get().chain()) {
            if (!layers.has(Digest.parse(d), pin)) {
                return Optional.empty();
            }
        }
        return Optional.of(entry.get().layer().map(Digest::parse));
    }

    /** Records what the step {@code key} made, replacing an earlier entry (whose layers may then be collected). */
    void record(String key, Optional<Digest> layer, List<Digest> chain, String buildId) {
        List<String> names = chain.stream().map(Digest::toString).toList();
        CacheEntry entry = new CacheEntry(CacheEntry.SCHEMA, layer.map(Digest::toString), names, buildId,
                clock.instant());
        Optional<CacheEntry> old;
        synchronized (writes) {
            old = entries.get(key);
            store.write(b -> {
                old.ifPresent(o -> o.chain().forEach(d -> refs.deleteInBatch(b, new LayerRefKey(d, REF_PREFIX + key))));
                names.forEach(d -> refs.putInBatch(b, new LayerRefKey(d, REF_PREFIX + key), Empty.INSTANCE));
                entries.putInBatch(b, key, entry);
            });
        }
        old.ifPresent(o -> {
            Set<String> gone = new HashSet<>(o.chain());
            gone.removeAll(names);
            layers.collect(gone.stream().map(Digest::parse).toList());
        });
    }

    private static String json(List<?> parts) {
        try {
            return Json.MAPPER.writeValueAsString(parts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialise a cache key's parts", e);
        }
    }

    private static String sha256(String... parts) {
        return Digest.of(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)).hex();
    }
}
