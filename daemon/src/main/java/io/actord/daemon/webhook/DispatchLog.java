package io.actord.daemon.webhook;

import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Paging;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dispatches the API lists ({@link WebhookTables#DISPATCH_RECORDS} and its indexes by user and by webhook):
 * written when a dispatch starts and after each of its calls. The dispatcher's own queue of what is still to
 * send is {@link WebhookTables#WEBHOOK_DISPATCHES}; this is the history.
 */
final class DispatchLog {
    private final StateStore store;
    private final Table<String, DispatchRecord> records;
    private final Table<IndexKey, String> byUser;
    private final Table<IndexKey, String> byWebhook;

    DispatchLog(StateStore store) {
        this.store = store;
        this.records = store.table(WebhookTables.DISPATCH_RECORDS);
        this.byUser = store.table(WebhookTables.DISPATCHES_BY_USER);
        this.byWebhook = store.table(WebhookTables.DISPATCHES_BY_WEBHOOK);
    }

    void started(DispatchRecord r) {
        store.write(batch -> {
            records.putInBatch(batch, r.id(), r);
            byUser.putInBatch(batch, IndexKey.of(r.userId(), r.createdAt(), r.id()), r.id());
            byWebhook.putInBatch(batch, IndexKey.of(r.webhookId(), r.createdAt(), r.id()), r.id());
        });
    }

    /** Adds a call to dispatch {@code id} (no record: a dispatch an older daemon queued, before records). */
    synchronized void called(String id, DispatchRecord.Call call, String status) {
        records.get(id).ifPresent(r -> records.put(id, r.called(call, status)));
    }

    Optional<DispatchRecord> get(String id) {
        return records.get(id);
    }

    Paging.Page<DispatchRecord> ofUser(String userId, long offset, long limit, boolean desc) {
        return Paging.page(byUser, IndexKey.of(userId), desc, offset, limit, e -> records.get(e.value()));
    }

    Paging.Page<DispatchRecord> ofWebhook(String webhookId, long offset, long limit, boolean desc) {
        return Paging.page(byWebhook, IndexKey.of(webhookId), desc, offset, limit, e -> records.get(e.value()));
    }

    long count(String webhookId) {
        return byWebhook.count(IndexKey.of(webhookId));
    }

    Optional<DispatchRecord> last(String webhookId) {
        return ofWebhook(webhookId, 0, 1, true).items().stream().findFirst();
    }

    /** Adds forgetting every dispatch of the webhook to the batch that deletes it. */
    void deleteOfWebhookInBatch(Batch batch, String webhookId) {
        List<Entry<IndexKey, String>> gone = new ArrayList<>();
        try (CloseableIterator<Entry<IndexKey, String>> it = byWebhook.scan(KeyRange.of(IndexKey.of(webhookId)))) {
            it.forEachRemaining(gone::add);
        }
        for (Entry<IndexKey, String> e : gone) {
            records.get(e.value()).ifPresent(r -> byUser.deleteInBatch(batch, IndexKey.of(r.userId(), r.createdAt(),
                    r.id())));
            records.deleteInBatch(batch, e.value());
            byWebhook.deleteInBatch(batch, e.key());
        }
    }
}
