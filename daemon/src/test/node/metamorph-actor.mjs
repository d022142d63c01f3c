// An actor that hands its run over to another actor with the SDK's Actor.metamorph, as on the platform:
// the target (sdk-child.mjs) gets the new input through Actor.getInput() and stores OUTPUT in the same
// run's default key-value store.
import { Actor } from 'apify';

await Actor.init();
const input = await Actor.getInput();
await Actor.setValue('BEFORE_METAMORPH', { target: input.target });
await Actor.metamorph(input.target, { fromParent: input.greeting });
// Not reached when the platform replaces the container (the SDK waits to be stopped after asking).
await Actor.setValue('NOT_STOPPED', true);
await Actor.exit();
