package io.actord.daemon.webhook;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of webhooks and their dispatches, with their key layouts.
 * {@code |} is {@link Keys#SEPARATOR} after a string component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class WebhookTables {
    /**
     * {@code runId → RunWebhooks}: the ad-hoc webhooks of runs started before they became {@link #WEBHOOKS}
     * records; read for those runs, no longer written.
     */
    public static final TableDef<String, RunWebhooks> RUN_WEBHOOKS = json("run_webhooks", RunWebhooks.class);

    /** {@code dispatchId → WebhookDispatch}: webhook requests not yet delivered nor given up (resumed at start). */
    public static final TableDef<String, WebhookDispatch> WEBHOOK_DISPATCHES =
            json("webhook_dispatches", WebhookDispatch.class);

    /** {@code webhookId → Webhook}. */
    public static final TableDef<String, Webhook> WEBHOOKS = json("webhooks", Webhook.class);

    /** {@code userId|createdAt(8B)|webhookId| → webhookId}: a user's webhooks, oldest first. */
    public static final TableDef<IndexKey, String> WEBHOOKS_BY_USER =
            new TableDef<>("webhooks_by_user", IndexKey.CODEC, Codecs.STRING);

    /**
     * {@code target|createdAt(8B)|webhookId| → webhookId}, target {@code actor:<actorId>}, {@code task:<taskId>} or
     * {@code run:<runId>}: the webhooks a run's status change looks up.
     */
    public static final TableDef<IndexKey, String> WEBHOOKS_BY_TARGET =
            new TableDef<>("webhooks_by_target", IndexKey.CODEC, Codecs.STRING);

    /** {@code userId + "|" + idempotencyKey → webhookId}: makes a second create with the key return the first. */
    public static final TableDef<String, String> WEBHOOKS_BY_IDEMPOTENCY_KEY =
            new TableDef<>("webhooks_by_idempotency_key", Codecs.STRING, Codecs.STRING);

    /** {@code dispatchId → DispatchRecord}: every dispatch with its calls, delivered, given up or still going. */
    public static final TableDef<String, DispatchRecord> DISPATCH_RECORDS =
            json("webhook_dispatch_records", DispatchRecord.class);

    /** {@code userId|createdAt(8B)|dispatchId| → dispatchId}. */
    public static final TableDef<IndexKey, String> DISPATCHES_BY_USER =
            new TableDef<>("webhook_dispatches_by_user", IndexKey.CODEC, Codecs.STRING);

    /** {@code webhookId|createdAt(8B)|dispatchId| → dispatchId}. */
    public static final TableDef<IndexKey, String> DISPATCHES_BY_WEBHOOK =
            new TableDef<>("webhook_dispatches_by_webhook", IndexKey.CODEC, Codecs.STRING);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(RUN_WEBHOOKS, WEBHOOK_DISPATCHES, WEBHOOKS,
            WEBHOOKS_BY_USER, WEBHOOKS_BY_TARGET, WEBHOOKS_BY_IDEMPOTENCY_KEY, DISPATCH_RECORDS, DISPATCHES_BY_USER,
            DISPATCHES_BY_WEBHOOK);

    private WebhookTables() {
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return TableDef.json(name, Json.MAPPER, type);
    }
}
