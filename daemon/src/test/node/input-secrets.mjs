// Decrypts an INPUT as the apify SDK's Actor.getInput() does (apify 3.7.2, dist/actor.js): the private key from
// APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE (base64 of the encrypted PEM) with APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE,
// then @apify/input_secrets' decryptInputSecrets. Prints the decrypted input as JSON.
//   node input-secrets.mjs '<input JSON>'
import { createPrivateKey } from 'node:crypto';
import { decryptInputSecrets } from '@apify/input_secrets';

const { APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE: file, APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE: passphrase } = process.env;
const privateKey = createPrivateKey({ key: Buffer.from(file, 'base64'), passphrase });
const input = JSON.parse(process.argv[2]);
console.log(JSON.stringify(decryptInputSecrets({ input, privateKey })));
