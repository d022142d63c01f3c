// One run of TwoDaemonsRunsIT: while runs on two daemons (one PostgreSQL database) do the same, it pushes its
// numbered items to the named dataset INPUT.dataset (half in batches, half singly, in order) and, with a crawlee
// BasicCrawler on the named request queue INPUT.queue (head locking: listAndLockHead), records each request it
// handles in the named dataset INPUT.handled. The test reads all of it back and checks it.
import { Actor } from 'apify';
import { BasicCrawler } from 'crawlee';

await Actor.init();
const { tag, items, batch, dataset, queue, handled } = await Actor.getInput();
const runId = Actor.getEnv().actorRunId;
const shared = await Actor.openDataset(dataset);
const handledLog = await Actor.openDataset(handled);
const requestQueue = await Actor.openRequestQueue(queue);

async function pushItems() {
    const half = Math.floor(items / 2);
    for (let n = 0; n < half; n += batch) {
        const chunk = [];
        for (let k = n; k < Math.min(n + batch, half); k++) {
            chunk.push({ tag, n: k });
        }
        await shared.pushData(chunk);
    }
    for (let n = half; n < items; n++) {
        await shared.pushData({ tag, n });
    }
}

const crawler = new BasicCrawler({
    requestQueue,
    maxConcurrency: 4,
    maxRequestRetries: 0,
    async requestHandler({ request }) {
        await handledLog.pushData({ uniqueKey: request.uniqueKey, runId, tag });
    },
});

const started = Date.now();
await Promise.all([pushItems(), crawler.run()]);
await Actor.setValue('FIGURES', { tag, millis: Date.now() - started, stats: crawler.stats.state.requestsFinished });
await Actor.exit();
