// Run options and fields (issue #22) with the published apify-client against a running actord. Run by run.sh
// (ACTORD_CLIENT_TEST=runoptions.test.mjs), which compat/RunOptionsClientIT calls with:
//   ACTORD_URL   the daemon's TCP base URL (the client appends /v2)
//   ACTORD_TOKEN an API token of the daemon
//   FAILING      an actor that exits 1 at once
//   SLEEPER      an actor that runs for a long time
//   MAX_RESTARTS how often actord restarts a failed run with restartOnError
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApifyClient } from 'apify-client';

const { ACTORD_URL, ACTORD_TOKEN, FAILING, SLEEPER, MAX_RESTARTS } = process.env;
const client = new ApifyClient({ baseUrl: ACTORD_URL, token: ACTORD_TOKEN, maxRetries: 0, timeoutSecs: 60 });

test('start() with restartOnError, maxItems and maxTotalChargeUsd shows them in options', async () => {
  const run = await client.actor(SLEEPER).start({}, { restartOnError: true, maxItems: 2, maxTotalChargeUsd: 1.5 });
  try {
    assert.equal(run.options.restartOnError, true);
    assert.equal(run.options.maxItems, 2);
    assert.equal(run.options.maxTotalChargeUsd, 1.5);
    assert.equal(run.stats.restartCount, 0);
    assert.equal(run.pricingInfo, null);
    assert.equal(typeof run.usage, 'object');
    assert.equal(typeof run.usageUsd, 'object');
    // The default dataset takes maxItems items; the rest of a push is dropped.
    const dataset = client.dataset(run.defaultDatasetId);
    await dataset.pushItems([{ n: 1 }]);
    await dataset.pushItems([{ n: 2 }, { n: 3 }]);
    const { items, total } = await dataset.listItems();
    assert.deepEqual(items, [{ n: 1 }, { n: 2 }]);
    assert.equal(total, 2);
  } finally {
    await client.run(run.id).abort();
  }
});

test('call() with restartOnError restarts a failing run, then it fails', async () => {
  const run = await client.actor(FAILING).call({}, { restartOnError: true, waitSecs: 60 });
  assert.equal(run.status, 'FAILED');
  assert.equal(run.stats.restartCount, Number(MAX_RESTARTS));
  const plain = await client.actor(FAILING).call({}, { waitSecs: 60 });
  assert.equal(plain.status, 'FAILED');
  assert.equal(plain.stats.restartCount, 0);
  assert.equal(plain.options.restartOnError, false);
});

test('run().charge() records chargedEventCounts once per idempotency key', async () => {
  const started = await client.actor(SLEEPER).start();
  try {
    const run = client.run(started.id);
    await run.charge({ eventName: 'page', count: 2, idempotencyKey: 'same' });
    await run.charge({ eventName: 'page', count: 2, idempotencyKey: 'same' });
    await run.charge({ eventName: 'page' });
    await run.charge({ eventName: 'result', count: 5 });
    const got = await run.get();
    assert.deepEqual(got.chargedEventCounts, { page: 3, result: 5 });
    await assert.rejects(run.charge({ eventName: 'page', count: 0 }), (e) => e.statusCode === 400);
  } finally {
    await client.run(started.id).abort();
  }
  await assert.rejects(client.run(started.id).charge({ eventName: 'late' }), (e) => e.statusCode === 400 && e.type === 'run-state-conflict');
});

test('builds().list() lists the caller\'s builds of all their actors', async () => {
  const { items, total, count } = await client.builds().list();
  const actors = new Set(items.map((b) => b.actId));
  const [failing, sleeper] = await Promise.all([client.actor(FAILING).get(), client.actor(SLEEPER).get()]);
  assert.ok(actors.has(failing.id) && actors.has(sleeper.id), JSON.stringify([...actors]));
  assert.equal(count, total);
  const newest = await client.builds().list({ desc: true, limit: 1 });
  assert.equal(newest.items.length, 1);
  assert.equal(newest.items[0].id, items[items.length - 1].id);
});

test('actor().get() has stats, versions and defaultRunOptions.restartOnError', async () => {
  const actor = client.actor(FAILING);
  await client.actor(FAILING).versions().create({ versionNumber: '0.1', sourceType: 'SOURCE_FILES',
    sourceFiles: [{ name: 'main.js', format: 'TEXT', content: 'process.exit(1)' }] });
  const updated = await actor.update({ defaultRunOptions: { restartOnError: true } });
  assert.equal(updated.defaultRunOptions.restartOnError, true);
  const got = await actor.get();
  assert.ok(got.stats.totalRuns >= 2, JSON.stringify(got.stats));
  assert.ok(got.stats.totalBuilds >= 1, JSON.stringify(got.stats));
  assert.ok(got.stats.lastRunStartedAt, JSON.stringify(got.stats));
  assert.deepEqual(got.versions.map((v) => v.versionNumber), ['0.1']);
  const run = await actor.call({}, { waitSecs: 60 });
  assert.equal(run.options.restartOnError, true, 'the default applies');
  assert.equal(run.stats.restartCount, Number(MAX_RESTARTS));
});
