package io.actord.daemon.inrun;

import io.actord.daemon.Ids;
import io.actord.daemon.store.StateStore;
import io.actord.daemon.store.Table;
import io.actord.daemon.store.Tables;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Each run's own API token: random, made when its first container is specified, kept in the state store so
 * a container that outlives a daemon restart still gets in. A container only ever sees its run's token.
 */
public final class RunTokens {
    private static final int LENGTH = 40;

    private final Table<String, String> tokens;

    public RunTokens(StateStore store) {
        this.tokens = store.table(Tables.RUN_TOKENS);
    }

    /** The run's token, made (and stored, synced) the first time. */
    public synchronized String tokenFor(String runId) {
        Optional<String> existing = tokens.get(runId);
        if (existing.isPresent()) {
            return existing.get();
        }
        String token = "apify_api_" + Ids.random(LENGTH);
        tokens.put(runId, token);
        return token;
    }

    /** Whether {@code token} is the run's (compared in constant time). */
    public boolean valid(String runId, String token) {
        return tokens.get(runId).map(t -> MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))).orElse(false);
    }
}
