import { Actor } from 'apify';

await Actor.init();
const input = (await Actor.getInput()) ?? {};
const greeting = input.greeting ?? 'hello';
await Actor.pushData({ greeting, builtFrom: 'source' });
await Actor.setValue('OUTPUT', { greeting, version: 1 });
console.log(`Said ${greeting}`);
await Actor.exit();
