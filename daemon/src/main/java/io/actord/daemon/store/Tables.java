package io.actord.daemon.store;

import io.actord.daemon.Json;
import io.actord.daemon.access.RunSharing;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.Build;
import io.actord.daemon.image.Layer;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunStatus;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.storage.KvRecordCodec;
import io.actord.daemon.storage.QueueRequest;
import io.actord.daemon.storage.StorageKind;
import io.actord.daemon.storage.StorageMeta;
import io.actord.daemon.store.Codecs.Empty;
import io.actord.daemon.user.ApiToken;
import io.actord.daemon.user.User;
import io.actord.daemon.webhook.RunWebhooks;
import io.actord.daemon.webhook.WebhookDispatch;

import java.util.Arrays;
import java.util.List;

/**
 * Every table of the state store, with its key layout. {@code |} is {@link Keys#SEPARATOR} after a string
 * component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class Tables {
    /** {@code userId → User}. */
    public static final TableDef<String, User> USERS = json("users", User.class);

    /** {@code username → userId}: resolves usernames and keeps them unique. */
    public static final TableDef<String, String> USERS_BY_NAME =
            new TableDef<>("users_by_name", Codecs.STRING, Codecs.STRING);

    /** {@code sha256(token) as hex → ApiToken}: user and run tokens, found by the hash of what a request carries. */
    public static final TableDef<String, ApiToken> TOKENS = json("tokens", ApiToken.class);

    /** {@code ownerId|tokenId → sha256(token)}: a user's tokens (a run's, for run tokens), to list and revoke them. */
    public static final TableDef<byte[], String> TOKENS_BY_OWNER =
            new TableDef<>("tokens_by_owner", Codecs.BYTES, Codecs.STRING);

    /** {@code actorId → Actor}. */
    public static final TableDef<String, Actor> ACTORS = json("actors", Actor.class);

    /**
     * {@code userId|name → actorId}: resolves "username~name" (the username through {@link #USERS_BY_NAME})
     * and keeps names unique per user. Keyed by the user's id, never the name, so a deleted user's name given
     * to a new user carries none of the old user's actors.
     */
    public static final TableDef<byte[], String> ACTORS_BY_OWNER =
            new TableDef<>("actors_by_owner", Codecs.BYTES, Codecs.STRING);

    /**
     * {@code username|name → actorId}, the name index of stores written before {@link #ACTORS_BY_OWNER}:
     * moved into it at start-up and left empty (kept so that those stores still open).
     */
    public static final TableDef<byte[], String> ACTORS_BY_NAME =
            new TableDef<>("actors_by_name", Codecs.BYTES, Codecs.STRING);

    /** {@code buildId → Build}. */
    public static final TableDef<String, Build> BUILDS = json("builds", Build.class);

    /** {@code actorId|seq(4B) → buildId}: an actor's builds in the order they were made (over all versions). */
    public static final TableDef<byte[], String> BUILDS_BY_ACTOR =
            new TableDef<>("builds_by_actor", Codecs.BYTES, Codecs.STRING);

    /** {@code runId → Run}. */
    public static final TableDef<String, Run> RUNS = json("runs", Run.class);

    /** {@code actorId|startedAt(8B)|runId → ∅}: an actor's runs, oldest first ({@code /acts/{id}/runs}, {@code runs/last}). */
    public static final TableDef<byte[], Empty> RUNS_BY_ACTOR = new TableDef<>("runs_by_actor", Codecs.BYTES, Codecs.EMPTY);

    /** {@code userId|startedAt(8B)|runId → ∅}: a user's runs, oldest first ({@code /actor-runs}). */
    public static final TableDef<byte[], Empty> RUNS_BY_USER = new TableDef<>("runs_by_user", Codecs.BYTES, Codecs.EMPTY);

    /**
     * {@code status|startedAt(8B)|runId → ∅}, with the wire status name: recovery scans the active statuses
     * after a restart. A status change moves the entry in the same batch as the run.
     */
    public static final TableDef<byte[], Empty> RUNS_BY_STATUS =
            new TableDef<>("runs_by_status", Codecs.BYTES, Codecs.EMPTY);

    /** {@code storeId → StorageMeta}. */
    public static final TableDef<String, StorageMeta> KEY_VALUE_STORES = json("key_value_stores", StorageMeta.class);

    /** {@code storeId|key → KvRecord}: keys in UTF-8 binary order, as Apify lists them. */
    public static final TableDef<byte[], KvRecord> KV_RECORDS =
            new TableDef<>("kv_records", Codecs.BYTES, new KvRecordCodec());

    /** {@code datasetId → StorageMeta}. */
    public static final TableDef<String, StorageMeta> DATASETS = json("datasets", StorageMeta.class);

    /** {@code queueId → StorageMeta}. */
    public static final TableDef<String, StorageMeta> REQUEST_QUEUES = json("request_queues", StorageMeta.class);

    /** {@code kind|userId|name → storageId}: named storages, unique per kind and owner (getOrCreate, {@code ~name}). */
    public static final TableDef<byte[], String> STORAGE_NAMES =
            new TableDef<>("storage_names", Codecs.BYTES, Codecs.STRING);

    /** {@code datasetId|index(8B) → item}: compact JSON objects in push order; the count is in the dataset's meta. */
    public static final TableDef<byte[], byte[]> DATASET_ITEMS =
            new TableDef<>("dataset_items", Codecs.BYTES, Codecs.BYTES);

    /** {@code queueId|requestId → QueueRequest}: every request of a queue, handled or not. */
    public static final TableDef<byte[], QueueRequest> RQ_REQUESTS =
            new TableDef<>("rq_requests", Codecs.BYTES, new JsonCodec<>(Json.MAPPER, QueueRequest.class));

    /** {@code queueId|order(8B)|requestId → ∅}: unhandled, unlocked requests in head order (forefront first). */
    public static final TableDef<byte[], Empty> RQ_HEAD = new TableDef<>("rq_head", Codecs.BYTES, Codecs.EMPTY);

    /** {@code queueId|lockExpiresAt(8B)|requestId → ∅}: locked, unhandled requests, the soonest to expire first. */
    public static final TableDef<byte[], Empty> RQ_LOCKS = new TableDef<>("rq_locks", Codecs.BYTES, Codecs.EMPTY);

    /** {@code runId → RunSharing}: a run's general access and per-user grants; absent = not shared. */
    public static final TableDef<String, RunSharing> RUN_SHARING = json("run_sharing", RunSharing.class);

    /** {@code runId → RunWebhooks}: the ad-hoc webhooks a run was started with; absent = none. */
    public static final TableDef<String, RunWebhooks> RUN_WEBHOOKS = json("run_webhooks", RunWebhooks.class);

    /** {@code dispatchId → WebhookDispatch}: webhook requests not yet delivered nor given up (resumed at start). */
    public static final TableDef<String, WebhookDispatch> WEBHOOK_DISPATCHES =
            json("webhook_dispatches", WebhookDispatch.class);

    /** {@code finishedAt(8B)|runId → ∅}: finished runs, the longest finished first (the retention sweep). */
    public static final TableDef<byte[], Empty> RUNS_BY_FINISH =
            new TableDef<>("runs_by_finish", Codecs.BYTES, Codecs.EMPTY);

    /** {@code diffId → Layer}: the unpacked layers of the layer store, by the digest of their uncompressed tar. */
    public static final TableDef<String, Layer> LAYERS = json("layers", Layer.class);

    /**
     * {@code diffId|buildId → ∅}: which builds use a layer (its reference count), written in the build's own
     * batch; a layer without entries is garbage.
     */
    public static final TableDef<byte[], Empty> LAYER_REFS = new TableDef<>("layer_refs", Codecs.BYTES, Codecs.EMPTY);

    /**
     * {@code runId|index(8B) → at(8B) cpu(8B, double) mem(8B) samples(4B)}: a run's CPU and memory chart
     * points, oldest first, each standing for {@code samples} cgroup samples (RunSamples).
     */
    public static final TableDef<byte[], byte[]> RUN_SAMPLES =
            new TableDef<>("run_samples", Codecs.BYTES, Codecs.BYTES);

    public static final List<TableDef<?, ?>> ALL = List.of(USERS, USERS_BY_NAME, TOKENS, TOKENS_BY_OWNER, ACTORS,
            ACTORS_BY_OWNER, ACTORS_BY_NAME, BUILDS, BUILDS_BY_ACTOR, RUNS, RUNS_BY_ACTOR, RUNS_BY_USER, RUNS_BY_STATUS, RUNS_BY_FINISH,
            RUN_SHARING, KEY_VALUE_STORES, KV_RECORDS, DATASETS, REQUEST_QUEUES, STORAGE_NAMES, DATASET_ITEMS,
            RQ_REQUESTS, RQ_HEAD, RQ_LOCKS, LAYERS, LAYER_REFS, RUN_SAMPLES, RUN_WEBHOOKS,
            WEBHOOK_DISPATCHES);

    private Tables() {
    }

    public static byte[] actorNameKey(String userId, String name) {
        return Keys.builder().str(userId).str(name).build();
    }

    public static byte[] buildKey(String actorId, int seq) {
        return Keys.builder().str(actorId).u32(seq).build();
    }

    public static byte[] layerRefKey(String diffId, String buildId) {
        return Keys.builder().str(diffId).tail(buildId).build();
    }

    public static byte[] runByActorKey(Run run) {
        return Keys.builder().str(run.actId()).u64(run.startedAt().toEpochMilli()).tail(run.id()).build();
    }

    public static byte[] runByUserKey(Run run) {
        return Keys.builder().str(run.userId()).u64(run.startedAt().toEpochMilli()).tail(run.id()).build();
    }

    public static byte[] runByFinishKey(Run run) {
        return Keys.builder().u64(run.finishedAt().toEpochMilli()).tail(run.id()).build();
    }

    public static byte[] tokenByOwnerKey(String ownerId, String tokenId) {
        return Keys.builder().str(ownerId).tail(tokenId).build();
    }

    public static byte[] runByStatusKey(RunStatus status, Run run) {
        return Keys.builder().str(status.wireName()).u64(run.startedAt().toEpochMilli()).tail(run.id()).build();
    }

    /** The run id at the end of a {@code ...|startedAt(8B)|runId} index key whose string prefix is {@code prefix}. */
    public static String runIdOf(byte[] indexKey, byte[] prefix) {
        Keys.Reader r = Keys.reader(Arrays.copyOfRange(indexKey, prefix.length, indexKey.length));
        r.u64();
        return r.tail();
    }

    public static byte[] runSampleKey(String runId, long index) {
        return Keys.builder().str(runId).u64(index).build();
    }

    public static byte[] kvRecordKey(String storeId, String key) {
        return Keys.builder().str(storeId).tail(key).build();
    }

    public static byte[] storageNameKey(StorageKind kind, String userId, String name) {
        return Keys.builder().str(kind.path()).str(userId).tail(name).build();
    }

    public static byte[] datasetItemKey(String datasetId, long index) {
        return Keys.builder().str(datasetId).u64(index).build();
    }

    public static byte[] queueRequestKey(String queueId, String requestId) {
        return Keys.builder().str(queueId).tail(requestId).build();
    }

    public static byte[] queueHeadKey(String queueId, long order, String requestId) {
        return Keys.builder().str(queueId).u64(order).tail(requestId).build();
    }

    public static byte[] queueLockKey(String queueId, long expiresAtMillis, String requestId) {
        return Keys.builder().str(queueId).u64(expiresAtMillis).tail(requestId).build();
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return new TableDef<>(name, Codecs.STRING, new JsonCodec<>(Json.MAPPER, type));
    }
}
