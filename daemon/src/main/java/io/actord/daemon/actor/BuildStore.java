package io.actord.daemon.actor;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.image.ImageTables;
import io.actord.daemon.image.LayerRefKey;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.StoreSignals;
import io.actord.daemon.state.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The stored builds of actors: a new build gets the actor's next sequence number and its version's next build
 * number; a build that has succeeded holds its layers (so the layer store keeps them) and takes over its tags.
 * Writes take the same lock as {@link ActorService}'s, so numbers stay dense and tags never name a missing build.
 */
public final class BuildStore {
    private static final Logger LOG = LoggerFactory.getLogger(BuildStore.class);

    /** The lock of every actor and build change ({@link StateStore#locked}: across daemons on a shared store). */
    static final List<String> WRITE_LOCK = List.of("actors");
    /** The signal of a build's end, whose payload is the build's id (see {@link #onBuildEnd}). */
    static final String BUILD_ENDS = "actord_build_ended";

    private final StateStore store;
    private final Table<String, Actor> actors;
    private final Table<String, Build> builds;
    private final Table<ActorBuildKey, String> buildsByActor;
    private final Table<LayerRefKey, Empty> layerRefs;
    private final Clock clock;

    BuildStore(StateStore store, Clock clock) {
        this.store = store;
        this.actors = store.table(ActorTables.ACTORS);
        this.builds = store.table(ActorTables.BUILDS);
        this.buildsByActor = store.table(ActorTables.BUILDS_BY_ACTOR);
        this.layerRefs = store.table(ImageTables.LAYER_REFS);
        this.clock = clock;
    }

    /**
     * Stores the build {@code make} returns for the actor's next sequence number and the next build number of
     * {@code version}; {@code tags} move to it (give none unless it has SUCCEEDED).
     */
    public Build add(String actorId, String version, BiFunction<Integer, String, Build> make, List<String> tags) {
        return store.locked(WRITE_LOCK, () -> {
            Actor current = actors.get(actorId).orElseThrow(() -> ApiException.notFound("Actor", actorId));
            int seq = current.lastBuildSeq() + 1;
            String number = Build.number(version, 1 + all(actorId).stream()
                    .filter(b -> b.buildNumber().startsWith(version + "."))
                    .mapToInt(b -> Integer.parseInt(b.buildNumber().substring(version.length() + 1))).max().orElse(0));
            Build build = make.apply(seq, number);
            Map<String, String> tagged = new HashMap<>(current.taggedBuilds());
            tags.forEach(t -> tagged.put(t, build.id()));
            Actor updated = current.withTags(tagged, seq, clock.instant());
            store.write(b -> {
                builds.putInBatch(b, build.id(), build);
                buildsByActor.putInBatch(b, new ActorBuildKey(actorId, seq), build.id());
                build.layers().forEach(d -> layerRefs.putInBatch(b, new LayerRefKey(d, build.id()), Empty.INSTANCE));
                actors.putInBatch(b, actorId, updated);
            });
            return build;
        });
    }

    /**
     * Stores a build's new status (or definition) that holds no layers yet; a deleted build stays deleted. An end
     * is signalled with it ({@link #onBuildEnd}).
     */
    public void update(Build build) {
        store.locked(WRITE_LOCK, () -> {
            if (builds.get(build.id()).isPresent()) {
                store.write(b -> {
                    builds.putInBatch(b, build.id(), build);
                    if (build.isTerminal()) {
                        b.signal(BUILD_ENDS, build.id());
                    }
                });
            }
            return null;
        });
    }

    /**
     * Stores a build that has SUCCEEDED with its layers, which it holds from now on, and moves {@code tags} to it.
     * False when the build or its actor was deleted meanwhile, or the build ended meanwhile (another host of a
     * cluster failed it when this one left: its waiters were answered so) (nothing is stored; the caller lets the
     * layers go).
     */
    public boolean succeed(Build build, List<String> tags) {
        return store.locked(WRITE_LOCK, () -> {
            if (builds.get(build.id()).map(Build::isTerminal).orElse(true)) {
                return false;
            }
            Actor actor = actors.get(build.actId()).orElse(null);
            if (actor == null) {
                return false;
            }
            Map<String, String> tagged = new HashMap<>(actor.taggedBuilds());
            tags.forEach(t -> tagged.put(t, build.id()));
            Actor updated = actor.withTags(tagged, actor.lastBuildSeq(), clock.instant());
            store.write(b -> {
                builds.putInBatch(b, build.id(), build);
                build.layers().forEach(d -> layerRefs.putInBatch(b, new LayerRefKey(d, build.id()), Empty.INSTANCE));
                actors.putInBatch(b, actor.id(), updated);
                b.signal(BUILD_ENDS, build.id());
            });
            LOG.info("build succeeded actor={} build={} number={} tags={} layers={}", actor.fullName(), build.id(),
                    build.buildNumber(), tags, build.layers().size());
            return true;
        });
    }

    /**
     * Tells {@code ended} the id of each build that ends from now on in any daemon on the store (where it is
     * shared), once the end is stored, and {@code missed} when some ends may have gone untold.
     */
    public void onBuildEnd(Consumer<String> ended, Runnable missed) {
        store.signals().listen(BUILD_ENDS, StoreSignals.listener(ended, missed));
    }

    public Optional<Build> find(String buildId) {
        return builds.get(buildId);
    }

    /** An actor's builds in the order they were made (an actor has tens of builds, not millions). */
    public List<Build> all(String actorId) {
        List<Build> all = new ArrayList<>();
        KeyRange<ActorBuildKey> ofActor = KeyRange.of(ActorBuildKey.ofActor(actorId));
        try (CloseableIterator<Entry<ActorBuildKey, String>> it = buildsByActor.scan(ofActor)) {
            it.forEachRemaining(e -> builds.get(e.value()).ifPresent(all::add));
        }
        return all;
    }

    /** Every build that has not ended (at start-up: those a stopped daemon left READY or RUNNING). */
    public List<Build> unfinished() {
        List<Build> found = new ArrayList<>();
        try (CloseableIterator<Entry<String, Build>> it = builds.scan(KeyRange.all())) {
            it.forEachRemaining(e -> {
                if (!e.value().isTerminal()) {
                    found.add(e.value());
                }
            });
        }
        return found;
    }
}
