// The storage API through the published apify-client, against an actord at ACTORD_URL (no /v2).
// Exits 0 when every check passed; prints one line per group of checks.
import assert from 'node:assert/strict';
import { ApifyClient } from 'apify-client';

const client = new ApifyClient({ baseUrl: process.env.ACTORD_URL, token: process.env.ACTORD_TOKEN ?? 'unused', maxRetries: 0 });
let checks = 0;
const check = (name, fn) => fn().then(() => { checks++; console.log(`ok ${name}`); });
const expectError = async (promise, type, status) => {
    try {
        await promise;
    } catch (e) {
        assert.equal(e.type, type, `${e.type}: ${e.message}`);
        if (status) assert.equal(e.statusCode, status);
        return e;
    }
    assert.fail(`expected a ${type} error`);
};

await check('key-value store: getOrCreate by name, get, list', async () => {
    const a = await client.keyValueStores().getOrCreate('compat-kvs');
    const b = await client.keyValueStores().getOrCreate('compat-kvs');
    assert.equal(a.id, b.id);
    assert.equal(a.name, 'compat-kvs');
    assert.ok(a.createdAt instanceof Date, 'createdAt parses as a date');
    assert.equal((await client.keyValueStore(a.id).get()).id, a.id);
    assert.equal(await client.keyValueStore('nOsUcHsToRe000000').get(), undefined);
    const list = await client.keyValueStores().list();
    assert.ok(list.items.some((s) => s.id === a.id));
});

await check('key-value store: records of every content type, compressed bodies, keys', async () => {
    const { id } = await client.keyValueStores().getOrCreate();
    const kv = client.keyValueStore(id);
    await kv.setRecord({ key: 'OUTPUT', value: { hello: 'world', n: [1, 2, 3] } });
    await kv.setRecord({ key: 'text', value: 'plain text' });
    await kv.setRecord({ key: 'bytes', value: Buffer.from([0, 1, 2, 255]) });
    const big = 'x'.repeat(200_000);
    await kv.setRecord({ key: 'big', value: { big } });
    const json = await kv.getRecord('OUTPUT');
    assert.deepEqual(json.value, { hello: 'world', n: [1, 2, 3] });
    assert.match(json.contentType, /^application\/json/);
    assert.equal((await kv.getRecord('text')).value, 'plain text');
    assert.deepEqual([...(await kv.getRecord('bytes')).value], [0, 1, 2, 255]);
    assert.equal((await kv.getRecord('big')).value.big.length, 200_000, 'a Brotli body (>= 1 KiB) decoded');
    assert.equal(await kv.getRecord('missing'), undefined);
    assert.equal(await kv.recordExists('text'), true);
    assert.equal(await kv.recordExists('missing'), false);
    await kv.deleteRecord('text');
    assert.equal(await kv.getRecord('text'), undefined);
    const keys = [];
    for await (const k of kv.listKeys({ limit: 10 })) keys.push(k.key);
    assert.deepEqual((await kv.listKeys()).items.map((k) => k.key), ['OUTPUT', 'big', 'bytes']);
    const page = await kv.listKeys({ limit: 1 });
    assert.equal(page.isTruncated, true);
    assert.equal(page.nextExclusiveStartKey, 'OUTPUT');
    const rest = await kv.listKeys({ exclusiveStartKey: 'OUTPUT' });
    assert.deepEqual(rest.items.map((k) => k.key), ['big', 'bytes']);
    assert.equal(rest.nextExclusiveStartKey, null);
});

await check('key-value store: bad keys and oversized records are refused', async () => {
    const { id } = await client.keyValueStores().getOrCreate();
    const kv = client.keyValueStore(id);
    await expectError(kv.setRecord({ key: 'a/b', value: 'x' }), 'invalid-record-key', 400);
    // The client's URL parser resolves records/.. to the store itself: the PUT arrives as a store update,
    // refused because its body is not JSON. Raw HTTP with a literal '..' is answered invalid-record-key.
    await expectError(kv.setRecord({ key: '..', value: 'x' }), 'invalid-request', 400);
    // (The URL parser drops tabs and newlines, so those never reach the server; other controls arrive encoded.)
    await expectError(kv.setRecord({ key: 'ctrl\u0001key', value: 'x' }), 'invalid-record-key', 400);
    await expectError(kv.setRecord({ key: 'sp ace', value: 'x' }), 'invalid-record-key', 400);
    const tooBig = Buffer.alloc(9 * 1024 * 1024 + 1, 1);
    const err = await expectError(kv.setRecord({ key: 'huge', value: tooBig }), 'record-too-large', 413);
    assert.match(err.message, /9437184/);
    assert.equal((await kv.listKeys()).items.length, 0, 'nothing was stored');
});

