package io.actord.daemon.webhook;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of ad-hoc webhooks and pending deliveries, with their key layouts.
 * {@code |} is {@link Keys#SEPARATOR} after a string component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class WebhookTables {
    /** {@code runId → RunWebhooks}: the ad-hoc webhooks a run was started with; absent = none. */
    public static final TableDef<String, RunWebhooks> RUN_WEBHOOKS = json("run_webhooks", RunWebhooks.class);

    /** {@code dispatchId → WebhookDispatch}: webhook requests not yet delivered nor given up (resumed at start). */
    public static final TableDef<String, WebhookDispatch> WEBHOOK_DISPATCHES =
            json("webhook_dispatches", WebhookDispatch.class);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(RUN_WEBHOOKS, WEBHOOK_DISPATCHES);

    private WebhookTables() {
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return TableDef.json(name, Json.MAPPER, type);
    }
}
