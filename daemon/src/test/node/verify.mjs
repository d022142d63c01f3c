// Reads a finished run back from outside with the published apify-client and checks it.
//   node verify.mjs sdk|crawl|abort|stubborn|metamorph|webhook RUN_ID      (ACTORD_URL: the daemon's API, no /v2)
import assert from 'node:assert/strict';
import { ApifyClient } from 'apify-client';

const [mode, runId] = process.argv.slice(2);
const client = new ApifyClient({ baseUrl: process.env.ACTORD_URL, token: process.env.ACTORD_TOKEN ?? 'unused', maxRetries: 2 });
const run = await client.run(runId).get();
const kvs = client.keyValueStore(run.defaultKeyValueStoreId);
const value = async (key) => (await kvs.getRecord(key))?.value;

if (mode === 'sdk') {
    assert.equal(run.status, 'SUCCEEDED');
    assert.equal(run.exitCode, 0);
    const items = await client.dataset(run.defaultDatasetId).listItems();
    assert.equal(items.total, 1000);
    assert.equal(items.items.length, 1000);
    assert.deepEqual(items.items.map((x) => x.i), Array.from({ length: 1000 }, (_, i) => i));
    assert.equal(items.items[0].greeting, 'hello from the test');
    assert.deepEqual(await value('OUTPUT'), { greeting: 'hello from the test', pushed: 1000 });
    const child = await value('CHILD_OUTPUT');
    assert.equal(child.status, 'SUCCEEDED');
    assert.deepEqual(child.output, { child: true, got: { fromParent: 'hello from the test' } });
    assert.equal(run.statusMessage, 'Done: 1000 items, child SUCCEEDED', 'the terminal status message the actor set');
    console.log(`verified sdk: ${items.total} items, OUTPUT, child ${child.status} with its OUTPUT, status message "${run.statusMessage}"`);
} else if (mode === 'crawl') {
    assert.equal(run.status, 'SUCCEEDED');
    const visits = await value('VISITS');
    const counts = Object.values(visits);
    assert.equal(counts.length, 21);
    assert.ok(counts.every((c) => c === 1), JSON.stringify(visits));
    const queue = await client.requestQueue(run.defaultRequestQueueId).get();
    assert.equal(queue.totalRequestCount, 21);
    assert.equal(queue.handledRequestCount, 21);
    assert.equal(queue.pendingRequestCount, 0);
    const items = await client.dataset(run.defaultDatasetId).listItems();
    assert.equal(new Set(items.items.map((x) => x.path)).size, 21);
    console.log(`verified crawl: ${counts.length} pages each visited once, queue ${queue.handledRequestCount}/${queue.totalRequestCount} handled`);
} else if (mode === 'abort' || mode === 'stubborn') {
    assert.equal(run.status, 'ABORTED');
    assert.ok(await value('STARTED'));
    if (mode === 'abort') {
        assert.equal(run.exitCode, 0, 'the actor exited by itself, with 0');
        const state = await value('STATE');
        assert.equal(state.savedOnPersist, true);
        assert.ok(state.ticks > 0);
        console.log(`verified abort: ABORTED with exit code 0, state saved (${state.ticks} ticks)`);
    } else {
        assert.notEqual(run.exitCode, 0, 'killed');
        console.log(`verified stubborn: ABORTED, killed (exit code ${run.exitCode})`);
    }
} else if (mode === 'metamorph') {
    assert.equal(run.status, 'SUCCEEDED');
    assert.equal(run.exitCode, 0);
    assert.equal(run.metamorphs.length, 1, JSON.stringify(run.metamorphs));
    const [m] = run.metamorphs;
    assert.equal(m.inputKey, 'INPUT-METAMORPH-1');
    assert.equal(run.actId, m.actorId, 'the run is now the target actor\'s');
    assert.equal(run.buildId, m.buildId);
    assert.equal(run.stats.metamorph, 1);
    assert.equal((await client.actor(m.actorId).get()).name, 'sdk-child');
    assert.deepEqual(await value('BEFORE_METAMORPH'), { target: 'sdk-child' });
    assert.deepEqual(await value('INPUT-METAMORPH-1'), { fromParent: 'hello from the test' });
    assert.deepEqual(await value('OUTPUT'), { child: true, got: { fromParent: 'hello from the test' } });
    assert.equal(await value('NOT_STOPPED'), undefined, 'the first actor was stopped');
    console.log(`verified metamorph: SUCCEEDED as ${m.actorId} with the target's OUTPUT from ${m.inputKey}`);
} else if (mode === 'webhook') {
    assert.equal(run.status, 'SUCCEEDED');
    const output = await value('OUTPUT');
    assert.deepEqual(output, { webhookId: output.webhookId, isAdHoc: true, sameWebhook: true });
    const webhook = await client.webhook(output.webhookId).get();
    assert.deepEqual(webhook.condition, { actorRunId: runId });
    assert.equal(webhook.idempotencyKey, runId);
    const dispatches = await client.webhook(webhook.id).dispatches().list();
    assert.equal(dispatches.total, 1);
    assert.equal(dispatches.items[0].eventType, 'ACTOR.RUN.SUCCEEDED');
    assert.equal(dispatches.items[0].eventData.actorRunId, runId);
    console.log(`verified webhook: ad-hoc webhook ${webhook.id} on the run, one dispatch (${dispatches.items[0].status})`);
} else {
    throw new Error(`unknown mode ${mode}`);
}
