// Keeps a counter, persists it whenever the platform asks (persistState), and resumes from what it persisted when it
// starts again: as on another host after its host was drained (#26). It adds no migrating handler: the SDK's default
// one persists and asks for a reboot, the platform's way to migrate at once. RESUMED says where each start began.
import { Actor } from 'apify';

await Actor.init();
const state = (await Actor.getValue('STATE')) ?? { ticks: 0, starts: 0 };
state.starts += 1;
await Actor.setValue('RESUMED', { fromTicks: state.ticks, starts: state.starts });
Actor.on('persistState', async () => {
    await Actor.setValue('STATE', state);
});
state.ticks += 1; // a first tick before STARTED, which the tests wait for: a drain then always has progress to persist
setInterval(() => { state.ticks += 1; }, 50);
await Actor.setValue('STARTED', { at: new Date().toISOString() });
await new Promise(() => {});
