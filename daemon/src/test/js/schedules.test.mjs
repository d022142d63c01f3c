// apify-client's schedule() and schedules() against actord: every method (list, create, get, update, delete,
// getLog). Run by run.sh, which ScheduleClientIT calls with:
//   ACTORD_URL, ACTORD_TOKEN  the daemon and a token of its local account
//   ACTOR                     an actor of that account
//   FIRED                     a schedule of that account that has fired once (the IT moved the daemon's clock
//                             to 2026-03-02T00:01:30Z, where it stays)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApifyClient } from 'apify-client';

const { ACTORD_URL, ACTORD_TOKEN, ACTOR, FIRED } = process.env;
const client = new ApifyClient({ baseUrl: ACTORD_URL, token: ACTORD_TOKEN, maxRetries: 0, timeoutSecs: 60 });

const spec = (name) => ({
  name,
  cronExpression: '0 9 * * MON-FRI',
  timezone: 'Europe/Prague',
  isEnabled: true,
  isExclusive: true,
  description: 'weekday mornings',
  actions: [{
    type: 'RUN_ACTOR',
    actorId: ACTOR,
    runInput: { body: '{"hello":"world"}', contentType: 'application/json; charset=utf-8' },
    runOptions: { build: 'latest', timeoutSecs: 120, memoryMbytes: 512 },
  }],
});

test('create() returns the schedule, list() and get() show it', async () => {
  const created = await client.schedules().create(spec('weekday-mornings'));
  assert.equal(typeof created.id, 'string');
  assert.equal(created.name, 'weekday-mornings');
  assert.equal(created.cronExpression, '0 9 * * MON-FRI');
  assert.equal(created.timezone, 'Europe/Prague');
  assert.equal(created.isEnabled, true);
  assert.equal(created.isExclusive, true);
  assert.ok(created.createdAt instanceof Date, 'dates are parsed');
  // The daemon's clock stands at Monday 2026-03-02 00:01:30 UTC: the next weekday nine in Prague is 08:00 UTC.
  assert.equal(created.nextRunAt.toISOString(), '2026-03-02T08:00:00.000Z', 'nine in Prague');
  assert.equal(created.lastRunAt, null);
  assert.equal(created.actions.length, 1);
  const [action] = created.actions;
  assert.equal(typeof action.id, 'string');
  assert.equal(action.type, 'RUN_ACTOR');
  assert.equal(action.actorId, ACTOR);
  assert.deepEqual(action.runInput, { body: '{"hello":"world"}', contentType: 'application/json; charset=utf-8' });
  assert.equal(action.runOptions.memoryMbytes, 512);

  const got = await client.schedule(created.id).get();
  assert.equal(got.id, created.id);
  assert.deepEqual(got.actions, created.actions);

  const page = await client.schedules().list();
  assert.ok(page.items.some((s) => s.id === created.id));
  assert.equal(page.total, page.items.length);
  const one = await client.schedules().list({ limit: 1, offset: 0, desc: true });
  assert.equal(one.items.length, 1);
  assert.equal(one.limit, 1);
  assert.equal(one.desc, true);
  await client.schedule(created.id).delete();
});

test('update() changes the given fields and keeps the rest', async () => {
  const created = await client.schedules().create(spec('to-update'));
  const updated = await client.schedule(created.id).update({ cronExpression: '@hourly', timezone: 'UTC',
    title: 'Hourly' });
  assert.equal(updated.cronExpression, '@hourly');
  assert.equal(updated.title, 'Hourly');
  assert.equal(updated.description, 'weekday mornings', 'kept');
  assert.equal(updated.nextRunAt.toISOString(), '2026-03-02T01:00:00.000Z');
  assert.equal(updated.actions[0].id, created.actions[0].id, 'the action kept');
  const disabled = await client.schedule(created.id).update({ isEnabled: false });
  assert.equal(disabled.isEnabled, false);
  assert.equal(disabled.nextRunAt, null, 'a disabled schedule has no next run');
  const replaced = await client.schedule(created.id).update({ actions: [{ type: 'RUN_ACTOR', actorId: ACTOR }] });
  assert.equal(replaced.actions.length, 1);
  assert.notEqual(replaced.actions[0].id, created.actions[0].id, 'an action without id is a new one');
  await client.schedule(created.id).delete();
});

test('delete() removes it: get() and getLog() give undefined', async () => {
  const created = await client.schedules().create(spec('to-delete'));
  await client.schedule(created.id).delete();
  assert.equal(await client.schedule(created.id).get(), undefined);
  assert.equal(await client.schedule(created.id).getLog(), undefined);
  await client.schedule(created.id).delete(); // a second delete of a missing one is not an error for the client
});

test('getLog() lists the fire and the run it started, with origin SCHEDULER', async () => {
  const log = await client.schedule(FIRED).getLog();
  assert.ok(Array.isArray(log), JSON.stringify(log));
  assert.equal(log[0].message, 'Schedule invoked');
  assert.equal(log[0].level, 'INFO');
  assert.ok(log[0].createdAt instanceof Date, 'dates are parsed');
  const started = log.find((l) => l.message.startsWith('Started run '));
  assert.ok(started, JSON.stringify(log));
  const runId = started.message.split(' ')[2];
  const run = await client.run(runId).get();
  assert.equal(run.meta.origin, 'SCHEDULER');
  assert.equal(run.meta.scheduleId, FIRED);
  const schedule = await client.schedule(FIRED).get();
  assert.ok(schedule.lastRunAt, 'lastRunAt set by the fire');
});

test('bad input is a 400 invalid-input and creates nothing', async () => {
  const before = (await client.schedules().list()).total;
  for (const bad of [{ cronExpression: 'every day' }, { ...spec('bad-zone'), timezone: 'Mars/Olympus' },
    { ...spec('bad-actor'), actions: [{ type: 'RUN_ACTOR', actorId: 'noSuchActor' }] }]) {
    await assert.rejects(client.schedules().create({ cronExpression: '* * * * *', ...bad }),
      (e) => e.statusCode === 400 && e.type === 'invalid-input', JSON.stringify(bad));
  }
  assert.equal((await client.schedules().list()).total, before);
});
