/**
 * Apify's ad-hoc webhooks of a run: the {@code webhooks} start option ({@link AdHocWebhook#parseOption}),
 * kept with the run ({@link RunWebhooks}), fired on its status changes ({@link Webhooks}) with a rendered
 * {@link PayloadTemplate}, delivered off the run's thread with retries ({@link WebhookDispatcher}).
 */
package io.actord.daemon.webhook;
