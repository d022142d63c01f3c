// Ad-hoc webhooks as the published apify-client passes them (base64 in the `webhooks` query parameter), against
// an actord at ACTORD_URL (no /v2): starts a run of ACTOR_ID with a SUCCEEDED webhook to HOOK_URL and prints
// `run <id>`; a webhook without requestUrl must be refused with invalid-value. Exits 0 when the checks passed.
import assert from 'node:assert/strict';
import { ApifyClient } from 'apify-client';

const client = new ApifyClient({ baseUrl: process.env.ACTORD_URL, token: process.env.ACTORD_TOKEN, maxRetries: 0 });
const actor = client.actor(process.env.ACTOR_ID);

try {
    await actor.start({}, { webhooks: [{ eventTypes: ['ACTOR.RUN.SUCCEEDED'] }] });
    assert.fail('a webhook without requestUrl was accepted');
} catch (e) {
    assert.equal(e.type, 'invalid-value', `${e.type}: ${e.message}`);
    assert.equal(e.statusCode, 400);
}

const run = await actor.start({}, {
    webhooks: [{
        eventTypes: ['ACTOR.RUN.SUCCEEDED'],
        requestUrl: process.env.HOOK_URL,
        payloadTemplate: '{"runId": {{resource.id}}, "event": "{{eventType}}", "via": "apify-client"}',
        shouldInterpolateStrings: true,
    }],
});
console.log(`run ${run.id}`);
