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
 */
public record Actor(int schemaVersion, String id, String userId, String username, String name, String title,
                    String description, Instant createdAt, Instant modifiedAt, DefaultRunOptions defaultRunOptions,
                    Map<String, String> taggedBuilds, int lastBuildSeq) {
    public static final int SCHEMA = 1;

    public Actor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        taggedBuilds = taggedBuilds == null ? Map.of() : Map.copyOf(taggedBuilds);
        defaultRunOptions = defaultRunOptions == null ? DefaultRunOptions.STANDARD : defaultRunOptions;
    }

    /** "username~name", the form the API accepts in place of the id. */
    public String fullName() {
        return username + "~" + name;
    }

    public Actor withTags(Map<String, String> tags, int seq, Instant now) {
        return new Actor(SCHEMA, id, userId, username, name, title, description, createdAt, now, defaultRunOptions,
                tags, seq);
    }

    public Actor withDetails(String newName, String newTitle, String newDescription, DefaultRunOptions options,
                             Instant now) {
        return new Actor(SCHEMA, id, userId, username, newName, newTitle, newDescription, createdAt, now, options,
                taggedBuilds, lastBuildSeq);
    }
}
