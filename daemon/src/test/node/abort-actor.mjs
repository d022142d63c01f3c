// Saves its state when the platform asks (persistState) and, on a graceful abort, exits by itself: the
// SDK's default aborting handler calls Actor.exit(). With INPUT {"stubborn": true} it removes that
// handler and never exits, so only the kill at the end of the grace period stops it.
import { Actor } from 'apify';

await Actor.init();
const input = (await Actor.getInput()) ?? {};
if (input.stubborn) {
    Actor.off('aborting');
}
const state = (await Actor.getValue('STATE')) ?? { ticks: 0 };
Actor.on('persistState', async ({ isMigrating } = {}) => {
    await Actor.setValue('STATE', { ...state, savedOnPersist: true, isMigrating });
});
state.ticks += 1;
setInterval(() => { state.ticks += 1; }, 50);
await Actor.setValue('STARTED', { at: new Date().toISOString() });
await new Promise(() => {});
