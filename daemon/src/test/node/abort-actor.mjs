// Saves its state when the platform asks (persistState) and, on a graceful abort, exits by itself: the
// SDK's default aborting handler calls Actor.exit(). With STUBBORN=1 it opts out of that and never exits.
import { Actor } from 'apify';

const stubborn = process.env.STUBBORN === '1';
await Actor.init({ gracefulShutdown: !stubborn });
const state = (await Actor.getValue('STATE')) ?? { ticks: 0 };
Actor.on('persistState', async ({ isMigrating } = {}) => {
    await Actor.setValue('STATE', { ...state, savedOnPersist: true, isMigrating });
});
setInterval(() => { state.ticks += 1; }, 50);
await Actor.setValue('STARTED', { at: new Date().toISOString() });
await new Promise(() => {});
