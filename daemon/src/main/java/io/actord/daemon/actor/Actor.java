package io.actord.daemon.actor;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stored actor.
 *
 * @param taggedBuilds tag → build id; a tag names one build, and a new build with the tag takes it over
 * @param lastBuildSeq the newest build's sequence number, counted over all versions (0 before the first build);
 *                     it orders the builds, while each version counts its own build numbers
 * @param actorStandby its Actor Standby options as last set, or null when they never were (actors stored before
 *                     them read so): {@link #standby()} is what counts
 */
public record Actor(int schemaVersion, String id, String userId, String username, String name, String title,
                    String description, Instant createdAt, Instant modifiedAt, DefaultRunOptions defaultRunOptions,
                    Map<String, String> taggedBuilds, int lastBuildSeq, ActorStandby actorStandby) {
    public static final int SCHEMA = 1;

    public Actor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        taggedBuilds = taggedBuilds == null ? Map.of() : Map.copyOf(taggedBuilds);
        defaultRunOptions = defaultRunOptions == null ? DefaultRunOptions.STANDARD : defaultRunOptions;
    }

    /** An actor without standby options. */
    public Actor(int schemaVersion, String id, String userId, String username, String name, String title,
                 String description, Instant createdAt, Instant modifiedAt, DefaultRunOptions defaultRunOptions,
                 Map<String, String> taggedBuilds, int lastBuildSeq) {
        this(schemaVersion, id, userId, username, name, title, description, createdAt, modifiedAt, defaultRunOptions,
                taggedBuilds, lastBuildSeq, null);
    }

    /** Its Actor Standby options: {@link ActorStandby#DISABLED} when none were ever set. */
    public ActorStandby standby() {
        return actorStandby == null ? ActorStandby.DISABLED : actorStandby;
    }

    /** "username~name", the form the API accepts in place of the id. */
    public String fullName() {
        return username + "~" + name;
    }

    public Actor withTags(Map<String, String> tags, int seq, Instant now) {
        return new Actor(SCHEMA, id, userId, username, name, title, description, createdAt, now, defaultRunOptions,
                tags, seq, actorStandby);
    }

    /** @param standby the new standby options, or null to keep them */
    public Actor withDetails(String newName, String newTitle, String newDescription, DefaultRunOptions options,
                             ActorStandby standby, Instant now) {
        return new Actor(SCHEMA, id, userId, username, newName, newTitle, newDescription, createdAt, now, options,
                taggedBuilds, lastBuildSeq, standby == null ? actorStandby : standby);
    }
}
