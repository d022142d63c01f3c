// Storage benchmark, run as an actor: the same workload through the run's in-run API endpoint (the
// platform storage the SDK uses at home) and through crawlee's default local storage (MemoryStorage
// persisting to files in a temp directory), in this one process, printed side by side as ratios.
//   dataset push throughput, batches of 1 and of 1,000 items, and key-value record put latency, each
//   until the data is stored (for the local storage: including its background file writes); key-value
//   record get latency; request queue: adding batches of 1,000 requests (batchAddRequests, 25 a call as
//   crawlee sends them) and locking the head and handling what it returns, as crawlee's RequestQueue (v2)
//   does: listAndLockHead, then one update per handled request.
// The two alternate over `rounds` rounds each way (local first, then actord first, and so on), so neither
// always runs with the JIT colder; each figure is the median over the rounds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor } from 'apify';
import { Dataset, KeyValueStore, RequestQueue } from 'crawlee';
import { MemoryStorage } from '@crawlee/memory-storage';

await Actor.init();
const input = (await Actor.getInput()) ?? {};
const singles = input.singles ?? 1000;
const batches = input.batches ?? 20;
const kvOps = input.kvOps ?? 500;
const rounds = input.rounds ?? 3;
const rqBatches = input.rqBatches ?? 5;
const rqHandled = input.rqHandled ?? 1000;
const payload = 'x'.repeat(input.valueBytes ?? 1024);
const item = (i) => ({ i, url: `https://example.com/item/${i}`, title: `Item ${i}`, tags: ['a', 'b'] });

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

let queues = 0;
async function workload({ dataset, kv, openQueue, flush }) {
    const r = {};
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < singles; i++) await dataset.pushData(item(i));
    await flush();
    r.push1 = singles / (ms(t0) / 1000);
    const batch = Array.from({ length: 1000 }, (_, i) => item(i));
    t0 = process.hrtime.bigint();
    for (let b = 0; b < batches; b++) await dataset.pushData(batch);
    await flush();
    r.push1000 = (batches * 1000) / (ms(t0) / 1000);
    const puts = [];
    for (let i = 0; i < kvOps; i++) {
        const t = process.hrtime.bigint();
        await kv.setValue(`key-${i % 50}`, { i, payload });
        await flush();
        puts.push(ms(t));
    }
    const gets = [];
    for (let i = 0; i < kvOps; i++) {
        const t = process.hrtime.bigint();
        const v = await kv.getValue(`key-${i % 50}`);
        if (!v || v.payload.length !== payload.length) throw new Error(`bad value for key-${i % 50}`);
        gets.push(ms(t));
    }
    const rq = await openQueue(`bench-${process.pid}-${queues++}`);
    t0 = process.hrtime.bigint();
    for (let b = 0; b < rqBatches; b++) {
        await rq.addRequests(Array.from({ length: 1000 }, (_, i) => ({ url: `https://example.com/rq/${b}/${i}` })));
    }
    await flush();
    r.rqAdd = (rqBatches * 1000) / (ms(t0) / 1000);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < rqHandled; i++) {
        const request = await rq.fetchNextRequest();
        if (!request) throw new Error(`the queue ran dry after ${i} requests`);
        await rq.markRequestHandled(request);
    }
    await flush();
    r.rqLock = rqHandled / (ms(t0) / 1000);
    await rq.drop();
    Object.assign(r, { putP50: percentile(puts, 0.5), putP99: percentile(puts, 0.99),
        getP50: percentile(gets, 0.5), getP99: percentile(gets, 0.99) });
    return r;
}

async function localRound() {
    const dir = await mkdtemp(join(tmpdir(), 'actord-bench-local-'));
    const storageClient = new MemoryStorage({ localDataDirectory: dir, persistStorage: true, writeMetadata: true });
    const r = await workload({
        dataset: await Dataset.open('bench-local', { storageClient }),
        kv: await KeyValueStore.open('bench-local', { storageClient }),
        openQueue: (name) => RequestQueue.open(name, { storageClient }),
        flush: () => storageClient.teardown(),
    });
    await rm(dir, { recursive: true, force: true });
    return r;
}

async function actordRound() {
    return workload({
        dataset: await Actor.openDataset(),
        kv: await Actor.openKeyValueStore(),
        openQueue: (name) => Actor.openRequestQueue(name),
        flush: async () => {},
    });
}

const localRuns = [];
const actordRuns = [];
for (let round = 0; round < 2 * rounds; round++) {
    const order = round % 2 === 0 ? ['local', 'actord'] : ['actord', 'local'];
    for (const who of order) {
        if (who === 'local') localRuns.push(await localRound());
        else actordRuns.push(await actordRound());
    }
}
const median = (xs) => percentile(xs, 0.5);
const combine = (runs) => Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
const local = combine(localRuns);
const actord = combine(actordRuns);

const rows = [
    ['dataset push, batches of 1 (items/s)', 'push1', true],
    ['dataset push, batches of 1,000 (items/s)', 'push1000', true],
    ['request queue add, batches of 1,000 (req/s)', 'rqAdd', true],
    ['request queue lock head + handle (req/s)', 'rqLock', true],
    ['kv record put latency p50 (ms)', 'putP50', false],
    ['kv record put latency p99 (ms)', 'putP99', false],
    ['kv record get latency p50 (ms)', 'getP50', false],
    ['kv record get latency p99 (ms)', 'getP99', false],
];
const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
const lines = [
    `storage benchmark: ${singles} single pushes, ${batches} pushes of 1,000, ${kvOps} kv puts and gets of ${payload.length} B;`
        + ` ${rqBatches} request batches of 1,000 and ${rqHandled} locked and handled; ${rounds} rounds each way (local first, actord first), medians over the ${2 * rounds} rounds`,
    `${'workload'.padEnd(42)}${'actord in-run API'.padStart(18)}${'crawlee local files'.padStart(21)}${'actord/local'.padStart(14)}`,
    ...rows.map(([name, k, higherIsBetter]) => `${name.padEnd(42)}${fmt(actord[k]).padStart(18)}${fmt(local[k]).padStart(21)}`
        + `${(actord[k] / local[k]).toFixed(2).padStart(13)}x${higherIsBetter ? '' : ' (lower is better)'}`),
];
for (const l of lines) console.log(`BENCH ${l}`);
await Actor.setValue('OUTPUT', { actord, local, rows, lines });
await Actor.exit();
