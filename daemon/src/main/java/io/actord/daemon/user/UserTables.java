package io.actord.daemon.user;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of users and their API tokens, with their key layouts.
 * {@code |} is {@link Keys#SEPARATOR} after a string component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class UserTables {
    /** {@code userId → User}. */
    public static final TableDef<String, User> USERS = json("users", User.class);

    /** {@code username → userId}: resolves usernames and keeps them unique. */
    public static final TableDef<String, String> USERS_BY_NAME =
            new TableDef<>("users_by_name", Codecs.STRING, Codecs.STRING);

    /** {@code sha256(token) as hex → ApiToken}: user and run tokens, found by the hash of what a request carries. */
    public static final TableDef<String, ApiToken> TOKENS = json("tokens", ApiToken.class);

    /** {@code ownerId|tokenId → sha256(token)}: a user's tokens (a run's, for run tokens), to list and revoke them. */
    public static final TableDef<TokenOwnerKey, String> TOKENS_BY_OWNER =
            new TableDef<>("tokens_by_owner", TokenOwnerKey.CODEC, Codecs.STRING);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(USERS, USERS_BY_NAME, TOKENS, TOKENS_BY_OWNER);

    private UserTables() {
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return TableDef.json(name, Json.MAPPER, type);
    }
}
