// Errors as the platform names them, and the smaller client methods, with the published apify-client against a
// running actord (issue #22). Run by run.sh, which compat/ClientGapsIT calls with ACTORD_CLIENT_TEST=errors.test.mjs
// against a daemon started with --runs-readable-by-id true, and:
//   ACTORD_URL   the daemon's TCP base URL (the client appends /v2)
//   ACTORD_TOKEN an API token of the daemon
//   SLEEPER      an actor that runs for a long time
//   SHORT        an actor that runs about two seconds and succeeds
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApifyClient } from 'apify-client';

const { ACTORD_URL, ACTORD_TOKEN, SLEEPER, SHORT } = process.env;
const client = new ApifyClient({ baseUrl: ACTORD_URL, token: ACTORD_TOKEN, maxRetries: 0, timeoutSecs: 120 });
const NOBODY = 'AAAAAAAAAAAAAAAAA';

/** Rejects with this status and Apify error type. */
const failsWith = (status, type) => (e) => {
  assert.equal(e.statusCode, status, e.message);
  assert.equal(e.type, type, e.message);
  return true;
};

test('get() of an unknown id is undefined for every kind of resource', async () => {
  const gets = {
    actor: client.actor(NOBODY).get(),
    build: client.build(NOBODY).get(),
    run: client.run(NOBODY).get(),
    task: client.task(NOBODY).get(),
    taskInput: client.task(NOBODY).getInput(),
    schedule: client.schedule(NOBODY).get(),
    scheduleLog: client.schedule(NOBODY).getLog(),
    webhook: client.webhook(NOBODY).get(),
    webhookTest: client.webhook(NOBODY).test(),
    webhookDispatch: client.webhookDispatch(NOBODY).get(),
    dataset: client.dataset(NOBODY).get(),
    datasetStatistics: client.dataset(NOBODY).getStatistics(),
    keyValueStore: client.keyValueStore(NOBODY).get(),
    requestQueue: client.requestQueue(NOBODY).get(),
    user: client.user(NOBODY).get(),
    userLimits: client.user(NOBODY).limits(),
    log: client.log(NOBODY).get(),
    version: client.actor(SHORT).version('9.9').get(),
    envVar: client.actor(SHORT).version('9.9').envVar('NOPE').get(),
    lastRunOfNoActor: client.actor(NOBODY).lastRun().get(),
  };
  for (const [kind, got] of Object.entries(gets)) {
    assert.equal(await got, undefined, kind);
  }
  // delete() of an unknown id resolves quietly too (the client swallows record-not-found).
  await client.task(NOBODY).delete();
  await client.schedule(NOBODY).delete();
  await client.webhook(NOBODY).delete();
});

test('a start with an unknown build is 403 unknown-build-tag, as on the platform', async () => {
  await assert.rejects(client.actor(SHORT).start({}, { build: '9.9.9' }), failsWith(403, 'unknown-build-tag'));
  await assert.rejects(client.actor(SHORT).call({}, { build: 'nightly' }), failsWith(403, 'unknown-build-tag'));
});

test('state conflicts are 400 with the platform type where it has one', async () => {
  const running = await client.actor(SLEEPER).start();
  await assert.rejects(client.run(running.id).delete(), failsWith(400, 'cannot-remove-running-run'));
  await assert.rejects(client.run(running.id).resurrect(), failsWith(400, 'run-state-conflict'));
  const aborted = await client.run(running.id).abort();
  const finished = await client.run(aborted.id).waitForFinish({ waitSecs: 30 });
  assert.equal(finished.status, 'ABORTED');
  await assert.rejects(client.run(running.id).reboot(), failsWith(400, 'run-state-conflict'));
  await client.run(running.id).delete();
  assert.equal(await client.run(running.id).get(), undefined);
});

test('a run is read by its id alone when the daemon allows it, and nothing else of it', async () => {
  const run = await client.actor(SHORT).call();
  const anonymous = new ApifyClient({ baseUrl: ACTORD_URL, maxRetries: 0 });
  const seen = await anonymous.run(run.id).get();
  assert.equal(seen.id, run.id);
  assert.equal(seen.status, 'SUCCEEDED');
  await assert.rejects(anonymous.run(run.id).log().get(), failsWith(401, 'token-not-provided'));
  await assert.rejects(anonymous.dataset(run.defaultDatasetId).listItems(), failsWith(401, 'token-not-provided'));
  await assert.rejects(anonymous.run(run.id).abort(), failsWith(401, 'token-not-provided'));
});

test('the smaller client methods: statistics, monthly usage, builds, logs', async () => {
  const dataset = await client.datasets().getOrCreate('errors-test-statistics');
  assert.deepEqual(await client.dataset(dataset.id).getStatistics(), { fieldStatistics: null });

  const usage = await client.user().monthlyUsage();
  assert.ok(usage.usageCycle.startAt <= new Date() && usage.usageCycle.endAt > new Date(), JSON.stringify(usage));
  assert.equal(usage.totalUsageCreditsUsdAfterVolumeDiscount, 0);
  const me = await client.user().get();
  assert.deepEqual(await client.user(me.id).get(), me, 'the own id names the own account');
  assert.ok(await client.user(me.username).limits(), 'and so does the own username');
  const limits = await client.user().limits();
  assert.ok(limits.limits.maxActorMemoryGbytes > 0, JSON.stringify(limits));

  const build = await (await client.actor(SHORT).defaultBuild()).get();
  assert.equal(build.status, 'SUCCEEDED');
  assert.equal((await client.build(build.id).abort()).status, 'SUCCEEDED', 'aborting a finished build changes nothing');
  // An imported build's log is empty, which get() turns into undefined as it does a 404; stream() tells them
  // apart: a stream for a log, a throw for a 404 (the client cannot read the type from a streamed error body).
  const stream = await client.log(build.id).stream();
  assert.ok(stream, 'a build id names its log (GET /v2/logs/{buildId})');
  stream.destroy();
  await assert.rejects(client.log(NOBODY).stream(), (e) => e.statusCode === 404);
  await assert.rejects(client.build(build.id).getOpenApiDefinition(), failsWith(400, 'not-implemented'));
});

test('what only the platform has is a clear 400 not-implemented', async () => {
  await assert.rejects(client.store().list(), failsWith(400, 'not-implemented'));
  await assert.rejects(client.user().updateLimits({ maxMonthlyUsageUsd: 10 }), failsWith(400, 'not-implemented'));
  await assert.rejects(client.actors().create({ name: 'errors-test-public', isPublic: true }),
    failsWith(400, 'not-implemented'));
  assert.equal(await client.actor('errors-test-public').get(), undefined, 'nothing was created');
  const store = await client.keyValueStores().getOrCreate('errors-test-access');
  await assert.rejects(client.keyValueStore(store.id).update({ generalAccess: 'ANYONE_WITH_ID_CAN_READ' }),
    failsWith(400, 'not-implemented'));
  assert.equal((await client.keyValueStore(store.id).update({ name: 'errors-test-renamed' })).name,
    'errors-test-renamed');
});
