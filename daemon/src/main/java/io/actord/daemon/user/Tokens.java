package io.actord.daemon.user;

import io.actord.daemon.common.Ids;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API tokens, user and run tokens alike: {@code apify_api_} and 43 random letters and digits (62^43 ≈
 * 2^256, from {@link java.security.SecureRandom}). Only their SHA-256 is stored, as the key that finds
 * them. A fast hash is enough: slow hashes (bcrypt, scrypt, argon2) make guessing a <em>low-entropy</em>
 * password from a stolen hash expensive, but nobody can enumerate 2^256 tokens however fast the hash is,
 * and a fast one lets every request look its token up directly (no per-request work factor, no salt to
 * find first). A stolen state database therefore yields no usable token. The lookup by hash also leaves
 * nothing to compare in constant time: how long it takes says something about a hash, not about a token.
 */
public final class Tokens {
    public static final String PREFIX = "apify_api_";
    private static final int RANDOM_CHARS = 43;
    private static final Pattern SHAPE = Pattern.compile("^" + PREFIX + "[A-Za-z0-9]{" + RANDOM_CHARS + "}$");
    private static final int HINT_CHARS = 4;

    private final StateStore store;
    private final Table<String, ApiToken> tokens;
    private final Table<TokenOwnerKey, String> byOwner;
    private final Clock clock;

    public Tokens(StateStore store, Clock clock) {
        this.store = store;
        this.tokens = store.table(UserTables.TOKENS);
        this.byOwner = store.table(UserTables.TOKENS_BY_OWNER);
        this.clock = clock;
    }

    /** A new token and the only copy of its secret. */
    public record Issued(ApiToken token, String secret) {
    }

    /** A new token for {@code userId}, stored (synced) before it is returned. */
    public Issued issue(String userId, String name) {
        String secret = newSecret();
        ApiToken t = new ApiToken(ApiToken.SCHEMA, Ids.newId(), userId, null, name, clock.instant(), hint(secret));
        store.write(b -> putInBatch(b, t, secret));
        return new Issued(t, secret);
    }

    /**
     * A new token for a run's next container, acting as the run's user; the run's earlier tokens stop
     * working in the same write (a container only ever holds its own run's latest token).
     */
    public String issueForRun(String runId, String userId) {
        String secret = newSecret();
        ApiToken t = new ApiToken(ApiToken.SCHEMA, Ids.newId(), userId, runId, "run " + runId, clock.instant(),
                hint(secret));
        store.write(b -> {
            deleteAllInBatch(b, runId);
            putInBatch(b, t, secret);
        });
        return secret;
    }

    /** The token a secret stands for; empty for anything that is not a live token (no hash is made of junk). */
    public Optional<ApiToken> find(String secret) {
        if (!SHAPE.matcher(secret).matches()) {
            return Optional.empty();
        }
        return tokens.get(hash(secret));
    }

    /** Whether a string has the shape of a token at all (used to tell a truncated token from a wrong one). */
    public static boolean wellFormed(String secret) {
        return SHAPE.matcher(secret).matches();
    }

    /** The tokens of a user (or of a run), oldest id first. */
    public List<ApiToken> list(String ownerId) {
        List<ApiToken> out = new ArrayList<>();
        try (CloseableIterator<Entry<TokenOwnerKey, String>> it = byOwner.scan(ofOwner(ownerId))) {
            it.forEachRemaining(e -> tokens.get(e.value()).ifPresent(out::add));
        }
        return out;
    }

    /** Revokes one of the owner's tokens; false when it has no such token. */
    public boolean revoke(String ownerId, String tokenId) {
        TokenOwnerKey key = new TokenOwnerKey(ownerId, tokenId);
        Optional<String> hash = byOwner.get(key);
        hash.ifPresent(h -> store.write(b -> {
            tokens.deleteInBatch(b, h);
            byOwner.deleteInBatch(b, key);
        }));
        return hash.isPresent();
    }

    /** Adds revoking every token of a user (or a run) to a batch. */
    public void deleteAllInBatch(Batch batch, String ownerId) {
        try (CloseableIterator<Entry<TokenOwnerKey, String>> it = byOwner.scan(ofOwner(ownerId))) {
            while (it.hasNext()) {
                Entry<TokenOwnerKey, String> e = it.next();
                tokens.deleteInBatch(batch, e.value());
                byOwner.deleteInBatch(batch, e.key());
            }
        }
    }

    private static KeyRange<TokenOwnerKey> ofOwner(String ownerId) {
        return KeyRange.of(TokenOwnerKey.ofOwner(ownerId));
    }

    private void putInBatch(Batch b, ApiToken t, String secret) {
        String h = hash(secret);
        tokens.putInBatch(b, h, t);
        byOwner.putInBatch(b, new TokenOwnerKey(t.ownerId(), t.id()), h);
    }

    private static String newSecret() {
        return PREFIX + Ids.random(RANDOM_CHARS);
    }

    private static String hint(String secret) {
        return secret.substring(0, PREFIX.length() + HINT_CHARS) + "…";
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
