package io.actord.daemon.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunStartListener;
import io.actord.daemon.run.RunStatus;
import io.actord.daemon.run.StartRequest;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.runtime.network.EgressPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A run's ad-hoc webhooks, a listener of its transitions: taken from the start request and kept in
 * {@link WebhookTables#RUN_WEBHOOKS} in the run's own start batch ({@link #starting}, a
 * {@link RunStartListener}), fired from the run's status changes ({@link #statusChanged}, given to
 * {@code RunService.onStatusChange}), which only hands the run to the daemon's worker pool, and deleted with
 * the run ({@link #deleteInBatch}).
 */
public final class Webhooks implements RunStartListener {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    private final Table<String, RunWebhooks> table;
    private final Function<Run, Object> resource;
    private final Clock clock;
    private final Executor pool;
    private final WebhookDispatcher dispatcher;

    /**
     * @param resource the run as the API shows it (the payload's {@code resource})
     * @param pool     where webhooks are made and sent (the daemon's workers; a stopped pool sends no more)
     * @param timers   where retries wait
     * @param policy   the addresses webhooks may go to (the runs' egress policy and the host's addresses)
     */
    public Webhooks(StateStore store, Function<Run, Object> resource, Clock clock, Executor pool,
                    ScheduledExecutorService timers, EgressPolicy policy) {
        this.table = store.table(WebhookTables.RUN_WEBHOOKS);
        this.resource = resource;
        this.clock = clock;
        this.pool = pool;
        this.dispatcher = new WebhookDispatcher(store.table(WebhookTables.WEBHOOK_DISPATCHES), clock, pool, timers, policy);
    }

    /** Daemon start: sends the webhook requests an earlier daemon left undelivered. */
    public void resumeDispatches() {
        dispatcher.resume();
    }

    /**
     * Checks the start request's {@code webhooks} option (400 when invalid); the new run's batch then keeps
     * them as the run's (none keeps nothing).
     */
    @Override
    public BiConsumer<Batch, Run> starting(StartRequest request) {
        List<AdHocWebhook> webhooks = request.webhooks().map(AdHocWebhook::parseOption).orElse(List.of());
        return (batch, run) -> {
            if (!webhooks.isEmpty()) {
                table.putInBatch(batch, run.id(), RunWebhooks.of(webhooks));
            }
        };
    }

    /** Forgets the run's webhooks, in the batch that deletes the run. */
    public void deleteInBatch(Batch batch, String runId) {
        table.deleteInBatch(batch, runId);
    }

    /** The webhook event a stored status change is, if any. */
    static Optional<String> eventOf(Run run) {
        RunStatus status = run.status();
        if (status == RunStatus.READY && run.resurrectCount() == 0) {
            return Optional.of("ACTOR.RUN.CREATED");
        }
        if (status == RunStatus.RUNNING && run.resurrectCount() > 0) {
            return Optional.of("ACTOR.RUN.RESURRECTED");
        }
        return switch (status) {
            case SUCCEEDED -> Optional.of("ACTOR.RUN.SUCCEEDED");
            case FAILED -> Optional.of("ACTOR.RUN.FAILED");
            case ABORTED -> Optional.of("ACTOR.RUN.ABORTED");
            case TIMED_OUT -> Optional.of("ACTOR.RUN.TIMED_OUT");
            default -> Optional.empty();
        };
    }

    /** A status-change listener: fires the run's webhooks for the event, in the background. */
    public void statusChanged(Run run) {
        Optional<String> event = eventOf(run);
        if (event.isEmpty()) {
            return;
        }
        try {
            pool.execute(() -> fire(run, event.get()));
        } catch (RejectedExecutionException stopping) {
            LOG.info("run={} webhook {} not sent: the daemon is stopping", run.id(), event.get());
        }
    }

    private void fire(Run run, String eventType) {
        try {
            List<AdHocWebhook> hooks = table.get(run.id()).map(RunWebhooks::webhooks).orElse(List.of()).stream()
                    .filter(w -> w.eventTypes().contains(eventType)).toList();
            if (hooks.isEmpty()) {
                return;
            }
            ObjectNode vars = variables(run, eventType);
            for (AdHocWebhook w : hooks) {
                String payload = PayloadTemplate.render(w.payloadTemplate() == null ? PayloadTemplate.DEFAULT
                        : w.payloadTemplate(), vars, w.interpolatesStrings());
                dispatcher.dispatch(run.id(), eventType, URI.create(w.requestUrl()), payload, headers(run, w, vars),
                        w.retries());
            }
        } catch (RuntimeException e) {
            LOG.warn("run={} webhook {} not sent", run.id(), eventType, e);
        }
    }

    /** Apify's template variables for one event of the run. */
    ObjectNode variables(Run run, String eventType) {
        ObjectNode vars = Json.MAPPER.createObjectNode();
        vars.put("userId", run.userId());
        vars.set("createdAt", Json.MAPPER.valueToTree(clock.instant()));
        vars.put("eventType", eventType);
        vars.putObject("eventData").put("actorId", run.actId()).put("actorRunId", run.id());
        vars.set("resource", Json.MAPPER.valueToTree(resource.apply(run)));
        return vars;
    }

    private static Map<String, String> headers(Run run, AdHocWebhook w, ObjectNode vars) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (w.headersTemplate() == null || w.headersTemplate().isBlank()) {
            return headers;
        }
        String rendered = PayloadTemplate.render(w.headersTemplate(), vars, w.interpolatesStrings());
        try {
            JsonNode node = Json.MAPPER.readTree(rendered);
            if (node != null && node.isObject()) {
                node.fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().isTextual()
                        ? f.getValue().asText() : f.getValue().toString()));
                return headers;
            }
        } catch (JsonProcessingException e) {
            LOG.warn("run={} webhook to {}: headersTemplate does not make a JSON object; no extra headers", run.id(),
                    w.requestUrl());
        }
        return headers;
    }
}
