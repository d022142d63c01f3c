package io.actord.daemon.actor;

import io.actord.cgroups.Resources;
import io.actord.daemon.Ids;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.store.CloseableIterator;
import io.actord.daemon.store.Entry;
import io.actord.daemon.store.Keys;
import io.actord.daemon.store.Paging;
import io.actord.daemon.store.Scan;
import io.actord.daemon.store.StateStore;
import io.actord.daemon.store.Table;
import io.actord.daemon.store.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Actors and builds: create, find (by id, {@code username~name}, or {@code ~name} and a bare name of the
 * caller's), tag, list. Who may use which actor is not decided here ({@link io.actord.daemon.access.Access}).
 * Writes are serialised by one lock, which keeps names unique and build numbers dense.
 */
public final class ActorService {
    private static final Logger LOG = LoggerFactory.getLogger(ActorService.class);
    /** Apify's actor-name rule: letters, digits and inner dashes, 3 to 63 characters. */
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9-]{1,61})[a-zA-Z0-9]$");
    private static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9._-]{1,64}$");
    private static final Pattern BUILD_NUMBER = Pattern.compile("^0\\.0\\.(\\d{1,9})$");

    private final StateStore store;
    private final Table<String, Actor> actors;
    private final Table<byte[], String> actorsByName;
    private final Table<String, Build> builds;
    private final Table<byte[], String> buildsByActor;
    private final Path buildsDir;
    private final RootfsImporter importer;
    private final Clock clock;
    private final Object writes = new Object();

    public ActorService(StateStore store, Path buildsDir, RootfsImporter importer, Clock clock) {
        this.store = store;
        this.actors = store.table(Tables.ACTORS);
        this.actorsByName = store.table(Tables.ACTORS_BY_NAME);
        this.builds = store.table(Tables.BUILDS);
        this.buildsByActor = store.table(Tables.BUILDS_BY_ACTOR);
        this.buildsDir = buildsDir;
        this.importer = importer;
        this.clock = clock;
    }

    /** What a new actor is made of. */
    public record NewActor(String name, String title, String description, DefaultRunOptions defaultRunOptions) {
    }

    /** A new actor owned by user {@code userId} ({@code username}). */
    public Actor create(NewActor spec, String userId, String username) {
        String name = validName(spec.name());
        DefaultRunOptions options = validOptions(spec.defaultRunOptions() == null ? DefaultRunOptions.STANDARD
                : spec.defaultRunOptions());
        synchronized (writes) {
            byte[] nameKey = Tables.actorNameKey(username, name);
            if (actorsByName.get(nameKey).isPresent()) {
                throw ApiException.invalidValue("an actor named '" + name + "' already exists");
            }
            Instant now = clock.instant();
            Actor actor = new Actor(Actor.SCHEMA, Ids.newId(), userId, username, name, spec.title(),
                    spec.description(), now, now, options, Map.of(), 0);
            store.write(b -> {
                actors.putInBatch(b, actor.id(), actor);
                actorsByName.putInBatch(b, nameKey, actor.id());
            });
            LOG.info("actor created actor={} name={}", actor.id(), actor.fullName());
            return actor;
        }
    }

    /** A page of {@code username}'s actors, by name. */
    public Paging.Page<Actor> list(String username, long offset, long limit, boolean desc) {
        return Paging.page(actorsByName, Keys.prefix(username), desc, offset, limit, e -> actors.get(e.value()));
    }

    /**
     * The actor a URL names: an id, {@code username~name}, or {@code ~name} or a bare name of
     * {@code username}'s (the caller's); 404 if none.
     */
    public Actor get(String username, String ref) {
        return find(username, ref).orElseThrow(() -> ApiException.notFound("Actor", ref));
    }

    public Optional<Actor> find(String username, String ref) {
        int tilde = ref.indexOf('~');
        if (tilde >= 0) {
            return byName(tilde == 0 ? username : ref.substring(0, tilde), ref.substring(tilde + 1));
        }
        Optional<Actor> byId = actors.get(ref);
        return byId.isPresent() ? byId : byName(username, ref);
    }

    /** The actor with this id. */
    public Optional<Actor> byId(String actorId) {
        return actors.get(actorId);
    }

    private Actor existing(String actorId) {
        return byId(actorId).orElseThrow(() -> ApiException.notFound("Actor", actorId));
    }

    private Optional<Actor> byName(String username, String name) {
        if (name.isEmpty() || username.isEmpty() || name.indexOf(Keys.SEPARATOR) >= 0
                || username.indexOf(Keys.SEPARATOR) >= 0) {
            return Optional.empty();
        }
        return actorsByName.get(Tables.actorNameKey(username, name)).flatMap(actors::get);
    }

    /** The fields a PUT may change; null leaves a field as it is. */
    public record ActorUpdate(String name, String title, String description, DefaultRunOptions defaultRunOptions) {
    }

    public Actor update(String actorId, ActorUpdate update) {
        synchronized (writes) {
            Actor actor = existing(actorId);
            String name = update.name() == null ? actor.name() : validName(update.name());
            DefaultRunOptions options = update.defaultRunOptions() == null ? actor.defaultRunOptions()
                    : validOptions(update.defaultRunOptions());
            byte[] oldKey = Tables.actorNameKey(actor.username(), actor.name());
            byte[] newKey = Tables.actorNameKey(actor.username(), name);
            if (!name.equals(actor.name()) && actorsByName.get(newKey).isPresent()) {
                throw ApiException.invalidValue("an actor named '" + name + "' already exists");
            }
            Actor updated = actor.withDetails(name,
                    update.title() == null ? actor.title() : update.title(),
                    update.description() == null ? actor.description() : update.description(), options, clock.instant());
            store.write(b -> {
                actorsByName.deleteInBatch(b, oldKey);
                actorsByName.putInBatch(b, newKey, actor.id());
                actors.putInBatch(b, actor.id(), updated);
            });
            return updated;
        }
    }

    /** Deletes the actor, its builds and their rootfs directories. Its runs stay readable. */
    public void delete(String actorId) {
        synchronized (writes) {
            Actor actor = existing(actorId);
            List<Build> all = new ArrayList<>();
            try (CloseableIterator<Entry<byte[], String>> it = buildsByActor.scan(Scan.prefix(Keys.prefix(actor.id())))) {
                it.forEachRemaining(e -> builds.get(e.value()).ifPresent(all::add));
            }
            store.write(b -> {
                actors.deleteInBatch(b, actor.id());
                actorsByName.deleteInBatch(b, Tables.actorNameKey(actor.username(), actor.name()));
                for (Build build : all) {
                    builds.deleteInBatch(b, build.id());
                    buildsByActor.deleteInBatch(b, Tables.buildKey(actor.id(), build.seq()));
                }
            });
            all.forEach(build -> importer.delete(buildsDir.resolve(build.id())));
            LOG.info("actor deleted actor={} name={} builds={}", actor.id(), actor.fullName(), all.size());
        }
    }

    /** What a new build is made of: the rootfs source on the host, the entrypoint, its tags. */
    public record NewBuild(Path rootfs, List<String> command, List<String> tags, Map<String, String> env,
                           String workDir) {
    }

    /**
     * Imports the rootfs and stores the build with the next number. The tags (default {@code latest}) move
     * to the new build.
     */
    public Build createBuild(String actorId, NewBuild spec) {
        Actor actor = existing(actorId);
        if (spec.command() == null || spec.command().isEmpty() || spec.command().get(0).isBlank()) {
            throw new ApiException(ErrorType.INVALID_INPUT, "a build needs a command (the entrypoint)");
        }
        if (spec.rootfs() == null) {
            throw new ApiException(ErrorType.INVALID_INPUT, "a build needs a rootfs: a directory or tar file on the"
                    + " daemon's host");
        }
        List<String> tags = spec.tags() == null || spec.tags().isEmpty() ? List.of("latest") : spec.tags();
        tags.forEach(t -> {
            if (!TAG.matcher(t).matches() || BUILD_NUMBER.matcher(t).matches()) {
                throw ApiException.invalidValue("build tag '" + t + "' must be 1-64 letters, digits, '.', '_' or '-'"
                        + " and not look like a build number");
            }
        });
        String id = Ids.newId();
        Instant started = clock.instant();
        Path rootfs = buildsDir.resolve(id);
        importer.importInto(spec.rootfs(), rootfs);
        synchronized (writes) {
            Actor current = existing(actor.id());
            int seq = current.lastBuildSeq() + 1;
            Build build = new Build(Build.SCHEMA, id, actor.id(), actor.userId(), seq, Build.number(seq), "SUCCEEDED",
                    started, clock.instant(), rootfs.toString(), spec.command(), spec.env(), spec.workDir());
            Map<String, String> tagged = new HashMap<>(current.taggedBuilds());
            tags.forEach(t -> tagged.put(t, id));
            Actor updated = current.withTags(tagged, seq, clock.instant());
            store.write(b -> {
                builds.putInBatch(b, id, build);
                buildsByActor.putInBatch(b, Tables.buildKey(actor.id(), seq), id);
                actors.putInBatch(b, actor.id(), updated);
            });
            LOG.info("build created actor={} build={} number={} tags={}", actor.fullName(), id, build.buildNumber(), tags);
            return build;
        }
    }

    public Paging.Page<Build> builds(String actorId, long offset, long limit, boolean desc) {
        Actor actor = existing(actorId);
        return Paging.page(buildsByActor, Keys.prefix(actor.id()), desc, offset, limit, e -> builds.get(e.value()));
    }

    public Build getBuild(String buildId) {
        return builds.get(buildId).orElseThrow(() -> ApiException.notFound("Build", buildId));
    }

    /** The build a tag ({@code latest}) or number ({@code 0.0.3}) names; 404 record-not-found when none does. */
    public Build resolveBuild(Actor actor, String tagOrNumber) {
        var number = BUILD_NUMBER.matcher(tagOrNumber);
        Optional<String> id = number.matches()
                ? buildsByActor.get(Tables.buildKey(actor.id(), Integer.parseInt(number.group(1))))
                : Optional.ofNullable(actor.taggedBuilds().get(tagOrNumber));
        return id.flatMap(builds::get).orElseThrow(() -> ApiException.notFound("Build", tagOrNumber + "' of actor '"
                + actor.fullName()));
    }

    /** The tags that point at {@code build}. */
    public static List<String> tagsOf(Actor actor, Build build) {
        return actor.taggedBuilds().entrySet().stream().filter(e -> e.getValue().equals(build.id()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalidValue("actor name must be 3-63 letters, digits or dashes, starting and ending"
                    + " with a letter or digit, got '" + name + "'");
        }
        return name;
    }

    private static DefaultRunOptions validOptions(DefaultRunOptions o) {
        validMemory(o.memoryMbytes());
        if (o.timeoutSecs() < 0) {
            throw ApiException.invalidValue("timeoutSecs must be 0 (no timeout) or more, got " + o.timeoutSecs());
        }
        return new DefaultRunOptions(o.build() == null ? "latest" : o.build(), o.timeoutSecs(), o.memoryMbytes());
    }

    /** Checks the memory rule ({@link Resources#forMemory}); a breach is 400 invalid-value naming the allowed values. */
    public static Resources validMemory(long memoryMb) {
        try {
            return Resources.forMemory(memoryMb);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidValue(e.getMessage());
        }
    }
}
