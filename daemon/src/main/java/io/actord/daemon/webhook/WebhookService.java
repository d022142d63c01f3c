package io.actord.daemon.webhook;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.common.Ids;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Paging;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Webhooks as resources ({@code /v2/webhooks}): made, changed and deleted with their indexes (by user, by the
 * condition's target, by idempotency key) in one batch each, so no index ever names a missing webhook. Callers
 * check access and that the condition's actor or run exists; this checks the input itself and the URL against
 * the egress policy.
 */
public final class WebhookService {
    private static final Pattern LITERAL_V4 = Pattern.compile("[0-9.]+");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");
    private final StateStore store;
    private final Table<String, Webhook> webhooks;
    private final Table<IndexKey, String> byUser;
    private final Table<IndexKey, String> byTarget;
    private final Table<String, String> byKey;
    private final DispatchLog log;
    private final Clock clock;
    private final Predicate<InetAddress> permitted;

    /** @param permitted whether the egress policy lets webhooks reach an address */
    WebhookService(StateStore store, DispatchLog log, Clock clock, Predicate<InetAddress> permitted) {
        this.store = store;
        this.webhooks = store.table(WebhookTables.WEBHOOKS);
        this.byUser = store.table(WebhookTables.WEBHOOKS_BY_USER);
        this.byTarget = store.table(WebhookTables.WEBHOOKS_BY_TARGET);
        this.byKey = store.table(WebhookTables.WEBHOOKS_BY_IDEMPOTENCY_KEY);
        this.log = log;
        this.clock = clock;
        this.permitted = permitted;
    }

    /**
     * A new webhook of {@code userId}; when {@code in} has an idempotency key this user already made a webhook
     * with, that webhook instead (unchanged).
     */
    public synchronized Webhook create(String userId, WebhookInput in) {
        in.checkComplete();
        if (in.idempotencyKey() != null) {
            Optional<Webhook> earlier = byKey.get(idempotencyKey(userId, in.idempotencyKey())).flatMap(webhooks::get);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        checkDestination(in.requestUrl());
        Webhook w = new Webhook(Webhook.SCHEMA, Ids.newId(), userId, clock.instant(), clock.instant(),
                Boolean.TRUE.equals(in.isAdHoc()), Boolean.TRUE.equals(in.shouldInterpolateStrings()), in.eventTypes(),
                in.condition(), false, Boolean.TRUE.equals(in.doNotRetry()), in.requestUrl(), in.payloadTemplate(),
                in.headersTemplate(), in.description(), in.idempotencyKey());
        store.write(batch -> putInBatch(batch, w));
        return w;
    }

    public Optional<Webhook> find(String id) {
        return webhooks.get(id);
    }

    /** The webhook; 404 record-not-found when there is none. */
    public Webhook get(String id) {
        return find(id).orElseThrow(() -> ApiException.notFound("Webhook", id));
    }

    /** The webhook with the fields {@code in} has changed; its indexes follow. */
    public synchronized Webhook update(String id, WebhookInput in) {
        in.checkPresent();
        Webhook current = get(id);
        Webhook next = current.updated(in, clock.instant());
        if (in.requestUrl() != null) {
            checkDestination(next.requestUrl());
        }
        if (in.idempotencyKey() != null && !in.idempotencyKey().equals(current.idempotencyKey())
                && byKey.get(idempotencyKey(current.userId(), in.idempotencyKey())).isPresent()) {
            throw WebhookInput.invalid("another webhook has the idempotencyKey '" + in.idempotencyKey() + "'");
        }
        store.write(batch -> {
            deleteIndexesInBatch(batch, current);
            putInBatch(batch, next);
        });
        return next;
    }

    public synchronized void delete(String id) {
        Webhook w = get(id);
        store.write(batch -> deleteInBatch(batch, w));
    }

    /** Adds a made webhook and its indexes to a batch (the ad-hoc webhooks of a run's start batch). */
    void putInBatch(Batch batch, Webhook w) {
        webhooks.putInBatch(batch, w.id(), w);
        byUser.putInBatch(batch, IndexKey.of(w.userId(), w.createdAt(), w.id()), w.id());
        byTarget.putInBatch(batch, IndexKey.of(w.condition().target(), w.createdAt(), w.id()), w.id());
        if (w.idempotencyKey() != null) {
            byKey.putInBatch(batch, idempotencyKey(w.userId(), w.idempotencyKey()), w.id());
        }
    }

    private void deleteInBatch(Batch batch, Webhook w) {
        deleteIndexesInBatch(batch, w);
        webhooks.deleteInBatch(batch, w.id());
        log.deleteOfWebhookInBatch(batch, w.id());
    }

    private void deleteIndexesInBatch(Batch batch, Webhook w) {
        byUser.deleteInBatch(batch, IndexKey.of(w.userId(), w.createdAt(), w.id()));
        byTarget.deleteInBatch(batch, IndexKey.of(w.condition().target(), w.createdAt(), w.id()));
        // Start options of two runs may carry one key; the index names the later webhook, and stays its.
        String key = w.idempotencyKey() == null ? null : idempotencyKey(w.userId(), w.idempotencyKey());
        if (key != null && byKey.get(key).filter(w.id()::equals).isPresent()) {
            byKey.deleteInBatch(batch, key);
        }
    }

    /** Adds deleting the ad-hoc webhooks of run {@code runId} to the batch that deletes the run. */
    void deleteAdHocInBatch(Batch batch, String runId) {
        for (Webhook w : ofTarget(WebhookCondition.run(runId))) {
            if (w.isAdHoc()) {
                deleteInBatch(batch, w);
            }
        }
    }

    /** A page of the user's webhooks, oldest first (or newest with {@code desc}). */
    public Paging.Page<Webhook> ofUser(String userId, long offset, long limit, boolean desc) {
        return Paging.page(byUser, IndexKey.of(userId), desc, offset, limit, e -> webhooks.get(e.value()));
    }

    /** A page of the webhooks on every run of actor {@code actorId}, of the user (every user's: empty). */
    public Paging.Page<Webhook> ofActor(String actorId, Optional<String> userId, long offset, long limit,
                                        boolean desc) {
        return ofTarget(WebhookCondition.actor(actorId), userId, offset, limit, desc);
    }

    /** A page of the webhooks on every run of task {@code taskId}, of the user (every user's: empty). */
    public Paging.Page<Webhook> ofTask(String taskId, Optional<String> userId, long offset, long limit, boolean desc) {
        return ofTarget(WebhookCondition.task(taskId), userId, offset, limit, desc);
    }

    private Paging.Page<Webhook> ofTarget(String target, Optional<String> userId, long offset, long limit,
                                          boolean desc) {
        if (target.indexOf('\0') >= 0) {
            return new Paging.Page<>(0, List.of());
        }
        return Paging.page(byTarget, IndexKey.of(target), desc, offset, limit, e -> webhooks.get(e.value())
                .filter(w -> userId.map(w.userId()::equals).orElse(true)));
    }

    /** Every webhook whose condition's target is {@code target} ({@code run:<id>} …). */
    List<Webhook> ofTarget(String target) {
        List<Webhook> found = new ArrayList<>();
        try (CloseableIterator<Entry<IndexKey, String>> it = byTarget.scan(KeyRange.of(IndexKey.of(target)))) {
            it.forEachRemaining(e -> webhooks.get(e.value()).ifPresent(found::add));
        }
        return found;
    }

    /** The wire shape: the record with its last dispatch and how many dispatches it made. */
    public Map<String, Object> view(Webhook w) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", w.id());
        v.put("createdAt", w.createdAt());
        v.put("modifiedAt", w.modifiedAt());
        v.put("userId", w.userId());
        v.put("isAdHoc", w.isAdHoc());
        v.put("shouldInterpolateStrings", w.shouldInterpolateStrings());
        v.put("eventTypes", w.eventTypes());
        v.put("condition", w.condition());
        v.put("ignoreSslErrors", w.ignoreSslErrors());
        v.put("doNotRetry", w.doNotRetry());
        v.put("requestUrl", w.requestUrl());
        v.put("payloadTemplate", w.payloadTemplate());
        v.put("headersTemplate", w.headersTemplate());
        v.put("description", w.description());
        v.put("idempotencyKey", w.idempotencyKey());
        v.put("lastDispatch", log.last(w.id()).map(d -> {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("status", d.status());
            last.put("finishedAt", d.finishedAt());
            return last;
        }).orElse(null));
        v.put("stats", Map.of("totalDispatches", log.count(w.id())));
        return v;
    }

    public Optional<DispatchRecord> dispatch(String id) {
        return log.get(id);
    }

    public Paging.Page<DispatchRecord> dispatchesOfUser(String userId, long offset, long limit, boolean desc) {
        return log.ofUser(userId, offset, limit, desc);
    }

    public Paging.Page<DispatchRecord> dispatchesOf(String webhookId, long offset, long limit, boolean desc) {
        return log.ofWebhook(webhookId, offset, limit, desc);
    }

    /**
     * A URL whose host is an address (or {@code localhost}) the egress policy refuses is 400 here. A host name
     * is not looked up now (a create must not make the daemon query DNS for whatever name it is given): each
     * send checks its addresses, and a refused one ends that dispatch FAILED with the reason.
     */
    private void checkDestination(String url) {
        String host = URI.create(url).getHost();
        boolean literal = host.equalsIgnoreCase("localhost") || host.startsWith("[")
                || LITERAL_V4.matcher(host).matches();
        if (!literal) {
            return;
        }
        if (LITERAL_V4.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw WebhookInput.invalid("requestUrl " + url + ": " + host + " is not an IPv4 address");
        }
        try {
            // A literal (an IPv6 one in brackets) is parsed, never looked up.
            InetAddress address = InetAddress.getByName(host.equalsIgnoreCase("localhost") ? "127.0.0.1" : host);
            if (!permitted.test(address)) {
                throw WebhookInput.invalid("requestUrl " + url + ": " + address.getHostAddress()
                        + " is not an allowed destination (egress policy)");
            }
        } catch (UnknownHostException e) {
            throw WebhookInput.invalid("requestUrl " + url + ": not a valid address: " + e.getMessage());
        }
    }

    private static String idempotencyKey(String userId, String key) {
        return userId + "|" + key;
    }
}
