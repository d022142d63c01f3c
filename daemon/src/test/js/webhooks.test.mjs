// The published apify-client's webhook clients (webhooks(), webhook(id), webhookDispatches(), webhookDispatch(id),
// actor(id).webhooks()) against a running actord. Run by run.sh, which WebhookClientIT calls with:
//   ACTORD_URL   the daemon's TCP base URL (the client appends /v2)
//   ACTORD_TOKEN an API token of the daemon
//   HOOKED       an actor whose runs succeed at once
// The daemon must let webhooks reach loopback (--egress-allow 127.0.0.0/8): the receiver is a server of this
// script on 127.0.0.1. Every request-making method of WebhookClient, WebhookCollectionClient,
// WebhookDispatchClient and WebhookDispatchCollectionClient.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ApifyClient } from 'apify-client';

const { ACTORD_URL, ACTORD_TOKEN, HOOKED } = process.env;
const client = new ApifyClient({ baseUrl: ACTORD_URL, token: ACTORD_TOKEN, maxRetries: 0, timeoutSecs: 120 });

// The receiver: keeps each request (path, headers, JSON body) and wakes whoever waits for one on that path.
const received = [];
const waiters = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const got = { path: req.url, headers: req.headers, body: JSON.parse(body) };
    received.push(got);
    waiters.filter((w) => w.path === got.path).forEach((w) => w.resolve(got));
    res.writeHead(200).end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => server.close());
const url = (path) => `http://127.0.0.1:${server.address().port}${path}`;
const nextOn = (path) => new Promise((resolve, reject) => {
  const done = received.find((r) => r.path === path);
  if (done) {
    resolve(done);
    return;
  }
  waiters.push({ path, resolve });
  setTimeout(() => reject(new Error(`no webhook request on ${path} within 30 s`)), 30000).unref();
});

async function settled(dispatchId) {
  for (let i = 0; i < 200; i++) {
    const d = await client.webhookDispatch(dispatchId).get();
    if (d.status !== 'ACTIVE') return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dispatch ${dispatchId} still ACTIVE`);
}

test('webhooks().create(), list(), webhook().get(), update(), delete()', async () => {
  const created = await client.webhooks().create({
    eventTypes: ['ACTOR.RUN.SUCCEEDED'], condition: { actorId: HOOKED }, requestUrl: url('/crud'),
    description: 'first',
  });
  assert.equal(created.isAdHoc, false);
  assert.deepEqual(created.condition, { actorId: HOOKED });
  assert.ok(created.createdAt instanceof Date, 'dates are parsed');
  assert.equal(created.stats.totalDispatches, 0);
  const webhook = client.webhook(created.id);
  assert.equal((await webhook.get()).description, 'first');
  const updated = await webhook.update({ description: 'second', eventTypes: ['ACTOR.RUN.FAILED'] });
  assert.equal(updated.description, 'second');
  assert.deepEqual(updated.eventTypes, ['ACTOR.RUN.FAILED']);
  assert.equal(updated.requestUrl, url('/crud'), 'what the update does not name is kept');
  const listed = await client.webhooks().list({ desc: true, limit: 10 });
  assert.ok(listed.items.some((w) => w.id === created.id), JSON.stringify(listed));
  assert.ok((await client.actor(HOOKED).webhooks().list()).items.some((w) => w.id === created.id));
  await webhook.delete();
  assert.equal(await webhook.get(), undefined, 'gone: record-not-found');
});

test('webhooks().create() with an idempotencyKey returns the first webhook', async () => {
  const options = {
    eventTypes: ['ACTOR.RUN.SUCCEEDED'], condition: { actorId: HOOKED }, requestUrl: url('/idem'),
    idempotencyKey: `key-${Date.now()}`,
  };
  const first = await client.webhooks().create(options);
  const second = await client.webhooks().create({ ...options, requestUrl: url('/other') });
  assert.equal(second.id, first.id);
  assert.equal(second.requestUrl, url('/idem'));
  await client.webhook(first.id).delete();
});

test('webhook().test(), dispatches().list(), webhookDispatch().get(), webhookDispatches().list()', async () => {
  const w = await client.webhooks().create({
    eventTypes: ['ACTOR.RUN.SUCCEEDED'], condition: { actorId: HOOKED }, requestUrl: url('/test'),
  });
  const dispatch = await client.webhook(w.id).test();
  assert.equal(dispatch.eventType, 'TEST');
  assert.equal(dispatch.webhookId, w.id);
  const got = await nextOn('/test');
  assert.equal(got.body.eventType, 'TEST');
  assert.equal(got.headers['x-apify-webhook-dispatch-id'], dispatch.id);
  const done = await settled(dispatch.id);
  assert.equal(done.status, 'SUCCEEDED');
  assert.equal(done.calls[0].responseStatus, 200);
  assert.ok(done.calls[0].startedAt instanceof Date, 'dates are parsed');
  const ofWebhook = await client.webhook(w.id).dispatches().list();
  assert.deepEqual(ofWebhook.items.map((d) => d.id), [dispatch.id]);
  const all = await client.webhookDispatches().list({ desc: true });
  assert.ok(all.items.some((d) => d.id === dispatch.id), JSON.stringify(all));
  assert.equal(await client.webhookDispatch('NoSuchDispatch').get(), undefined);
  await client.webhook(w.id).delete();
});

test("an actor's webhook fires when its run ends, with the run as resource and {{globals}}", async () => {
  const w = await client.webhooks().create({
    eventTypes: ['ACTOR.RUN.SUCCEEDED'], condition: { actorId: HOOKED }, requestUrl: url('/ended'),
    shouldInterpolateStrings: true,
    payloadTemplate: '{"runId": {{resource.id}}, "status": {{resource.status}}, "at": "{{globals.dateISO}}"}',
  });
  const run = await client.actor(HOOKED).call({}, { waitSecs: 60 });
  assert.equal(run.status, 'SUCCEEDED');
  const got = await nextOn('/ended');
  assert.equal(got.body.runId, run.id);
  assert.equal(got.body.status, 'SUCCEEDED');
  assert.ok(!Number.isNaN(Date.parse(got.body.at)), got.body.at);
  const fetched = await client.webhook(w.id).get();
  assert.equal(fetched.stats.totalDispatches, 1);
  await client.webhook(w.id).delete();
});

test('a bad webhook is refused with 400 and nothing is made', async () => {
  const before = (await client.webhooks().list()).total;
  await assert.rejects(client.webhooks().create({
    eventTypes: ['ACTOR.RUN.EXPLODED'], condition: { actorId: HOOKED }, requestUrl: url('/bad'),
  }), (e) => e.statusCode === 400 && e.type === 'invalid-value');
  await assert.rejects(client.webhooks().create({
    eventTypes: ['ACTOR.RUN.SUCCEEDED'], condition: { actorRunId: 'NoSuchRun' }, requestUrl: url('/bad'),
  }), (e) => e.statusCode === 400);
  assert.equal((await client.webhooks().list()).total, before);
});
