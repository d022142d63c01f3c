package io.actord.daemon.actor;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.image.ImageTables;
import io.actord.daemon.image.LayerRefKey;
import io.actord.daemon.user.UserTables;
import io.actord.daemon.common.Ids;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageException;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.ImportedImage;
import io.actord.runtime.FileTrees;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Paging;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Actors and builds: create, find (by id, {@code username~name}, or {@code ~name} and a bare name of the
 * caller's), tag, list. Who may use which actor is not decided here ({@link io.actord.daemon.access.Access}).
 * Writes are serialised by one lock, which keeps names unique and build numbers dense.
 */
public final class ActorService {
    private static final Logger LOG = LoggerFactory.getLogger(ActorService.class);

    private final StateStore store;
    private final Table<String, Actor> actors;
    private final Table<ActorNameKey, String> actorsByOwner;
    private final Table<String, String> usersByName;
    private final Table<String, Build> builds;
    private final Table<ActorBuildKey, String> buildsByActor;
    private final Table<LayerRefKey, Empty> layerRefs;
    private final ImageImporter images;
    private final Clock clock;
    private final BuildStore buildStore;
    private final List<BiConsumer<Batch, Actor>> deletions = new CopyOnWriteArrayList<>();
    private final StandbyIndex standby;

    public ActorService(StateStore store, ImageImporter images, Clock clock) {
        this.store = store;
        this.actors = store.table(ActorTables.ACTORS);
        this.actorsByOwner = store.table(ActorTables.ACTORS_BY_OWNER);
        this.usersByName = store.table(UserTables.USERS_BY_NAME);
        this.builds = store.table(ActorTables.BUILDS);
        this.buildsByActor = store.table(ActorTables.BUILDS_BY_ACTOR);
        this.layerRefs = store.table(ImageTables.LAYER_REFS);
        this.images = images;
        this.clock = clock;
        this.buildStore = new BuildStore(store, clock);
        moveNameIndex(store.table(ActorTables.ACTORS_BY_NAME));
        this.standby = new StandbyIndex(store.shared(), this::allActors);
    }

    private List<Actor> allActors() {
        List<Actor> all = new ArrayList<>();
        try (CloseableIterator<Entry<String, Actor>> it = actors.scan(KeyRange.all())) {
            it.forEachRemaining(e -> all.add(e.value()));
        }
        return all;
    }

    /** Moves a store's name index keyed by username (before issue 20) to the one keyed by user id. */
    private void moveNameIndex(Table<ActorNameKey, String> byUsername) {
        List<Entry<ActorNameKey, String>> old = new ArrayList<>();
        try (CloseableIterator<Entry<ActorNameKey, String>> it = byUsername.scan(KeyRange.all())) {
            it.forEachRemaining(old::add);
        }
        if (old.isEmpty()) {
            return;
        }
        store.write(b -> old.forEach(e -> {
            actors.get(e.value()).ifPresent(a -> actorsByOwner.putInBatch(b, new ActorNameKey(a.userId(), a.name()),
                    a.id()));
            byUsername.deleteInBatch(b, e.key());
        }));
        LOG.info("actor names re-keyed by user id actors={}", old.size());
    }

    /** What a new actor is made of; {@code actorStandby} null: none (disabled). */
    public record NewActor(String name, String title, String description, DefaultRunOptions defaultRunOptions,
                           ActorStandby actorStandby) {
    }

    /** A new actor owned by user {@code userId} ({@code username}). */
    public Actor create(NewActor spec, String userId, String username) {
        String name = ActorRules.validName(spec.name());
        DefaultRunOptions options = ActorRules.validOptions(spec.defaultRunOptions() == null ? DefaultRunOptions.STANDARD
                : spec.defaultRunOptions());
        return writing(() -> {
            ActorNameKey nameKey = new ActorNameKey(userId, name);
            if (actorsByOwner.get(nameKey).isPresent()) {
                throw ApiException.invalidValue("an actor named '" + name + "' already exists");
            }
            Instant now = clock.instant();
            Actor actor = new Actor(Actor.SCHEMA, Ids.newId(), userId, username, name, spec.title(),
                    spec.description(), now, now, options, Map.of(), 0,
                    spec.actorStandby() == null ? null : spec.actorStandby().validated());
            standby.refresh();
            standby.checkFree(actor);
            store.write(b -> {
                actors.putInBatch(b, actor.id(), actor);
                actorsByOwner.putInBatch(b, nameKey, actor.id());
            });
            standby.put(actor);
            LOG.info("actor created actor={} name={}", actor.id(), actor.fullName());
            return actor;
        });
    }

    /** A page of user {@code userId}'s actors, by name. */
    public Paging.Page<Actor> list(String userId, long offset, long limit, boolean desc) {
        return Paging.page(actorsByOwner, ActorNameKey.ofOwner(userId), desc, offset, limit,
                e -> actors.get(e.value()));
    }

    /**
     * The actor a URL names: an id, {@code username~name} (of the user who has that name now), or
     * {@code ~name} or a bare name of user {@code userId}'s (the caller's); 404 if none.
     */
    public Actor get(String userId, String ref) {
        return find(userId, ref).orElseThrow(() -> ApiException.notFound("Actor", ref));
    }

    public Optional<Actor> find(String userId, String ref) {
        return NamedRefs.find(usersByName, actorsByOwner, actors::get, userId, ref);
    }

    /**
     * The actor with standby enabled whose standby label ({@link ActorStandby#label}) is {@code label}: what a
     * standby URL names.
     */
    public Optional<Actor> findStandby(String label) {
        return standby.find(label, actors::get);
    }

    /** Runs a change holding the actors' write lock ({@link StateStore#locked}: across daemons on a shared store). */
    <T> T writing(Supplier<T> change) {
        return store.locked(BuildStore.WRITE_LOCK, change);
    }

    /** The actor with this id. */
    public Optional<Actor> byId(String actorId) {
        return actors.get(actorId);
    }

    private Actor existing(String actorId) {
        return byId(actorId).orElseThrow(() -> ApiException.notFound("Actor", actorId));
    }

    /** The fields a PUT may change; null leaves a field as it is. */
    public record ActorUpdate(String name, String title, String description, DefaultRunOptions defaultRunOptions,
                              ActorStandby actorStandby) {
    }

    public Actor update(String actorId, ActorUpdate update) {
        return writing(() -> {
            Actor actor = existing(actorId);
            String name = update.name() == null ? actor.name() : ActorRules.validName(update.name());
            DefaultRunOptions options = update.defaultRunOptions() == null ? actor.defaultRunOptions()
                    : ActorRules.validOptions(update.defaultRunOptions());
            ActorNameKey oldKey = new ActorNameKey(actor.userId(), actor.name());
            ActorNameKey newKey = new ActorNameKey(actor.userId(), name);
            if (!name.equals(actor.name()) && actorsByOwner.get(newKey).isPresent()) {
                throw ApiException.invalidValue("an actor named '" + name + "' already exists");
            }
            Actor updated = actor.withDetails(name,
                    update.title() == null ? actor.title() : update.title(),
                    update.description() == null ? actor.description() : update.description(), options,
                    update.actorStandby() == null ? null : update.actorStandby().validated(), clock.instant());
            standby.refresh();
            standby.checkFree(updated);
            store.write(b -> {
                actorsByOwner.deleteInBatch(b, oldKey);
                actorsByOwner.putInBatch(b, newKey, actor.id());
                actors.putInBatch(b, actor.id(), updated);
            });
            standby.put(updated);
            return updated;
        });
    }

    /** Deletes the actor and its builds (and what {@link #onDelete} adds); layers no other build uses go too. Its runs stay readable. */
    public void delete(String actorId) {
        List<Build> all = writing(() -> {
            Actor actor = existing(actorId);
            List<Build> gone = allBuilds(actor.id());
            store.write(b -> {
                actors.deleteInBatch(b, actor.id());
                actorsByOwner.deleteInBatch(b, new ActorNameKey(actor.userId(), actor.name()));
                gone.forEach(build -> deleteInBatch(b, build));
                deletions.forEach(d -> d.accept(b, actor));
            });
            standby.remove(actor.id());
            LOG.info("actor deleted actor={} name={} builds={}", actor.id(), actor.fullName(), gone.size());
            return gone;
        });
        all.forEach(this::releaseLayers);
    }

    /** Adds {@code deletion} to what is deleted with an actor, in the same batch (its tasks). */
    public void onDelete(BiConsumer<Batch, Actor> deletion) {
        deletions.add(deletion);
    }

    /** Deletes one build and the tags that point at it; layers no other build uses go too. */
    public void deleteBuild(String buildId) {
        Build build = writing(() -> {
            Build gone = getBuild(buildId);
            Actor actor = existing(gone.actId());
            Map<String, String> tagged = new HashMap<>(actor.taggedBuilds());
            tagged.values().removeIf(gone.id()::equals);
            Actor updated = actor.withTags(tagged, actor.lastBuildSeq(), clock.instant());
            store.write(b -> {
                deleteInBatch(b, gone);
                actors.putInBatch(b, actor.id(), updated);
            });
            LOG.info("build deleted actor={} build={} number={}", actor.fullName(), gone.id(), gone.buildNumber());
            return gone;
        });
        releaseLayers(build);
    }

    private void deleteInBatch(Batch b, Build build) {
        builds.deleteInBatch(b, build.id());
        buildsByActor.deleteInBatch(b, new ActorBuildKey(build.actId(), build.seq()));
        build.layers().forEach(d -> layerRefs.deleteInBatch(b, new LayerRefKey(d, build.id())));
    }

    private void releaseLayers(Build build) {
        images.store().collect(build.layers().stream().map(Digest::parse).toList());
        if (build.rootfs() != null) {
            try {
                FileTrees.delete(Path.of(build.rootfs()));
            } catch (IOException e) {
                LOG.warn("remove rootfs dir={} error=\"{}\"", build.rootfs(), e.getMessage());
            }
        }
    }

    /** The host directories of a build's rootfs layers, lowest first (overlayfs lowerdirs). */
    public List<Path> layerPaths(Build build) {
        if (build.layers().isEmpty() && build.rootfs() != null) {
            return List.of(Path.of(build.rootfs()));
        }
        return build.layers().stream().map(d -> images.store().path(Digest.parse(d))).toList();
    }

    /** Where a build's filesystem comes from. */
    public sealed interface Source {
        /** An image by {@link io.actord.daemon.image.ImageRef} ({@code oci:PATH[:TAG]}, {@code docker-archive:PATH}). */
        record Image(String reference) implements Source {
        }

        /** A rootfs directory or tar file on the daemon's host. */
        record Rootfs(Path path) implements Source {
        }
    }

    /**
     * What a new build is made of. Null fields take the image config's value (for a plain rootfs: none,
     * the working directory "/", root); {@code env} is laid over the image's. {@code actorDefinition}: as a
     * build from source reads it from actor.json, with its input schema (checked by the caller), or null.
     */
    public record NewBuild(Source source, List<String> command, List<String> tags, Map<String, String> env,
                           String workDir, String user, String version, JsonNode actorDefinition) {
        public NewBuild(Source source, List<String> command, List<String> tags, Map<String, String> env,
                        String workDir, String user, String version) {
            this(source, command, tags, env, workDir, user, version, null);
        }
    }

    /**
     * Imports the source and stores the build with the next number of its version (default 0.0). The tags
     * (default {@code latest}) move to the new build.
     */
    public Build createBuild(String actorId, NewBuild spec) {
        Actor actor = existing(actorId);
        List<String> tags = BuildRecipe.tags(spec);
        Instant started = clock.instant();
        ImportedImage image = importSource(spec.source());
        try {
            Build build = store(actor, image, spec, tags, started);
            image.close();
            return build;
        } catch (RuntimeException e) {
            image.discard();
            throw e;
        }
    }

    private ImportedImage importSource(Source source) {
        try {
            return source instanceof Source.Image i ? images.importImage(i.reference())
                    : images.importRootfs(((Source.Rootfs) source).path());
        } catch (ImageException e) {
            throw ApiException.invalidValue(e.getMessage());
        }
    }

    private Build store(Actor actor, ImportedImage image, NewBuild spec, List<String> tags, Instant started) {
        BuildRecipe recipe = BuildRecipe.of(spec, image, images.store()::path);
        String id = Ids.newId();
        String version = spec.version() == null ? Build.DEFAULT_VERSION : spec.version();
        Build build = buildStore.add(actor.id(), version, (seq, number) -> new Build(Build.SCHEMA, id, actor.id(),
                actor.userId(), seq, number, BuildStatus.SUCCEEDED.wireName(), started, clock.instant(), null,
                recipe.layers(), image.source(), recipe.command(), recipe.env(), recipe.workDir(), recipe.user(),
                Build.Meta.API, null, spec.actorDefinition(), null), tags);
        LOG.info("build created actor={} build={} number={} tags={} source=\"{}\" layers={}", actor.fullName(), id,
                build.buildNumber(), tags, image.source(), recipe.layers().size());
        return build;
    }

    public Paging.Page<Build> builds(String actorId, long offset, long limit, boolean desc) {
        Actor actor = existing(actorId);
        return Paging.page(buildsByActor, ActorBuildKey.ofActor(actor.id()), desc, offset, limit,
                e -> builds.get(e.value()));
    }

    /** How many builds actor {@code actorId} has (the Actor object's {@code stats.totalBuilds}); reads no build. */
    public long buildCount(String actorId) {
        return Paging.page(buildsByActor, ActorBuildKey.ofActor(actorId), false, 0, 0, e -> Optional.of(e)).total();
    }

    /**
     * A page of the builds of user {@code userId}'s actors, the earliest started first (Apify's
     * {@code GET /v2/actor-builds}).
     */
    public Paging.Page<Build> userBuilds(String userId, long offset, long limit, boolean desc) {
        Comparator<Build> order = Comparator.comparing(Build::startedAt).thenComparing(Build::id);
        List<Build> all = list(userId, 0, Long.MAX_VALUE, false).items().stream()
                .flatMap(a -> buildStore.all(a.id()).stream()).sorted(desc ? order.reversed() : order).toList();
        return new Paging.Page<>(all.size(), all.stream().skip(offset).limit(limit).toList());
    }

    public Optional<Build> findBuild(String buildId) {
        return builds.get(buildId);
    }

    public Build getBuild(String buildId) {
        return builds.get(buildId).orElseThrow(() -> ApiException.notFound("Build", buildId));
    }

    /**
     * The build a tag ({@code latest}) or number ({@code 0.0.3}) names; 403 unknown-build-tag (the platform's
     * answer) when none does, 400 invalid-value when it names a build that has not succeeded (runs start only from
     * a built image).
     */
    public Build resolveBuild(Actor actor, String tagOrNumber) {
        Optional<Build> build = BuildRecipe.isBuildNumber(tagOrNumber)
                ? allBuilds(actor.id()).stream().filter(b -> b.buildNumber().equals(tagOrNumber)).findFirst()
                : Optional.ofNullable(actor.taggedBuilds().get(tagOrNumber)).flatMap(builds::get);
        Build found = build.orElseThrow(() -> new ApiException(ErrorType.UNKNOWN_BUILD_TAG, "Build with tag or"
                + " number '" + tagOrNumber + "' of actor '" + actor.fullName() + "' was not found. Has the actor"
                + " been built already?"));
        if (found.buildStatus() != BuildStatus.SUCCEEDED) {
            throw ApiException.invalidValue("build " + found.buildNumber() + " of actor '" + actor.fullName() + "' is "
                    + found.status() + "; only a build that succeeded can run");
        }
        return found;
    }

    private List<Build> allBuilds(String actorId) {
        return buildStore.all(actorId);
    }

    /** The stored builds, for the lifecycle of builds from source. */
    public BuildStore buildStore() {
        return buildStore;
    }

    /** The tags that point at {@code build}. */
    public static List<String> tagsOf(Actor actor, Build build) {
        return actor.taggedBuilds().entrySet().stream().filter(e -> e.getValue().equals(build.id()))
                .map(Map.Entry::getKey).sorted().toList();
    }
}
