// An actor written with the published apify SDK, unchanged from how it would run on the platform: reads
// its INPUT, pushes 1,000 items, stores OUTPUT, calls a second actor and reads that run's OUTPUT, and says
// so in its status message.
import { Actor } from 'apify';

await Actor.init();
const input = await Actor.getInput();
const items = Array.from({ length: 1000 }, (_, i) => ({ i, label: `item-${i}`, greeting: input.greeting }));
await Actor.pushData(items);
await Actor.setStatusMessage(`Pushed ${items.length} items`);
await Actor.setValue('OUTPUT', { greeting: input.greeting, pushed: items.length });
const child = await Actor.call(input.child, { fromParent: input.greeting }, { memory: input.childMemory });
const childStore = await Actor.openKeyValueStore(child.defaultKeyValueStoreId);
await Actor.setValue('CHILD_OUTPUT', { status: child.status, output: await childStore.getValue('OUTPUT') });
await Actor.setStatusMessage(`Done: ${items.length} items, child ${child.status}`, { isStatusMessageTerminal: true });
await Actor.exit();
