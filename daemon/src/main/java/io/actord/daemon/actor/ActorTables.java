package io.actord.daemon.actor;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of actors and their builds, with their key layouts.
 * {@code |} is {@link Keys#SEPARATOR} after a string component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class ActorTables {
    /** {@code actorId → Actor}. */
    public static final TableDef<String, Actor> ACTORS = json("actors", Actor.class);

    /**
     * {@code userId|name → actorId}: resolves "username~name" (the username through {@link io.actord.daemon.user.UserTables#USERS_BY_NAME})
     * and keeps names unique per user. Keyed by the user's id, never the name, so a deleted user's name given
     * to a new user carries none of the old user's actors.
     */
    public static final TableDef<ActorNameKey, String> ACTORS_BY_OWNER =
            new TableDef<>("actors_by_owner", ActorNameKey.CODEC, Codecs.STRING);

    /**
     * {@code username|name → actorId}, the name index of stores written before {@link #ACTORS_BY_OWNER}:
     * moved into it at start-up and left empty (kept so that those stores still open).
     */
    public static final TableDef<ActorNameKey, String> ACTORS_BY_NAME =
            new TableDef<>("actors_by_name", ActorNameKey.CODEC, Codecs.STRING);

    /** {@code buildId → Build}. */
    public static final TableDef<String, Build> BUILDS = json("builds", Build.class);

    /** {@code actorId|seq(4B) → buildId}: an actor's builds in the order they were made (over all versions). */
    public static final TableDef<ActorBuildKey, String> BUILDS_BY_ACTOR =
            new TableDef<>("builds_by_actor", ActorBuildKey.CODEC, Codecs.STRING);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(ACTORS, ACTORS_BY_OWNER, ACTORS_BY_NAME, BUILDS, BUILDS_BY_ACTOR);

    private ActorTables() {
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return TableDef.json(name, Json.MAPPER, type);
    }
}
