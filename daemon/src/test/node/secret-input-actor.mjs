// An actor with an input schema that has a secret field (SdkActorsContract gives its build the schema): stores
// what Actor.getInput() returned, the secret decrypted by the SDK and the defaults the platform filled in, as
// its OUTPUT, and what the INPUT record itself holds as RAW_INPUT.
import { Actor } from 'apify';

await Actor.main(async () => {
    const input = await Actor.getInput();
    await Actor.setValue('OUTPUT', input);
    await Actor.setValue('RAW_INPUT', await Actor.getValue('INPUT'));
});