await check('dataset: push objects and arrays, list with offset/limit/desc/clean/fields, formats', async () => {
    const ds = await client.datasets().getOrCreate('compat-dataset');
    const d = client.dataset(ds.id);
    await d.pushItems({ n: 0, '#hidden': 'h' });
    await d.pushItems(Array.from({ length: 999 }, (_, i) => ({ n: i + 1, tag: `t${i % 3}` })));
    const info = await d.get();
    assert.equal(info.itemCount, 1000);
    const all = await d.listItems();
    assert.equal(all.total, 1000);
    assert.equal(all.items.length, 1000);
    assert.equal(all.items[999].n, 999);
    const page = await d.listItems({ offset: 10, limit: 5, desc: true });
    assert.deepEqual(page.items.map((i) => i.n), [989, 988, 987, 986, 985]);
    assert.equal(page.offset, 10);
    assert.equal(page.limit, 5);
    assert.equal(page.desc, true);
    const clean = await d.listItems({ limit: 1, clean: true });
    assert.deepEqual(clean.items[0], { n: 0 });
    const fields = await d.listItems({ offset: 1, limit: 1, fields: ['tag', 'n'] });
    assert.deepEqual(Object.keys(fields.items[0]), ['tag', 'n']);
    const csv = (await d.downloadItems('csv', { limit: 2 })).toString();
    assert.equal(csv, 'n,#hidden,tag\r\n0,h,\r\n1,,t0\r\n');
    const jsonl = (await d.downloadItems('jsonl', { offset: 1, limit: 2 })).toString();
    assert.equal(jsonl, '{"n":1,"tag":"t0"}\n{"n":2,"tag":"t1"}\n');
    let iterated = 0;
    for await (const item of d.listItems({ chunkSize: 300 })) iterated += item ? 1 : 0;
    assert.equal(iterated, 1000);
});

await check('dataset: unwind and flatten, as listItems and downloadItems send them', async () => {
    const { id } = await client.datasets().getOrCreate();
    const d = client.dataset(id);
    await d.pushItems([
        { title: 'shirt', variants: [{ size: 'S' }, { size: 'M' }], maker: { name: 'acme', geo: { lat: 1 } } },
        { title: 'bare', variants: [] },
        { title: 'plain' },
    ]);
    const page = await d.listItems({ unwind: ['variants'], flatten: ['maker'], omit: ['maker.geo.lat'] });
    assert.deepEqual(page.items, [
        { title: 'shirt', 'maker.name': 'acme', size: 'S' },
        { title: 'shirt', 'maker.name': 'acme', size: 'M' },
        { title: 'plain' },
    ]);
    assert.equal(page.total, 3);
    assert.equal(page.count, 3);
    const single = await d.listItems({ unwind: 'variants', desc: true, limit: 3 });
    assert.deepEqual(single.items.map((i) => i.size ?? i.title), ['plain', 'S', 'M']);
    const csv = (await d.downloadItems('csv', { unwind: 'variants', flatten: ['maker'], fields: ['title', 'variants', 'maker'] })).toString();
    assert.equal(csv, 'title,maker.name,maker.geo.lat,size\r\nshirt,acme,1,S\r\nshirt,acme,1,M\r\nplain,,,\r\n');
    await expectError(d.listItems({ unwind: ['variants', ''] }), 'invalid-value', 400);
});

