package io.actord.daemon.version;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/** The key of {@link VersionTables#VERSIONS}, {@code actorId|versionNumber|}. */
public record VersionKey(String actorId, String versionNumber) {
    public static final KeyCodec<VersionKey> CODEC = KeyCodec.of((k, out) -> out.str(k.actorId).str(k.versionNumber),
            in -> new VersionKey(in.str(), in.str()));

    /** The versions of one actor. */
    public static KeyPrefix<VersionKey> ofActor(String actorId) {
        return KeyPrefix.of(Keys.builder().str(actorId));
    }
}
