// The console in a real browser (Debian's Chromium, headless, driven by playwright-core) against a running
// daemon: sign in; start the sample actor with input and watch it succeed with its log and OUTPUT; page a
// dataset; the live runs list and its filters; a long run aborted gracefully (ABORTING → ABORTED), resurrected,
// and a resurrect that conflicts (400 run-state-conflict); the tasks list starting a task; inline errors (memory, JSON, 404, 402); no horizontal scrolling at
// 1280×800 and 390×844. Each flow saves screenshots in $SCREENSHOTS.
//
// Environment: ACTORD_URL; TOKEN, a user's API token; ACTORD_SOCKET, the admin socket (to set that user's memory
// limit for the 402 check); HELLO and TICKER, the names of the sample actor and of a long-running actor that ticks once a
// second, finishes 3 s after SIGTERM and serves HTTP on its container port.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {chromium} from 'playwright-core';

const BASE = process.env.ACTORD_URL.replace(/\/$/, '') + '/';
const TOKEN = process.env.TOKEN;
const SOCKET = process.env.ACTORD_SOCKET;
assert.ok(TOKEN && SOCKET, 'set TOKEN (an API token) and ACTORD_SOCKET (the daemon\'s admin socket)');
const HELLO = process.env.HELLO || 'hello';
const TICKER = process.env.TICKER || 'ticker';
const SHOTS = path.resolve(process.env.SCREENSHOTS || 'screenshots');
const DESKTOP = {width: 1280, height: 800};
const PHONE = {width: 390, height: 844};
// Without the background-networking flags Chromium keeps trying to reach Google's services.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let profile;
let context;
let page;
const pageErrors = [];
const seen = {};

before(async () => {
  fs.mkdirSync(SHOTS, {recursive: true});
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'actord-console-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: DESKTOP,
    acceptDownloads: true,
  });
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', e => pageErrors.push(e.message));
  // The page's Content-Security-Policy allows only its own files: anything it refuses is a defect.
  page.on('console', m => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) pageErrors.push(m.text());
  });
});

after(async () => {
  if (context) await context.close();
  if (profile) fs.rmSync(profile, {recursive: true, force: true});
  assert.deepEqual(pageErrors, [], 'the console threw in the page');
});

