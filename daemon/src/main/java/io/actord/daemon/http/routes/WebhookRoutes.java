package io.actord.daemon.http.routes;

import io.actord.daemon.access.Access;
import io.actord.daemon.access.Need;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.ListPage;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.state.Paging;
import io.actord.daemon.webhook.DispatchRecord;
import io.actord.daemon.webhook.Webhook;
import io.actord.daemon.webhook.WebhookCondition;
import io.actord.daemon.webhook.WebhookInput;
import io.actord.daemon.webhook.WebhookService;
import io.actord.daemon.webhook.Webhooks;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Webhooks and their dispatches as apify-client's {@code webhooks()}, {@code webhook(id)},
 * {@code webhookDispatches()} and {@code webhookDispatch(id)} call them, and the webhooks of an actor or a task
 * ({@code actor(id).webhooks()}, {@code task(id).webhooks()}). A webhook and its dispatches are their user's
 * alone (anyone else: 404). The condition must name an actor the caller may read or a run they may change (a
 * run's own token may hook its run: {@code Actor.addWebhook()}); one naming neither is 400, nothing made.
 */
public final class WebhookRoutes {
    private final Webhooks webhooks;
    private final WebhookService service;
    private final ApiResources resources;
    private final Access access;
    private final BiFunction<ApiRequest, String, String> taskId;

    /** @param taskId the id of the task a reference names, if the request's caller may read it; else 404 */
    public WebhookRoutes(Webhooks webhooks, ApiResources resources, Access access,
                         BiFunction<ApiRequest, String, String> taskId) {
        this.webhooks = webhooks;
        this.service = webhooks.resources();
        this.resources = resources;
        this.access = access;
        this.taskId = taskId;
    }

    public void register(Router router) {
        String one = "/v2/webhooks/{webhookId}";
        router.get("/v2/webhooks", r -> page(r, p -> service.ofUser(r.caller().userId(), p.offset(), p.limit(),
                        p.desc()), service::view))
                .post("/v2/webhooks", this::create)
                .get(one, r -> ApiResponse.data(200, service.view(webhook(r, Need.READ))))
                .put(one, r -> {
                    Webhook current = webhook(r, Need.WRITE);
                    WebhookInput in = checked(r, Bodies.json(r, WebhookInput.class));
                    return ApiResponse.data(200, service.view(service.update(current.id(), in)));
                })
                .delete(one, r -> {
                    service.delete(webhook(r, Need.MANAGE).id());
                    return ApiResponse.noContent();
                })
                .post(one + "/test", r -> ApiResponse.data(201, webhooks.test(webhook(r, Need.WRITE)).view()))
                .get(one + "/dispatches", r -> {
                    String id = webhook(r, Need.READ).id();
                    return page(r, p -> service.dispatchesOf(id, p.offset(), p.limit(), p.desc()), DispatchRecord::view);
                })
                .get("/v2/webhook-dispatches", r -> page(r, p -> service.dispatchesOfUser(r.caller().userId(),
                        p.offset(), p.limit(), p.desc()), DispatchRecord::view))
                .get("/v2/webhook-dispatches/{dispatchId}", r -> ApiResponse.data(200, dispatch(r).view()))
                .get("/v2/actor-tasks/{taskId}/webhooks", r -> {
                    String id = taskId.apply(r, r.pathParam("taskId"));
                    return page(r, p -> service.ofTask(id, owner(r), p.offset(), p.limit(), p.desc()), service::view);
                });
        for (String prefix : ActorRoutes.PREFIXES) {
            router.get(prefix + "/{actorId}/webhooks", r -> {
                String actorId = resources.actor(r, r.pathParam("actorId"), Need.READ).id();
                return page(r, p -> service.ofActor(actorId, owner(r), p.offset(), p.limit(), p.desc()),
                        service::view);
            });
        }
    }

    private ApiResponse create(ApiRequest r) {
        WebhookInput in = checked(r, Bodies.json(r, WebhookInput.class));
        Webhook w = service.create(r.caller().userId(), in);
        return ApiResponse.data(201, service.view(w)).withHeader("Location", "/v2/webhooks/" + w.id());
    }

    /**
     * {@code in} with its condition's actor or task as an id, once the caller may use what the condition names:
     * read the actor or task, change the run; else 400 (the run, actor or task is not one of theirs).
     */
    private WebhookInput checked(ApiRequest r, WebhookInput in) {
        in.checkPresent();
        WebhookCondition c = in.condition();
        if (c == null) {
            return in;
        }
        try {
            if (c.actorRunId() != null) {
                resources.run(r, c.actorRunId(), Need.WRITE);
            } else if (c.actorId() != null) {
                String actorId = resources.actor(r, c.actorId(), Need.READ).id();
                return in.withCondition(new WebhookCondition(actorId, null, null));
            } else if (c.actorTaskId() != null) {
                return in.withCondition(new WebhookCondition(null, taskId.apply(r, c.actorTaskId()), null));
            }
        } catch (ApiException e) {
            if (e.type() == ErrorType.RECORD_NOT_FOUND) {
                throw ApiException.invalidValue("condition: " + e.getMessage());
            }
            throw e;
        }
        return in;
    }

    /** Whose webhooks an actor's or task's list shows: the caller's (the admin's: everyone's). */
    private static Optional<String> owner(ApiRequest r) {
        return r.caller().isAdmin() ? Optional.empty() : Optional.of(r.caller().userId());
    }

    private Webhook webhook(ApiRequest r, Need need) {
        Webhook w = service.get(r.pathParam("webhookId"));
        access.check(r.caller(), Access.Resource.owned("Webhook", w.id(), w.userId()), need);
        return w;
    }

    private DispatchRecord dispatch(ApiRequest r) {
        String id = r.pathParam("dispatchId");
        DispatchRecord d = service.dispatch(id).orElseThrow(() -> ApiException.notFound("Webhook dispatch", id));
        access.check(r.caller(), Access.Resource.owned("Webhook dispatch", id, d.userId()), Need.READ);
        return d;
    }

    private static <S> ApiResponse page(ApiRequest r, Function<PageParams, Paging.Page<S>> lister,
                                        Function<S, Object> view) {
        PageParams p = PageParams.of(r);
        Paging.Page<S> found = lister.apply(p);
        return ApiResponse.data(200, ListPage.of(found.total(), p.offset(), p.limit(), p.desc(),
                found.items().stream().map(view).toList()));
    }
}
