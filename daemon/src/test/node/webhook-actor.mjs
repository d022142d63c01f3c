// Hooks its own run with Actor.addWebhook() (twice, with one idempotency key: the second returns the first
// webhook, as on the platform after a restart), then ends: the daemon posts to INPUT.hookUrl once the run has
// SUCCEEDED. OUTPUT says which webhook it got.
import { Actor } from 'apify';

await Actor.main(async () => {
    const { hookUrl } = await Actor.getInput();
    const options = {
        eventTypes: ['ACTOR.RUN.SUCCEEDED'],
        requestUrl: hookUrl,
        idempotencyKey: Actor.getEnv().actorRunId,
        payloadTemplate: '{"runId": {{resource.id}}, "status": {{resource.status}}, "eventType": {{eventType}}}',
    };
    const first = await Actor.addWebhook(options);
    const again = await Actor.addWebhook(options);
    await Actor.setValue('OUTPUT', { webhookId: first.id, isAdHoc: first.isAdHoc, sameWebhook: first.id === again.id });
});