/** The API from the test's side (setup and checks), over TCP with the token. */
async function api(method, p, body) {
  const headers = {Authorization: 'Bearer ' + TOKEN};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + p.replace(/^\//, ''), {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await res.text();
  return {status: res.status, body: text && /json/.test(res.headers.get('content-type') || '') ? JSON.parse(text) : text};
}

/** A request over the daemon's admin Unix socket. */
function admin(method, p, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const req = http.request({socketPath: SOCKET, method, path: p, headers: {'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(data)}}, (res) => {
      let text = '';
      res.on('data', c => (text += c));
      res.on('end', () => resolve({status: res.statusCode, body: text ? JSON.parse(text) : null}));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function shot(name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({path: path.join(SHOTS, name + '.png'), fullPage: true});
}

async function assertNoHorizontalScroll(label) {
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    bodyWidth: document.body.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(m.scrollWidth <= m.clientWidth && m.bodyWidth <= m.clientWidth,
    `${label} scrolls horizontally: ${JSON.stringify(m)}`);
}

function badgeStatus() {
  return page.evaluate(() => document.querySelector('.page-title .badge')?.dataset.status);
}

async function waitForStatus(status, timeout = 60_000) {
  try {
    await page.waitForFunction(s => document.querySelector('.page-title .badge')?.dataset.status === s, status,
      {timeout, polling: 100});
  } catch (e) {
    throw new Error(`the run page did not show ${status} within ${timeout} ms (it shows ${await badgeStatus()})`);
  }
}

async function waitForLog(text, timeout = 30_000) {
  await page.waitForFunction(t => document.getElementById('run-log')?.textContent.includes(t), text, {timeout});
}

function runIdInUrl() {
  const m = /#\/runs\/([^/?]+)/.exec(page.url());
  assert.ok(m, 'not on a run page: ' + page.url());
  return decodeURIComponent(m[1]);
}

async function openActor(name) {
  await page.click('.nav >> text=Actors');
  await page.click(`.table-actors a:text-is("${name}")`);
  await page.waitForSelector('#start-form');
}

async function assertShownInPlace(selector, title, status) {
  const box = page.locator(selector);
  await box.waitFor();
  const text = await box.textContent();
  assert.match(text, new RegExp(title));
  assert.match(text, new RegExp(`HTTP ${status}`));
  assert.doesNotMatch(text, /\{"error"/, 'an error is shown as raw JSON');
  return text;
}

test('the input check agrees with JSON.parse and says where the input goes wrong', async () => {
  const source = path.join(process.env.ACTORD_HOME, 'daemon/src/main/resources/io/actord/daemon/console/web/js/json-problem.js');
  const {jsonProblem} = await import(pathToFileURL(source));
  const cases = {
    '{}': null,
    '  {"a": [1, {"b": null}], "c": -1.5e3, "d": "\\u00e9\\n"} ': null,
    '[1, 2,]': /expected a value.*found "\]" \(line 1 column 7\)/,
    '{"a" 1}': /expected ':', found "1" \(line 1 column 6\)/,
    '{"a": "b\nc"}': /control character.*\(line 1 column 9\)/,
    '{\n  "a": 1\n': /expected ',' or '}', found the end of the input \(line 3 column 1\)/,
    '{} x': /nothing more after the value/,
    '01': /nothing more after the value/,
    '"\\q"': /expected an escape/,
    '': /found the end of the input \(line 1 column 1\)/,
  };
  for (const [text, expected] of Object.entries(cases)) {
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
    }
    const problem = jsonProblem(text);
    assert.equal(problem === null, parses, `${JSON.stringify(text)}: ${problem}`);
    if (expected) assert.match(problem, expected, JSON.stringify(text));
  }
});

test('sign in with an API token', async () => {
  await page.goto(BASE);
  await page.waitForSelector('#token');
  await shot('01-sign-in');
  await page.fill('#token', 'not-a-real-token');
  await page.click('.signin button[type=submit]');
  await assertShownInPlace('.signin .alert-error', 'Token not valid', 401);
  await shot('01-sign-in-refused');
  await page.fill('#token', TOKEN);
  await page.click('.signin button[type=submit]');
  await page.waitForSelector('.topbar');
  assert.match(page.url(), /#\/runs$/);
  const stored = await page.evaluate(() => ({session: sessionStorage.getItem('actord.token'), local: localStorage.length}));
  assert.equal(stored.session, TOKEN, 'the token is kept in the tab\'s session storage');
  assert.equal(stored.local, 0, 'nothing is kept in local storage');
});

test('start the sample actor with input; it succeeds with its log and OUTPUT', async () => {
  await openActor(HELLO);
  await page.fill('#run-memory', '256');
  const resources = await page.textContent('#run-resources');
  assert.match(resources, /1\/16 core/);
  assert.match(resources, /512 MB/);
  await page.fill('#run-input', '{\n  "name": "Ada"\n}');
  await shot('02-start-form');
  await page.click('#run-start');
  await page.waitForURL(/#\/runs\/[A-Za-z0-9]+$/);
  seen.helloRun = runIdInUrl();
  await waitForStatus('SUCCEEDED');
  await waitForLog('Hello, Ada!');
  assert.equal((await page.textContent('#run-exit-code')).trim(), '0');
  const run = (await api('GET', 'v2/actor-runs/' + seen.helloRun)).body.data;
  assert.equal(run.options.memoryMbytes, 256);
  await shot('03-run-succeeded');

  await page.click('#tab-storage');
  await page.click('.table-kv >> text=OUTPUT');
  const output = await page.locator('#kv-record-text').textContent();
  assert.deepEqual(JSON.parse(output), {greeting: 'Hello, Ada!'});
  await shot('04-output');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('.kv-preview-head button')]);
  assert.equal(file.suggestedFilename(), 'OUTPUT.json');
  assert.deepEqual(JSON.parse(fs.readFileSync(await file.path(), 'utf8')), {greeting: 'Hello, Ada!'});
});

test('the dataset tab shows the items as a table, a page at a time', async () => {
  const run = (await api('GET', 'v2/actor-runs/' + seen.helloRun)).body.data;
  const items = Array.from({length: 45}, (_, i) => ({n: i + 1, url: `https://example.com/item/${i + 1}`,
    title: `Item number ${i + 1}`, tags: ['a', 'b'], price: {amount: i * 1.5, currency: 'EUR'}}));
  assert.equal((await api('POST', `v2/datasets/${run.defaultDatasetId}/items`, items)).status, 201);
  await page.click('#tab-dataset');
  await page.click('#panel-dataset button:text-is("Refresh")');
  await page.waitForFunction(() => document.querySelectorAll('#dataset-items tbody tr').length === 20);
  assert.match(await page.textContent('#panel-dataset .pager-range'), /1–20 of 45/);
  const headers = await page.locator('#dataset-items thead th').allTextContents();
  assert.deepEqual(headers, ['#', 'n', 'url', 'title', 'tags', 'price']);
  await page.click('#panel-dataset button:has-text("Next")');
  await page.waitForFunction(() => document.querySelector('#panel-dataset .pager-range')?.textContent.includes('21–40 of 45'));
  assert.equal((await page.locator('#dataset-items tbody tr >> nth=0 >> td >> nth=1').textContent()).trim(), '21');
  await shot('05-dataset');
});

test('the runs list shows statuses live and filters by status and actor', async () => {
  await page.click('.nav >> text=Runs');
  await page.waitForSelector(`tr[data-run-id="${seen.helloRun}"]`);
  // A run started elsewhere appears and finishes without a reload.
  const started = (await api('POST', `v2/acts/${HELLO}/runs?memory=128`, {name: 'Grace'})).body.data;
  await page.waitForSelector(`tr[data-run-id="${started.id}"] .badge[data-status="SUCCEEDED"]`, {timeout: 60_000});
  await shot('06-runs');
  await page.selectOption('#filter-status', 'SUCCEEDED');
  await page.waitForFunction(() => new URL(location.href).hash.includes('status=SUCCEEDED'));
  await page.waitForSelector('.table-runs');
  const statuses = await page.locator('.table-runs .badge').evaluateAll(els => els.map(e => e.dataset.status));
  assert.ok(statuses.length >= 2 && statuses.every(s => s === 'SUCCEEDED'), statuses.join());
  const actorValue = await page.locator('#filter-actor option', {hasText: HELLO}).first().getAttribute('value');
  await page.selectOption('#filter-actor', actorValue);
  await page.waitForFunction(() => new URL(location.href).hash.includes('actor='));
  await page.waitForSelector(`tr[data-run-id="${seen.helloRun}"]`);
  await shot('06-runs-filtered');
  await page.selectOption('#filter-status', 'ABORTED');
  await page.waitForSelector('.empty-title:text("No runs match these filters.")');
});

test('a long run: abort gracefully (ABORTING, then ABORTED), resurrect, and a conflicting resurrect (400)', async () => {
  await openActor(TICKER);
  await page.fill('#run-input', '');
  await page.click('#run-start');
  await page.waitForURL(/#\/runs\/[A-Za-z0-9]+$/);
  const id = runIdInUrl();
  seen.tickerRun = id;
  await waitForStatus('RUNNING');
  await waitForLog('tick 3');
  await page.waitForSelector('#chart-cpu path.chart-line');
  await page.waitForSelector('#chart-memory path.chart-line');
  const run = (await api('GET', 'v2/actor-runs/' + id)).body.data;
  assert.equal(await page.getAttribute('#run-container-url', 'href'), run.containerUrl);
  assert.equal(await page.isDisabled('#run-resurrect'), true);
  await shot('07-long-run');

  const [tab] = await Promise.all([context.waitForEvent('page'), page.click('#run-container-url')]);
  await tab.waitForLoadState();
  assert.match(await tab.textContent('body'), /hello from payload/);
  await tab.screenshot({path: path.join(SHOTS, '07-container-url.png')});
  await tab.close();

  await page.click('#run-abort-gracefully');
  await waitForStatus('ABORTING', 10_000);
  for (const b of ['#run-abort', '#run-abort-gracefully', '#run-resurrect']) {
    assert.equal(await page.isDisabled(b), true, b + ' is disabled while aborting');
  }
  await shot('08-aborting');
  await waitForStatus('ABORTED', 30_000);
  await waitForLog('got SIGTERM');
  assert.equal(await page.isDisabled('#run-resurrect'), false);
  assert.equal(await page.isDisabled('#run-abort'), true);
  await shot('09-aborted');

  await page.click('#run-resurrect');
  await waitForStatus('RUNNING');
  // The log view follows the resurrected run again: the whole log, then the new container's ticks.
  await page.waitForFunction(() => [...document.querySelectorAll('#run-log .log-line')]
    .filter(l => l.lastChild.textContent === 'tick 2').length >= 2, null, {timeout: 30_000});
  await shot('10-resurrected');

  await page.click('#run-abort');
  await waitForStatus('ABORTED');
  // Another client resurrects the run while this page still shows it aborted (its refreshes held back).
  const held = [];
  let holding = true;
  const runUrl = u => u.pathname.endsWith('/v2/actor-runs/' + id);
  await page.route(runUrl, route => (holding ? held.push(route) : route.continue()));
  while (held.length === 0) await new Promise(r => setTimeout(r, 100));
  assert.equal((await api('POST', `v2/actor-runs/${id}/resurrect`)).status, 200);
  await page.click('#run-resurrect');
  await assertShownInPlace('#run-action-error .alert-error', 'Not possible now', 400);
  await shot('11-resurrect-conflict');
  holding = false;
  for (const route of held) await route.continue();
  await page.unroute(runUrl);
  await waitForStatus('RUNNING');
  await page.click('#run-abort');
  await waitForStatus('ABORTED');
});

test('inline errors: memory, JSON, an unknown build (403 unknown-build-tag), the memory limit (402), an unknown run (404)', async () => {
  await openActor(HELLO);
  await page.fill('#run-memory', '1000');
  const memoryError = await page.textContent('#run-memory-error');
  assert.match(memoryError, /not a memory size a run can have/);
  assert.match(memoryError, /nearest: 1024 MB/);
  assert.equal(await page.isDisabled('#run-start'), true);
  await shot('12-invalid-memory');
  await page.fill('#run-memory', '512');
  assert.equal((await page.textContent('#run-memory-error')).trim(), '');
  assert.match(await page.textContent('#run-resources'), /1\/8 core.*1 GB/);

  await page.fill('#run-input', '{\n  "name": \n}');
  assert.match(await page.textContent('#run-input-error'), /not valid JSON: expected a value.*found "}" \(line 3 column 1\)/);
  assert.equal(await page.isDisabled('#run-start'), true);
  await shot('13-invalid-json');
  await page.fill('#run-input', '{"name": "Bob"}');

  await page.fill('#run-build', 'no-such-build');
  await page.click('#run-start');
  await assertShownInPlace('#run-start-error .alert-error', 'No such build', 403);
  await shot('14-unknown-build');
  await page.fill('#run-build', 'latest');

  const me = (await api('GET', 'v2/users/me')).body.data;
  const limit = await admin('PUT', `/v2/actord/users/${me.id}`, {memoryLimitMbytes: 256});
  assert.equal(limit.status, 200, JSON.stringify(limit.body));
  try {
    await page.click('#run-start');
    await assertShownInPlace('#run-start-error .alert-error', 'Memory limit reached', 402);
    await shot('15-memory-limit');
  } finally {
    await admin('PUT', `/v2/actord/users/${me.id}`, {memoryLimitMbytes: null});
  }

  await page.goto(BASE + '#/runs/NoSuchRun00000000');
  await assertShownInPlace('.main .alert-error', 'Not found', 404);
  await shot('16-run-not-found');
});

test('the tasks page lists a task and starts it with its saved input', async () => {
  const name = 'greet-' + Date.now();
  const created = await api('POST', 'v2/actor-tasks', {actId: HELLO, name, input: {name: 'Task'}});
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await page.click('.nav >> text=Tasks');
  const row = page.locator('.table-tasks tbody tr', {hasText: name});
  await row.waitFor();
  await shot('16-tasks');
  await row.locator('button:text-is("Start")').click();
  await page.waitForURL(/#\/runs\/[A-Za-z0-9]+$/);
  await waitForStatus('SUCCEEDED');
  await waitForLog('Hello, Task!');
  const run = (await api('GET', 'v2/actor-runs/' + runIdInUrl())).body.data;
  assert.equal(run.actorTaskId, created.body.data.id);
});

test('no horizontal scrolling at 1280×800 and 390×844', async () => {
  const pages = [
    ['runs', '#/runs', '.table-runs'],
    ['actors', '#/actors', '.table-actors'],
    ['tasks', '#/tasks', '.table-tasks'],
    ['actor', `#/actors/${HELLO}`, '#start-form'],
    ['run-log', `#/runs/${seen.tickerRun}`, '#run-log .log-line'],
    ['run-storage', `#/runs/${seen.helloRun}`, '#run-log .log-line', '#tab-storage', '.table-kv'],
    ['run-dataset', `#/runs/${seen.helloRun}`, '#run-log .log-line', '#tab-dataset', '#dataset-items'],
  ];
  for (const [viewport, suffix] of [[DESKTOP, ''], [PHONE, '-phone']]) {
    await page.setViewportSize(viewport);
    for (const [name, hash, ready, tab, tabReady] of pages) {
      await page.goto(BASE + hash);
      // Attached, not visible: a second visit to the same run keeps the tab the first one chose.
      await page.waitForSelector(ready, {state: 'attached'});
      if (tab) {
        await page.click(tab);
        await page.waitForSelector(tabReady);
      }
      await assertNoHorizontalScroll(`${name} at ${viewport.width}×${viewport.height}`);
      if (suffix) await shot(`17-${name}${suffix}`);
    }
    const fresh = await context.newPage();
    await fresh.setViewportSize(viewport);
    await fresh.goto(BASE);
    await fresh.waitForSelector('#token');
    const m = await fresh.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(m[0] <= m[1], `sign-in at ${viewport.width} scrolls horizontally: ${m}`);
    if (suffix) await fresh.screenshot({path: path.join(SHOTS, `17-sign-in${suffix}.png`)});
    await fresh.close();
  }
  await page.setViewportSize(DESKTOP);
});

test('sign out forgets the token', async () => {
  await page.goto(BASE + '#/runs');
  await page.click('.account button:text-is("Sign out")');
  await page.waitForSelector('#token');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('actord.token')), null);
});
