package io.actord.daemon.user;

import java.time.Instant;

/**
 * A stored API token: never the token itself, which is shown once when it is made, but what it stands
 * for. It is found by the SHA-256 of the token ({@link Tokens}).
 *
 * @param id     a public id, to list and revoke the token by
 * @param userId the user the token acts for
 * @param runId  for a run token, the run (the token works while the run is active); null for a user token
 * @param hint   the token's first characters, so that people can tell their tokens apart
 */
public record ApiToken(int schemaVersion, String id, String userId, String runId, String name, Instant createdAt,
                       String hint) {
    public static final int SCHEMA = 1;

    /** The key its owner's tokens are listed under: the user, or the run for a run token. */
    public String ownerId() {
        return runId == null ? userId : runId;
    }
}
