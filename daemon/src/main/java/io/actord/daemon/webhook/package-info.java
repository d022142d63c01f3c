/**
 * Apify's webhooks: stored {@link io.actord.daemon.webhook.Webhook}s with a condition (an actor, a task or one
 * run) made through the API or, ad hoc, by a run's {@code webhooks} start option ({@link AdHocWebhook#parseOption})
 * or {@code Actor.addWebhook()} ({@link WebhookService}); fired on the status changes of the runs they match
 * ({@link Webhooks}) with a rendered {@link PayloadTemplate}; delivered off the run's thread with Apify's retry
 * schedule ({@link WebhookDispatcher}, {@link WebhookRetries}), each call kept in a {@link DispatchRecord}.
 */
package io.actord.daemon.webhook;
