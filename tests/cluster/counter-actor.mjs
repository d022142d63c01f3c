// tests/cluster's counter: an actor written with the published apify SDK whose items show whether a run was lost,
// rewound or ran twice across migrations. It pushes numbered items {seq, incarnation} every ~100 ms up to
// input.items, with seq continuing from the state it keeps in its key-value store (written after each push, so a
// kill between the two repeats at most one item) and incarnation random per container start; its web server (the
// run's container URL) answers {seq, incarnation}. On `migrating` (a planned drain) it finishes the item in flight,
// writes its state, records {seq, incarnation} as MIGRATING (the harness's evidence that the event arrived) and stops
// pushing, waiting for the host to stop the container; on `persistState` it writes its state. It exits when done.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Actor } from 'apify';

const STATE_KEY = 'COUNTER_STATE';
const PACE_MS = 100;

await Actor.init();
const input = (await Actor.getInput()) ?? {};
const items = Number(input.items ?? 100);
const incarnation = randomUUID().slice(0, 8);
const state = (await Actor.getValue(STATE_KEY)) ?? { seq: 0 };
let migrating = false;

const persist = () => Actor.setValue(STATE_KEY, { seq: state.seq });
// The push in flight, if any, with the state written after it: `migrating` waits for it, so the state it writes is
// the last item's and the next incarnation repeats nothing.
let step = Promise.resolve();
Actor.on('persistState', persist);
Actor.on('migrating', async () => {
    migrating = true;
    await step;
    await persist();
    await Actor.setValue('MIGRATING', { seq: state.seq, incarnation });
    console.log(`migrating at seq ${state.seq}: state persisted, no more items from incarnation ${incarnation}`);
});

const port = Number(process.env.ACTOR_WEB_SERVER_PORT || process.env.APIFY_CONTAINER_PORT || 4321);
const server = http.createServer((req, res) => {
    const body = JSON.stringify({ seq: state.seq, incarnation });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
}).listen(port);

console.log(`incarnation ${incarnation} starts after seq ${state.seq} of ${items}`);
while (state.seq < items) {
    if (migrating) {
        // The host stops this container once the state is written; pushing on would only be repeated there.
        await new Promise((resolve) => setTimeout(resolve, PACE_MS));
        continue;
    }
    step = (async () => {
        const seq = state.seq + 1;
        await Actor.pushData({ seq, incarnation });
        state.seq = seq;
        await persist();
    })();
    await step;
    await new Promise((resolve) => setTimeout(resolve, PACE_MS));
}
server.close();
await Actor.exit(`pushed ${items} items`);