await check('dataset: invalid pushes are refused whole', async () => {
    const { id } = await client.datasets().getOrCreate();
    const d = client.dataset(id);
    // axios quotes a string that is not valid JSON, so the client sends a JSON string: not an object.
    await expectError(d.pushItems('[{"a":1},'), 'invalid-input', 400);
    const raw = await fetch(`${process.env.ACTORD_URL}/v2/datasets/${id}/items`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"a":1},',
    });
    assert.equal(raw.status, 400);
    assert.equal((await raw.json()).error.type, 'invalid-request');
    await expectError(d.pushItems('[{"a":1}, 7]'), 'invalid-input', 400);
    await expectError(d.pushItems([{ ok: 1 }, 'not an object']), 'invalid-input', 400);
    assert.equal((await d.get()).itemCount, 0);
});

await check('request queue: add, dedup, batch, head, lock, prolong, handle, reclaim', async () => {
    const q = await client.requestQueues().getOrCreate('compat-queue');
    const a = client.requestQueue(q.id, { clientKey: 'clientA' });
    const b = client.requestQueue(q.id, { clientKey: 'clientB' });
    const first = await a.addRequest({ url: 'http://example.com', uniqueKey: 'http://example.com' });
    assert.equal(first.requestId, '8OamqXBCpPHxyH9', 'the id crawlee computes from the uniqueKey');
    assert.equal(first.wasAlreadyPresent, false);
    assert.equal((await a.addRequest({ url: 'http://example.com', uniqueKey: 'http://example.com' })).wasAlreadyPresent, true);
    const batch = await a.batchAddRequests(Array.from({ length: 60 }, (_, i) => ({ url: `http://example.com/${i}`, uniqueKey: `u${i}` })), { maxParallel: 1 });
    assert.equal(batch.processedRequests.length, 60, 'split into batches of 25 by the client');
    assert.equal(batch.unprocessedRequests.length, 0);
    const got = await a.getRequest(first.requestId);
    assert.equal(got.url, 'http://example.com');
    assert.equal('handledAt' in got, false);
    assert.equal(await a.getRequest('nOsUcHrEqUeSt000'), undefined);
    const head = await a.listHead({ limit: 3 });
    assert.deepEqual(head.items.map((i) => i.uniqueKey), ['http://example.com', 'u0', 'u1']);

    const lockedA = await a.listAndLockHead({ lockSecs: 60, limit: 25 });
    assert.equal(lockedA.items.length, 25);
    assert.ok(lockedA.items[0].lockExpiresAt instanceof Date);
    assert.equal(lockedA.queueHasLockedRequests, true);
    const lockedB = await b.listAndLockHead({ lockSecs: 60, limit: 25 });
    assert.equal(lockedB.items[0].uniqueKey, 'u24', 'B gets the next unlocked requests');
    const rid = lockedA.items[0].id;
    await expectError(b.prolongRequestLock(rid, { lockSecs: 30 }), 'request-handled-or-locked', 409);
    await expectError(b.deleteRequestLock(rid), 'request-handled-or-locked', 409);
    const prolonged = await a.prolongRequestLock(rid, { lockSecs: 120 });
    assert.ok(prolonged.lockExpiresAt.getTime() > Date.now() + 100_000);

    const req = await a.getRequest(rid);
    const done = await a.updateRequest({ ...req, handledAt: new Date().toISOString() });
    assert.equal(done.wasAlreadyHandled, false);
    const other = await a.getRequest(lockedA.items[1].id);
    await a.updateRequest({ ...other, retryCount: 1 }, { forefront: true });
    await a.deleteRequestLock(other.id, { forefront: true });
    assert.equal((await b.listHead({ limit: 1 })).items[0].id, other.id, 'reclaimed to the front');
    const unlocked = await b.unlockRequests();
    assert.equal(unlocked.unlockedCount, 25);

    const info = await a.get();
    assert.equal(info.totalRequestCount, 61);
    assert.equal(info.handledRequestCount, 1);
    assert.equal(info.pendingRequestCount, 60);
    assert.equal(info.hadMultipleClients, true);
    const listed = await a.listRequests({ limit: 10 });
    assert.equal(listed.items.length, 10);
    await a.deleteRequest(first.requestId);
    assert.equal((await a.get()).totalRequestCount, 60);
    await client.requestQueue(q.id).delete();
    assert.equal(await client.requestQueue(q.id).get(), undefined);
});

console.log(`all ${checks} check groups passed`);
