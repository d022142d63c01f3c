package io.actord.daemon.api;

/**
 * Apify's error types with their HTTP statuses: the single place a failure becomes a status, and the table of
 * them (README's "Errors" lists the same, {@code ErrorTypeTest} keeps the two equal). Clients depend on the exact
 * type strings (apify-client returns {@code undefined} for a 404 only when the type is {@code record-not-found}),
 * so they are Apify's wherever the platform has one: its list is apify-docs'
 * {@code apify-api/openapi/components/schemas/common/errors/ErrorType.yaml} (read at commit 4416da6). The few
 * that are actord's own say so. As on the platform, a conflict with a run's or build's state is a 400 (its run
 * and build endpoints document no 409; it uses 409 only for a task or schedule name taken), so every 4xx here
 * fails the client at once (it retries only 429 and 5xx).
 */
public enum ErrorType {
    /** The request itself is malformed: bad HTTP, a body that is not JSON where JSON is required. */
    INVALID_REQUEST(400, "invalid-request"),
    /** A field or parameter has a value outside what is allowed (memory, timeout, limit ...). */
    INVALID_VALUE(400, "invalid-value"),
    /** The body parsed, but its content is not acceptable (missing or wrong fields). */
    INVALID_INPUT(400, "invalid-input"),
    /** A run's INPUT claims to be JSON and is not. */
    RUN_INPUT_BODY_NOT_VALID_JSON(400, "run-input-body-not-valid-json"),
    /** A request that needs a token came without one (over TCP, or on a run's in-run endpoint). */
    TOKEN_NOT_PROVIDED(401, "token-not-provided"),
    /** A token that is not a live one, or not the one the request needs. */
    INVALID_TOKEN(401, "invalid-token"),
    /** Starting (or resurrecting) the run would take the user's runs past their memory limit. */
    ACTOR_MEMORY_LIMIT_EXCEEDED(402, "actor-memory-limit-exceeded"),
    /**
     * A write would take the storage owner's stored bytes past their storage limit; nothing of it is stored.
     * 402 as for every other account limit Apify enforces (memory above, concurrent runs): the limit is the
     * account's, not the request's, and apify-client does not retry a 402. The type string follows the
     * platform's "{@code <what>-limit-exceeded}" naming; it is ours: the apify-docs {@code ErrorType.yaml}
     * read (commit fbdfaa6) and its storage errors name no storage-limit type, as the platform bills storage
     * rather than capping it.
     */
    STORAGE_LIMIT_EXCEEDED(402, "storage-limit-exceeded"),
    /**
     * The caller may see the resource but not do this to it (abort a run shared for reading), or may not do
     * it here (reach the daemon's host files over TCP).
     */
    INSUFFICIENT_PERMISSIONS(403, "insufficient-permissions"),
    /**
     * A resource of a kind the API has (actor, build, run, storage, record, version, user, task, schedule,
     * webhook, dispatch …) does not exist under this id, or not for this caller. Also the answer of
     * {@link io.actord.daemon.http.Router} for an id under a known collection no route serves, so that
     * apify-client's {@code get()} of any kind returns {@code undefined}.
     */
    RECORD_NOT_FOUND(404, "record-not-found"),
    /** No route has this path, and it is not an id under a known collection (that is record-not-found). */
    PAGE_NOT_FOUND(404, "page-not-found"),
    /** A route has this path, but not this method. */
    METHOD_NOT_ALLOWED(405, "method-not-allowed"),
    /** A synchronous run (run-sync) ended in a status other than SUCCEEDED. */
    RUN_FAILED(400, "run-failed"),
    /** A synchronous run (run-sync) did not end within 300 s; it goes on running. */
    RUN_TIMEOUT_EXCEEDED(408, "run-timeout-exceeded"),
    /** A run was already metamorphed as often as Apify allows (10 times). */
    MAX_METAMORPHS_EXCEEDED(400, "max-metamorphs-exceeded"),
    /**
     * The run (or user, actor) is in a state that does not allow the operation: reboot or metamorph of a run that
     * is not running, resurrect of one that is, a finished run's status message, deleting an actor or user with
     * unfinished runs. 400 as the platform answers these; the type is actord's (the platform's list names no
     * general one, and its messages for these cases are undocumented).
     */
    RUN_STATE_CONFLICT(400, "run-state-conflict"),
    /** The body is larger than the API accepts. */
    REQUEST_TOO_LARGE(413, "request-too-large"),
    /**
     * An {@code Expect} header other than {@code 100-continue} (RFC 9110 10.1.1): the only expectation HTTP
     * defines. Not an Apify type (Apify's front answers such requests before its API sees them).
     */
    EXPECTATION_FAILED(417, "expectation-failed"),
    /** The body's Content-Encoding is not br, gzip, deflate or identity. */
    UNSUPPORTED_CONTENT_ENCODING(415, "unsupported-content-encoding"),
    /** A key-value store record key outside Apify's {@code ^[a-zA-Z0-9!\-_.'()]{1,256}$} (or "." / ".."). */
    INVALID_RECORD_KEY(400, "invalid-record-key"),
    /** A request queue clientKey that is not 1 to 32 characters. */
    INVALID_CLIENT_KEY(400, "invalid-client-key"),
    /** A storage name already used by another storage of the same kind and owner. */
    NAME_NOT_UNIQUE(400, "name-not-unique"),
    /** A key-value store record larger than Apify's 9 MiB limit. */
    RECORD_TOO_LARGE(413, "record-too-large"),
    /** A request queue lock held by another client, or a lock operation on a handled request. */
    REQUEST_HANDLED_OR_LOCKED(409, "request-handled-or-locked"),
    /**
     * An Apify API operation or field actord has nothing behind (the Store, a build's OpenAPI definition, the
     * monthly usage cap, a storage open to anyone, public or standby actors, pricing, versions inside an actor's
     * create, moving tags by an actor update). 400, not 501:
     * apify-client retries every 5xx answer 8 times with growing pauses, so a 501 would fail only after
     * about two minutes; a 4xx fails at once, with this type and a message saying what is missing.
     */
    NOT_IMPLEMENTED(400, "not-implemented"),
    /**
     * The daemon is stopping and takes no new runs, or imports as many images as it allows at once;
     * clients retry 5xx answers with backoff.
     */
    SERVICE_UNAVAILABLE(503, "service-unavailable"),
    /** The host has no memory free for the run now, and the daemon is set to refuse rather than queue it. */
    HOST_CAPACITY_EXCEEDED(503, "host-capacity-exceeded"),
    /** Anything unexpected; the details are in the daemon's log under the request id. */
    INTERNAL_ERROR(500, "internal-error"),
    /**
     * A start (or resurrect, metamorph, default build) names a build tag or number the actor has no build for.
     * 403, not 404, as the platform answers it: apify-docs' {@code acts@{actorId}@builds@default.yaml} says "It
     * should be 404, but is 403 for backwards compatibility" (apify-core PR 17414).
     */
    UNKNOWN_BUILD_TAG(403, "unknown-build-tag"),
    /** Deleting a run that has not finished (the platform's type and status). */
    CANNOT_REMOVE_RUNNING_RUN(400, "cannot-remove-running-run"),
    /** Deleting a build that has not finished (the platform's type and status). */
    DELETING_UNFINISHED_BUILD(400, "deleting-unfinished-build"),
    /**
     * The state database (PostgreSQL) cannot be reached now. A write is committed whole or not at all, and not
     * at all unless the connection broke during its commit (then which one is unknown); the same request may pass
     * once the database is back (clients retry 5xx answers with backoff). actord's type.
     */
    STATE_UNAVAILABLE(503, "state-unavailable");

    private final int status;
    private final String type;

    ErrorType(int status, String type) {
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    /** The kebab-case type on the wire, e.g. "record-not-found". */
    public String type() {
        return type;
    }
}
