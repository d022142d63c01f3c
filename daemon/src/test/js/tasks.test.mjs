// The published apify-client's task clients (client.tasks() and client.task(id)) against a running actord. Run by
// run.sh, which TaskClientIT calls with:
//   ACTORD_URL   the daemon's TCP base URL (the client appends /v2)
//   ACTORD_TOKEN an API token of the daemon
//   ENV_ACTOR    an actor whose log shows its ACTOR_TASK_ID ("ACTOR_TASK_ID=<id>") and that then succeeds
//   SLEEPER      an actor that runs for a long time
// Every request-making method of TaskClient (webhooks().list() included) and both of TaskCollectionClient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApifyClient } from 'apify-client';

const { ACTORD_URL, ACTORD_TOKEN, ENV_ACTOR, SLEEPER } = process.env;
const client = new ApifyClient({ baseUrl: ACTORD_URL, token: ACTORD_TOKEN, maxRetries: 0, timeoutSecs: 120 });
const unique = (name) => `${name}-${Date.now()}`;

test('tasks().create(), list(), task().get(), update(), delete()', async () => {
  const name = unique('crud');
  const created = await client.tasks().create({
    actId: ENV_ACTOR, name, title: 'CRUD', options: { memoryMbytes: 256, build: 'latest' }, input: { a: 1 },
  });
  assert.equal(created.name, name);
  assert.equal(created.actId, ENV_ACTOR);
  assert.ok(created.createdAt instanceof Date, 'dates are parsed');
  assert.deepEqual(created.options, { memoryMbytes: 256, build: 'latest' });
  assert.deepEqual(created.input, { a: 1 });
  assert.equal(created.stats.totalRuns, 0);

  const task = client.task(created.id);
  assert.equal((await task.get()).name, name);
  assert.equal((await client.task(`${created.username}~${name}`).get()).id, created.id, 'username~name works');
  const updated = await task.update({ title: 'Renamed', options: { timeoutSecs: 60 } });
  assert.equal(updated.title, 'Renamed');
  assert.deepEqual(updated.options, { memoryMbytes: 256, build: 'latest', timeoutSecs: 60 });

  const listed = await client.tasks().list({ desc: true, limit: 100 });
  assert.ok(listed.items.some((t) => t.id === created.id), JSON.stringify(listed));
  assert.ok(listed.total >= 1);
  await assert.rejects(client.tasks().create({ actId: ENV_ACTOR, name }),
    (e) => e.statusCode === 400 && e.type === 'name-not-unique');

  await task.delete();
  assert.equal(await task.get(), undefined);
  assert.equal(await client.task('nobody~nothing').get(), undefined);
});

test('getInput() and updateInput() merge as the platform does', async () => {
  const { id } = await client.tasks().create({ actId: ENV_ACTOR, name: unique('input'), input: { a: 1, b: 2 } });
  const task = client.task(id);
  assert.deepEqual(await task.getInput(), { a: 1, b: 2 });
  assert.deepEqual(await task.updateInput({ b: 3, c: 4 }), { a: 1, b: 3, c: 4 });
  assert.deepEqual(await task.getInput(), { a: 1, b: 3, c: 4 });
  assert.equal(await client.task('AAAAAAAAAAAAAAAAA').getInput(), undefined);
});

test('call() runs the task with its input under the override, and the run knows its task', async () => {
  const { id } = await client.tasks().create({
    actId: ENV_ACTOR, name: unique('call'), options: { memoryMbytes: 512 }, input: { keep: 'task', over: 'task' },
  });
  const task = client.task(id);
  const run = await task.call({ over: 'call' }, { waitSecs: 60, timeout: 120 });
  assert.equal(run.status, 'SUCCEEDED');
  assert.equal(run.actorTaskId, id);
  assert.equal(run.options.memoryMbytes, 512, "the task's memory");
  assert.equal(run.options.timeoutSecs, 120, "the call's timeout");
  const input = await client.keyValueStore(run.defaultKeyValueStoreId).getRecord('INPUT');
  assert.deepEqual(input.value, { keep: 'task', over: 'call' });
  const log = await client.run(run.id).log().get();
  assert.match(log, new RegExp(`ACTOR_TASK_ID=${id}`), 'ACTOR_TASK_ID inside the run');

  const runs = await task.runs().list({ desc: true });
  assert.equal(runs.total, 1);
  assert.equal(runs.items[0].id, run.id);
  const last = task.lastRun({ status: 'SUCCEEDED' });
  assert.equal((await last.get()).id, run.id);
  assert.match(await last.log().get(), /ACTOR_TASK_ID=/);
  assert.deepEqual((await last.dataset().listItems()).items, []);
  assert.equal((await last.keyValueStore().getRecord('INPUT')).value.over, 'call');
  assert.equal((await task.get()).stats.totalRuns, 1);
  const actorRuns = await client.actor(ENV_ACTOR).runs().list({ desc: true, limit: 1 });
  assert.equal(actorRuns.items[0].id, run.id, "a task's run is its actor's run too");
});

test('start() then lastRun().abort() gives ABORTED', async () => {
  const { id } = await client.tasks().create({ actId: SLEEPER, name: unique('abort') });
  const task = client.task(id);
  const started = await task.start();
  assert.ok(['READY', 'RUNNING'].includes(started.status), started.status);
  assert.equal(started.actorTaskId, id);
  const aborted = await task.lastRun().abort();
  assert.equal(aborted.id, started.id);
  assert.equal(aborted.status, 'ABORTED');
  assert.equal(await client.task(id).lastRun({ status: 'SUCCEEDED' }).get(), undefined);
});

test('publish() is refused clearly; unpublish() is what every task already is', async () => {
  const { id } = await client.tasks().create({ actId: ENV_ACTOR, name: unique('public') });
  await assert.rejects(client.task(id).publish(), (e) => e.statusCode === 400 && e.type === 'not-implemented');
  assert.equal((await client.task(id).unpublish()).id, id);
});

test('bad tasks are 400s and nothing is made', async () => {
  const before = (await client.tasks().list()).total;
  await assert.rejects(client.tasks().create({ actId: 'AAAAAAAAAAAAAAAAA', name: unique('ghost') }),
    (e) => e.statusCode === 400);
  await assert.rejects(client.tasks().create({ actId: ENV_ACTOR, name: unique('mem'), options: { memoryMbytes: 1000 } }),
    (e) => e.statusCode === 400 && e.type === 'invalid-value');
  const { id } = await client.tasks().create({ actId: ENV_ACTOR, name: unique('opts') });
  const restarting = await client.task(id).start({}, { restartOnError: true, waitForFinish: 60 });
  assert.equal(restarting.options.restartOnError, true, 'the start option reaches the run');
  assert.equal((await client.tasks().list()).total, before + 1);
});

test('task().webhooks().list() gives the webhooks whose condition names the task', async () => {
  const { id } = await client.tasks().create({ actId: ENV_ACTOR, name: unique('hooked') });
  const hook = await client.webhooks().create({
    eventTypes: ['ACTOR.RUN.SUCCEEDED'], condition: { actorTaskId: id }, requestUrl: 'http://receiver.test/hook',
  });
  const listed = await client.task(id).webhooks().list();
  assert.deepEqual(listed.items.map((w) => w.id), [hook.id]);
  await client.webhook(hook.id).delete();
  assert.equal((await client.task(id).webhooks().list()).total, 0);
  await assert.rejects(client.task('AAAAAAAAAAAAAAAAA').webhooks().list(),
    (e) => e.statusCode === 404 && e.type === 'record-not-found');
});
