// The actor sdk-actor.mjs calls: stores what it was given as its OUTPUT.
import { Actor } from 'apify';

await Actor.main(async () => {
    const input = await Actor.getInput();
    await Actor.setValue('OUTPUT', { child: true, got: input });
});
