package io.actord.daemon.user;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/** The key of {@link UserTables#TOKENS_BY_OWNER}, {@code ownerId|tokenId}: an owner's tokens in id order. */
public record TokenOwnerKey(String ownerId, String tokenId) {
    public static final KeyCodec<TokenOwnerKey> CODEC = KeyCodec.of((k, out) -> out.str(k.ownerId).tail(k.tokenId),
            in -> new TokenOwnerKey(in.str(), in.tail()));

    /** The tokens of a user, or of a run. */
    public static KeyPrefix<TokenOwnerKey> ofOwner(String ownerId) {
        return KeyPrefix.of(Keys.builder().str(ownerId));
    }
}
