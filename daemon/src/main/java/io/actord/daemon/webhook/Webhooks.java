package io.actord.daemon.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Ids;
import io.actord.daemon.common.Json;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunOwner;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Webhooks on runs, a listener of their transitions: a start request's ad-hoc webhooks become
 * {@link Webhook} records on the new run in the run's own start batch ({@link #starting}, a
 * {@link RunStartListener}); a stored status change ({@link #statusChanged}, given to
 * {@code RunService.onStatusChange}) fires, on the daemon's worker pool, every webhook whose condition names
 * the run, its actor or its task and whose event types include the event; a run's ad-hoc webhooks are deleted
 * with it ({@link #deleteInBatch}). The resources themselves are {@link #resources()}.
 */
public final class Webhooks implements RunStartListener {
    /** The event {@code POST /v2/webhooks/{id}/test} sends. */
    public static final String TEST_EVENT = "TEST";
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    private final Table<String, RunWebhooks> legacy;
    private final Function<Run, Object> resource;
    private final Clock clock;
    private final Executor pool;
    private final DispatchLog log;
    private final WebhookDispatcher dispatcher;
    private final WebhookService resources;

    /**
     * @param resource the run as the API shows it (the payload's {@code resource})
     * @param pool     where webhooks are made and sent (the daemon's workers; a stopped pool sends no more)
     * @param timers   where retries wait
     * @param policy   the addresses webhooks may go to (the runs' egress policy and the host's addresses)
     * @param retries  when failed requests are tried again
     * @param owner    this daemon, which resumes only the dispatches it made
     */
    public Webhooks(StateStore store, Function<Run, Object> resource, Clock clock, Executor pool,
                    ScheduledExecutorService timers, EgressPolicy policy, WebhookRetries retries, RunOwner owner) {
        this.legacy = store.table(WebhookTables.RUN_WEBHOOKS);
        this.resource = resource;
        this.clock = clock;
        this.pool = pool;
        this.log = new DispatchLog(store);
        this.dispatcher = new WebhookDispatcher(store, log, clock, pool, timers, policy, retries, owner);
        this.resources = new WebhookService(store, log, clock, policy::permits);
    }

    /** The webhooks and dispatches the API serves. */
    public WebhookService resources() {
        return resources;
    }

    /** From now on {@code listener} is told how each attempt to send a webhook request ended (the metrics). */
    public void onOutcome(Consumer<DispatchOutcome> listener) {
        dispatcher.onOutcome(listener);
    }

    /** Daemon start: sends the webhook requests an earlier daemon left undelivered. */
    public void resumeDispatches() {
        dispatcher.resume();
    }

    /**
     * Checks the start request's {@code webhooks} option (400 when invalid); the new run's batch then keeps
     * them as ad-hoc webhooks on the run (none keeps nothing).
     */
    @Override
    public BiConsumer<Batch, Run> starting(StartRequest request) {
        List<AdHocWebhook> webhooks = request.webhooks().map(AdHocWebhook::parseOption).orElse(List.of());
        return (batch, run) -> webhooks.forEach(w -> resources.putInBatch(batch, w.toWebhook(Ids.newId(),
                run.userId(), run.id(), clock.instant())));
    }

    /** Forgets the run's ad-hoc webhooks, in the batch that deletes the run. */
    public void deleteInBatch(Batch batch, String runId) {
        legacy.deleteInBatch(batch, runId);
        resources.deleteAdHocInBatch(batch, runId);
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

    /** The webhooks on {@code run}: its own, its actor's and its task's (each once). */
    List<Webhook> matching(Run run) {
        Map<String, Webhook> found = new LinkedHashMap<>();
        List<String> targets = new ArrayList<>(List.of(WebhookCondition.run(run.id()),
                WebhookCondition.actor(run.actId())));
        if (run.actorTaskId() != null) {
            targets.add(WebhookCondition.task(run.actorTaskId()));
        }
        targets.forEach(t -> resources.ofTarget(t).forEach(w -> found.putIfAbsent(w.id(), w)));
        return List.copyOf(found.values());
    }

    private void fire(Run run, String eventType) {
        try {
            ObjectNode vars = variables(run, eventType);
            Map<String, String> eventData = new LinkedHashMap<>();
            vars.get("eventData").fields().forEachRemaining(f -> eventData.put(f.getKey(), f.getValue().asText()));
            for (Webhook w : matching(run)) {
                if (w.eventTypes().contains(eventType)) {
                    send(w, eventType, vars, eventData, run.id());
                }
            }
            for (AdHocWebhook w : legacy.get(run.id()).map(RunWebhooks::webhooks).orElse(List.of())) {
                if (w.eventTypes().contains(eventType)) {
                    send(w.toWebhook(null, run.userId(), run.id(), clock.instant()), eventType, vars, eventData,
                            run.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("run={} webhook {} not sent", run.id(), eventType, e);
        }
    }

    /**
     * Renders {@code w}'s templates and hands the request to the dispatcher, with a {@link DispatchRecord} when
     * {@code w} is stored (the ad-hoc webhooks of runs from before records existed have none).
     */
    private DispatchRecord send(Webhook w, String eventType, ObjectNode vars, Map<String, String> eventData,
                                String runId) {
        String payload = PayloadTemplate.render(w.payloadTemplate() == null ? PayloadTemplate.DEFAULT
                : w.payloadTemplate(), vars, w.shouldInterpolateStrings());
        DispatchRecord record = DispatchRecord.started(Ids.newId(), w, eventType, eventData, clock.instant());
        if (w.id() != null) {
            log.started(record);
        }
        dispatcher.dispatch(record.id(), runId, eventType, URI.create(w.requestUrl()), payload,
                headers(runId, w, vars), !w.doNotRetry());
        return record;
    }

    /**
     * Sends {@code w} now with a {@link #TEST_EVENT} event (an empty resource), as {@code …/test} asks; the
     * dispatch as it starts.
     */
    public DispatchRecord test(Webhook w) {
        ObjectNode vars = common(w.userId(), TEST_EVENT);
        vars.putObject("eventData");
        vars.putObject("resource");
        return send(w, TEST_EVENT, vars, Map.of(), null);
    }

    /** Apify's template variables for one event of the run. */
    ObjectNode variables(Run run, String eventType) {
        ObjectNode vars = common(run.userId(), eventType);
        ObjectNode data = vars.putObject("eventData").put("actorId", run.actId()).put("actorRunId", run.id());
        if (run.actorTaskId() != null) {
            data.put("actorTaskId", run.actorTaskId());
        }
        vars.set("resource", Json.MAPPER.valueToTree(resource.apply(run)));
        return vars;
    }

    /** The variables of every event: who, when, what, and {@code globals} (the time, as ISO text and Unix ms). */
    private ObjectNode common(String userId, String eventType) {
        Instant now = clock.instant();
        ObjectNode vars = Json.MAPPER.createObjectNode();
        vars.put("userId", userId);
        vars.set("createdAt", Json.MAPPER.valueToTree(now));
        vars.put("eventType", eventType);
        vars.putObject("globals").put("dateISO", now.toString()).put("dateUnix", now.toEpochMilli());
        return vars;
    }

    private static Map<String, String> headers(String runId, Webhook w, ObjectNode vars) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (w.headersTemplate() == null || w.headersTemplate().isBlank()) {
            return headers;
        }
        String rendered = PayloadTemplate.render(w.headersTemplate(), vars, w.shouldInterpolateStrings());
        try {
            JsonNode node = Json.MAPPER.readTree(rendered);
            if (node != null && node.isObject()) {
                node.fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().isTextual()
                        ? f.getValue().asText() : f.getValue().toString()));
                return headers;
            }
        } catch (JsonProcessingException e) {
            LOG.warn("run={} webhook to {}: headersTemplate does not make a JSON object; no extra headers", runId,
                    w.requestUrl());
        }
        return headers;
    }
}
