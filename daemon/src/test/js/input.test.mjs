// Input schemas through the published apify-client: actor().validateInput(), starts refused for invalid input,
// defaults and encrypted secrets in INPUT, a schema from a version's source. Run by run.sh, which
// InputSchemaClientIT calls with:
//   ACTORD_URL, ACTORD_TOKEN  the daemon and a token of it
//   ACTOR       an actor whose latest build has the input schema of InputSchemaClientIT (url required,
//               maxPages default 10 and minimum 1, password secret)
//   BASE_IMAGE  a named image the daemon's (scripted) builder builds versions FROM
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApifyClient } from 'apify-client';

const { ACTORD_URL, ACTORD_TOKEN, ACTOR, BASE_IMAGE } = process.env;
const client = new ApifyClient({ baseUrl: ACTORD_URL, token: ACTORD_TOKEN, maxRetries: 0, timeoutSecs: 120 });

/** An assert.rejects check: a 400 invalid-input whose message names each of `fields`. */
const invalidInput = (...fields) => (err) => {
  assert.equal(err.statusCode, 400, err.message);
  assert.equal(err.type, 'invalid-input', err.message);
  assert.match(err.message, /^Input is not valid: /);
  for (const f of fields) assert.match(err.message, new RegExp(`Field input\\.${f} `));
  return true;
};

test('validateInput() is true for valid input, against the default build or a named one', async () => {
  assert.equal(await client.actor(ACTOR).validateInput({ url: 'https://a.test' }), true);
  assert.equal(await client.actor(ACTOR).validateInput({ url: 'https://a.test', maxPages: 3 }, { build: 'latest' }),
    true);
});

test('validateInput() rejects invalid input with 400 invalid-input naming each bad field', async () => {
  await assert.rejects(client.actor(ACTOR).validateInput({ maxPages: 0 }), invalidInput('url', 'maxPages'));
  await assert.rejects(client.actor(ACTOR).validateInput({ url: 5 }), (err) => {
    assert.match(err.message, /Field input\.url must be string/);
    return true;
  });
  await assert.rejects(client.actor(ACTOR).validateInput({}, { build: 'no-such-tag' }), (err) => {
    assert.equal(err.statusCode, 403, 'the platform answers an unknown build tag with 403');
    assert.equal(err.type, 'unknown-build-tag');
    return true;
  });
});

test('start() with invalid input is refused and starts no run', async () => {
  const before = (await client.actor(ACTOR).runs().list()).total;
  await assert.rejects(client.actor(ACTOR).start({ url: 'https://a.test', maxPages: -1 }), invalidInput('maxPages'));
  assert.equal((await client.actor(ACTOR).runs().list()).total, before);
});

test('call() stores INPUT with the defaults filled and the secret encrypted', async () => {
  const run = await client.actor(ACTOR).call({ url: 'https://a.test', password: 'client-secret' }, { waitSecs: 60 });
  const { value } = await client.keyValueStore(run.defaultKeyValueStoreId).getRecord('INPUT');
  assert.equal(value.url, 'https://a.test');
  assert.equal(value.maxPages, 10, 'the default');
  assert.equal(value.proxy, undefined, 'a prefill is not a default');
  assert.match(value.password, /^ENCRYPTED_VALUE:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  const build = await client.build(run.buildId).get();
  assert.deepEqual(build.actorDefinition.input.required, ['url']);
  assert.equal(JSON.parse(build.inputSchema).properties.maxPages.default, 10);
});

test('a version built from source validates with its .actor/input_schema.json', async () => {
  const { id } = await client.actors().create({ name: `schema-${Date.now()}` });
  const actor = client.actor(id);
  const schema = {
    title: 'Search', type: 'object', schemaVersion: 1, required: ['query'],
    properties: { query: { title: 'Query', type: 'string', editor: 'textfield', description: 'd', minLength: 2 } },
  };
  const files = (inputSchema) => [
    { name: '.actor/actor.json', format: 'TEXT',
      content: JSON.stringify({ actorSpecification: 1, name: 'schema', version: '0.1', input: './input_schema.json' }) },
    { name: '.actor/input_schema.json', format: 'TEXT', content: JSON.stringify(inputSchema) },
    { name: '.actor/Dockerfile', format: 'TEXT', content: `FROM ${BASE_IMAGE}\n` },
  ];
  await actor.versions().create({ versionNumber: '0.1', sourceType: 'SOURCE_FILES', sourceFiles: files(schema) });
  let build = await actor.build('0.1', { waitForFinish: 60 });
  build = await client.build(build.id).waitForFinish({ waitSecs: 60 });
  assert.equal(build.status, 'SUCCEEDED', await client.build(build.id).log().get());
  assert.equal(await actor.validateInput({ query: 'ok' }), true);
  await assert.rejects(actor.validateInput({ query: 'x' }), invalidInput('query'));
  await assert.rejects(actor.start({}), invalidInput('query'));

  await actor.version('0.1').update({ sourceFiles: files({ ...schema, properties: { query: { type: 'date' } } }) });
  let broken = await actor.build('0.1', { waitForFinish: 60 });
  broken = await client.build(broken.id).waitForFinish({ waitSecs: 60 });
  assert.equal(broken.status, 'FAILED');
  assert.match(await client.build(broken.id).log().get(), /Input schema is not valid \(Field schema\.properties\.query/);
});
