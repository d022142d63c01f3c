package io.actord.daemon.actor;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/**
 * The key of {@link ActorTables#BUILDS_BY_ACTOR}, {@code actorId|seq(4B)}: an actor's builds in the order they
 * were made.
 */
public record ActorBuildKey(String actorId, int seq) {
    public static final KeyCodec<ActorBuildKey> CODEC = KeyCodec.of((k, out) -> out.str(k.actorId).u32(k.seq),
            in -> new ActorBuildKey(in.str(), in.u32()));

    /** The builds of one actor. */
    public static KeyPrefix<ActorBuildKey> ofActor(String actorId) {
        return KeyPrefix.of(Keys.builder().str(actorId));
    }
}
