package io.actord.daemon.actor;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/**
 * The key of the actor name indexes, {@code owner|name|}: {@code owner} is the user's id in
 * {@link ActorTables#ACTORS_BY_OWNER} and the username in the old {@link ActorTables#ACTORS_BY_NAME}.
 * Both components end with the separator, so one user's names never run into another's.
 */
public record ActorNameKey(String owner, String name) {
    public static final KeyCodec<ActorNameKey> CODEC = KeyCodec.of((k, out) -> out.str(k.owner).str(k.name),
            in -> new ActorNameKey(in.str(), in.str()));

    /** The actors of one owner, by name. */
    public static KeyPrefix<ActorNameKey> ofOwner(String owner) {
        return KeyPrefix.of(Keys.builder().str(owner));
    }
}
