// Storage benchmark, run as an actor: the same workload through the run's in-run API endpoint (the
// platform storage the SDK uses at home) and through crawlee's default local storage (MemoryStorage
// persisting to files in a temp directory), in this one process, printed side by side as ratios.
//   dataset push throughput, batches of 1 and of 1,000 items, and key-value record put latency, each
//   until the data is stored (for the local storage: including its background file writes); key-value
//   record get latency.
// The two alternate over `rounds` rounds each way (local first, then actord first, and so on), so neither
// always runs with the JIT colder; each figure is the median over the rounds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor } from 'apify';
import { Dataset, KeyValueStore } from 'crawlee';
import { MemoryStorage } from '@crawlee/memory-storage';

await Actor.init();
const input = (await Actor.getInput()) ?? {};
const singles = input.singles ?? 1000;
const batches = input.batches ?? 20;
const kvOps = input.kvOps ?? 500;
const rounds = input.rounds ?? 3;
const payload = 'x'.repeat(input.valueBytes ?? 1024);
const item = (i) => ({ i, url: `https://example.com/item/${i}`, title: `Item ${i}`, tags: ['a', 'b'] });

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function workload({ dataset, kv, flush }) {
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
        flush: () => storageClient.teardown(),
    });
    await rm(dir, { recursive: true, force: true });
    return r;
}

async function actordRound() {
    return workload({
        dataset: await Actor.openDataset(),
        kv: await Actor.openKeyValueStore(),
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
    ['kv record put latency p50 (ms)', 'putP50', false],
    ['kv record put latency p99 (ms)', 'putP99', false],
    ['kv record get latency p50 (ms)', 'getP50', false],
    ['kv record get latency p99 (ms)', 'getP99', false],
];
const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
const lines = [
    `storage benchmark: ${singles} single pushes, ${batches} pushes of 1,000, ${kvOps} kv puts and gets of ${payload.length} B;`
        + ` ${rounds} rounds each way (local first, actord first), medians over the ${2 * rounds} rounds`,
    `${'workload'.padEnd(42)}${'actord in-run API'.padStart(18)}${'crawlee local files'.padStart(21)}${'actord/local'.padStart(14)}`,
    ...rows.map(([name, k, higherIsBetter]) => `${name.padEnd(42)}${fmt(actord[k]).padStart(18)}${fmt(local[k]).padStart(21)}`
        + `${(actord[k] / local[k]).toFixed(2).padStart(13)}x${higherIsBetter ? '' : ' (lower is better)'}`),
];
for (const l of lines) console.log(`BENCH ${l}`);
await Actor.setValue('OUTPUT', { actord, local, lines });
await Actor.exit();
