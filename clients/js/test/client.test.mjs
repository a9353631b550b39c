// A node:http server stands in for the gateway, so what the client sends and what it adopts are
// both seen exactly.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { TributaryClient, voucherPayload } from '../src/index.mjs';
import { toHex } from '../src/bytes.mjs';

const binding = {
  genesisHash: '0x' + '42'.repeat(32),
  channel: 3,
  nonce: '0x' + '11'.repeat(32),
  provider: '0x' + '8e'.repeat(32),
};

let gateway;
let server;
let respond; // what the gateway answers to the next request
const received = [];

before(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ method: req.method, url: req.url, headers: req.headers, body });
    await respond(res, req);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway = `http://127.0.0.1:${server.address().port}`;
  await cryptoWaitReady();
});

after(() => {
  server.closeAllConnections();
  server.close();
});

/** A client of `binding` signing as sr25519 //Alice, counting its signatures. */
function newClient(owed = 0) {
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const signer = {
    type: alice.type,
    signed: 0,
    sign(payload) {
      this.signed += 1;
      return alice.sign(payload);
    },
  };
  return { client: new TributaryClient({ gateway, ...binding, signer, owed }), signer, alice };
}

/** The voucher a request carried, after checking its signature is the consumer's over the binding. */
function voucherOf(request, address) {
  const bytes = Buffer.from(request.headers['x-tributary-voucher'].slice(2), 'hex');
  assert.equal(bytes.length, 32 + 8 + 8 + 1 + 64);
  assert.equal(toHex(bytes.subarray(0, 32)), binding.genesisHash);
  assert.equal(bytes.readBigUInt64LE(32), BigInt(binding.channel));
  assert.equal(bytes[48], 0x01, 'sr25519');
  const units = bytes.readBigUInt64LE(40);
  const payload = voucherPayload({ ...binding, units });
  assert.ok(signatureVerify(payload, bytes.subarray(49), address).isValid, 'signed over the binding');
  return units;
}

/** A chat completion answer charged `units` (of `tokens` used) taking the count to `owed`. */
function completion({ owed, units, tokens = units, unit = 'tokens' }) {
  return (res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-tributary-owed': String(owed),
      'x-tributary-units': String(units),
      'x-tributary-unit': unit,
    });
    res.end(JSON.stringify({ choices: [{ message: { content: 'hi' } }], usage: { total_tokens: tokens } }));
  };
}

function refusal(status, code, message) {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message, type: 'insufficient_quota', param: null, code } }));
  };
}

const chat = { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer tributary' }, body: '{}' };

test('each call carries a voucher for what the calls before it owe', async () => {
  const { client, signer, alice } = newClient();
  respond = completion({ owed: 12, units: 12 });
  // The openai client calls fetch unbound.
  const first = await client.fetch.call(undefined, `${gateway}/v1/chat/completions`, chat);
  assert.equal((await first.json()).usage.total_tokens, 12);
  assert.equal(voucherOf(received.at(-1), alice.address), 0n);
  assert.equal(received.at(-1).headers.authorization, 'Bearer tributary', 'the caller headers pass through');
  assert.equal(client.owed, 12n);

  respond = completion({ owed: 20, units: 8 });
  await (await client.fetch(`${gateway}/v1/chat/completions`, chat)).json();
  assert.equal(voucherOf(received.at(-1), alice.address), 12n);
  assert.equal(client.owed, 20n);

  // The same count is signed once.
  respond = refusal(502, 'upstream_failed', 'The model server failed (timeout); nothing was charged.');
  await client.fetch(`${gateway}/v1/chat/completions`, chat);
  respond = completion({ owed: 21, units: 1, unit: 'calls' });
  await (await client.fetch(new Request(`${gateway}/v1/embeddings`, chat))).json();
  assert.equal(voucherOf(received.at(-1), alice.address), 20n);
  assert.equal(received.at(-1).headers.authorization, 'Bearer tributary', "a Request's headers pass through");
  assert.equal(client.owed, 21n);
  assert.equal(signer.signed, 3, 'one signature for each of 0, 12 and 20');
});

test('an overcharge is refused and not adopted', async () => {
  const { client } = newClient(5);
  respond = completion({ owed: 35, units: 30, tokens: 10 });
  const response = await client.fetch(`${gateway}/v1/chat/completions`, chat);
  await assert.rejects(response.json(), /gateway overcharges: 30 units for a call that used 10 tokens/);
  assert.equal(client.owed, 5n);

  respond = completion({ owed: 50, units: 10 });
  await assert.rejects((await client.fetch(`${gateway}/v1/chat/completions`, chat)).json(), /does not add up/);
  assert.equal(client.owed, 5n);

  respond = completion({ owed: 15, units: 10 });
  await (await client.fetch(`${gateway}/v1/chat/completions`, chat)).json();
  assert.equal(client.owed, 15n);
});

test("a stream's charge is read from its closing comment, split across chunks", async () => {
  const { client } = newClient(3);
  const data = Buffer.from('data: {"choices":[{"delta":{"content":"héllo"}}]}\n\n');
  const split = data.indexOf('é') + 1; // inside the two bytes of é
  const chunks = [data.subarray(0, split), data.subarray(split), ': tribu', 'tary owed=2', '0 units=17\r', '\n\ndata: [DONE]\n\n'];
  respond = async (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-tributary-unit': 'tokens' });
    for (const chunk of chunks) {
      res.write(chunk);
      await sleep(15);
    }
    res.end();
  };
  const response = await client.fetch(`${gateway}/v1/chat/completions`, chat);
  assert.equal(client.owed, 3n, 'not before the stream ends');
  const body = Buffer.from(await response.arrayBuffer());
  assert.deepEqual(body, Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))), 'every byte passes unchanged');
  assert.equal(client.owed, 20n);
});

test('a stream charging what does not add up fails its reader', async () => {
  const { client } = newClient(3);
  respond = (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-tributary-unit': 'tokens' });
    res.end('data: {}\n\n: tributary owed=30 units=17\n\ndata: [DONE]\n\n');
  };
  const response = await client.fetch(`${gateway}/v1/chat/completions`, chat);
  await assert.rejects(response.text(), /does not add up/);
  assert.equal(client.owed, 3n);
});

/** A POST of `request` as the openai client sends it: the body a JSON string. */
function post(request) {
  const body = JSON.stringify(request);
  return { init: { ...chat, body }, bytes: Buffer.byteLength(body) };
}

/** A stream of `events` (data payloads) closed by the charge `units` taking the count to `owed`. */
function stream({ owed, units, unit = 'tokens', events = ['{"choices":[{"delta":{"content":"hi"}}]}'] }) {
  return (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-tributary-unit': unit });
    for (const event of events) res.write(`data: ${event}\n\n`);
    res.end(`: tributary owed=${owed} units=${units}\n\ndata: [DONE]\n\n`);
  };
}

test("a charge above the bound of the call's own request is refused", async () => {
  const { client } = newClient(5);
  // UTF-8 bytes, as the gateway counts them: é is two.
  const { init, bytes } = post({ model: 'm', messages: [{ role: 'user', content: 'héllo' }], max_tokens: 7 });
  const bound = BigInt(bytes + 7);
  respond = completion({ owed: 5n + bound + 1n, units: bound + 1n, tokens: 10_000 });
  const response = await client.fetch(`${gateway}/v1/chat/completions`, init);
  await assert.rejects(response.json(), new RegExp(`gateway overcharges: ${bound + 1n} units for a call its request bounds at ${bound} tokens`));
  assert.equal(client.owed, 5n);

  respond = completion({ owed: 5n + bound, units: bound, tokens: 10_000 });
  await (await client.fetch(`${gateway}/v1/chat/completions`, init)).json();
  assert.equal(client.owed, 5n + bound, 'the bound itself is fair');
});

test('the bound takes the larger limit times n, best_of and the prompts; embeddings complete nothing', async () => {
  const { client } = newClient();
  const completions = post({ model: 'm', prompt: ['a', 'b', 'c'], max_tokens: 2, max_completion_tokens: 4, n: 2, best_of: 3 });
  const bound = BigInt(completions.bytes + 4 * 2 * 3 * 3);
  respond = completion({ owed: bound + 1n, units: bound + 1n, tokens: 10_000 });
  await assert.rejects((await client.fetch(`${gateway}/v1/completions`, completions.init)).text(), /overcharges/);
  respond = completion({ owed: bound, units: bound, tokens: 10_000 });
  await (await client.fetch(`${gateway}/v1/completions`, completions.init)).text();
  assert.equal(client.owed, bound);

  const tokenArrays = post({ model: 'm', prompt: [[1, 2], [3]], max_tokens: 5 });
  const arraysBound = BigInt(tokenArrays.bytes + 5 * 2);
  respond = completion({ owed: bound + arraysBound + 1n, units: arraysBound + 1n, tokens: 10_000 });
  await assert.rejects((await client.fetch(`${gateway}/v1/completions`, tokenArrays.init)).text(), /overcharges/);
  assert.equal(client.owed, bound);

  const embeddings = post({ model: 'm', input: 'some text', max_tokens: 100 });
  respond = completion({ owed: bound + BigInt(embeddings.bytes) + 1n, units: embeddings.bytes + 1, tokens: 10_000 });
  await assert.rejects((await client.fetch(`${gateway}/v1/embeddings`, embeddings.init)).text(), /overcharges/);
  assert.equal(client.owed, bound);
});

test('without a completion limit only the tokens used bound the charge', async () => {
  const { client } = newClient();
  const { init, bytes } = post({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
  // The model's default limit, unknown to the client, lets a call cost more than its bytes.
  respond = completion({ owed: bytes + 50, units: bytes + 50 });
  await (await client.fetch(`${gateway}/v1/chat/completions`, init)).json();
  assert.equal(client.owed, BigInt(bytes + 50));
});

test("a stream's charge above its request's bound fails its reader", async () => {
  const { client } = newClient(3);
  const { init, bytes } = post({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, stream: true });
  respond = stream({ owed: 3 + bytes + 5, units: bytes + 5 });
  const response = await client.fetch(`${gateway}/v1/chat/completions`, init);
  await assert.rejects(response.text(), /overcharges/);
  assert.equal(client.owed, 3n);
});

test('a stream that asked for usage is charged no more than its usage chunk says', async () => {
  const { client } = newClient(3);
  const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 40, stream: true, stream_options: { include_usage: true } };
  const { init } = post(request);
  const usage = '{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":5,"total_tokens":9}}';
  respond = stream({ owed: 13, units: 10, events: ['{"choices":[{"delta":{"content":"hi"}}]}', usage] });
  await assert.rejects((await client.fetch(`${gateway}/v1/chat/completions`, init)).text(), /10 units for a call that used 9 tokens/);
  assert.equal(client.owed, 3n);

  respond = stream({ owed: 12, units: 9 });
  await assert.rejects((await client.fetch(`${gateway}/v1/chat/completions`, init)).text(), /without the usage it was asked for/);
  assert.equal(client.owed, 3n);

  // An event's data may come in several lines.
  const split = usage.replace('"usage":', '\ndata: "usage":');
  respond = stream({ owed: 12, units: 9, events: [split] });
  await (await client.fetch(`${gateway}/v1/chat/completions`, init)).text();
  assert.equal(client.owed, 12n);
});

test('a model metered in calls is charged one unit a call', async () => {
  const { client } = newClient(7);
  respond = completion({ owed: 9, units: 2, unit: 'calls' });
  await assert.rejects((await client.fetch(`${gateway}/v1/embeddings`, chat)).json(), /2 units for one call of a model metered in calls/);
  assert.equal(client.owed, 7n);

  respond = stream({ owed: 9, units: 2, unit: 'calls' });
  await assert.rejects((await client.fetch(`${gateway}/v1/chat/completions`, chat)).text(), /metered in calls/);
  assert.equal(client.owed, 7n);

  respond = stream({ owed: 8, units: 1, unit: 'calls' });
  await (await client.fetch(`${gateway}/v1/chat/completions`, chat)).text();
  assert.equal(client.owed, 8n);
});

test('a charge in no known unit is refused', async () => {
  const { client } = newClient(7);
  respond = stream({ owed: 8, units: 1, unit: 'bytes' });
  await assert.rejects((await client.fetch(`${gateway}/v1/chat/completions`, chat)).text(), /unknown unit \(bytes\)/);
  assert.equal(client.owed, 7n);
});

test('refusals leave owed unchanged and are exposed', async () => {
  const { client } = newClient(9);
  const message = 'The voucher signs for 5 units; 12 are owed for the calls answered.';
  respond = refusal(402, 'voucher_behind', message);
  const response = await client.fetch(`${gateway}/v1/chat/completions`, chat);
  assert.equal(response.status, 402);
  assert.equal((await response.json()).error.code, 'voucher_behind', 'the body is left for the caller');
  assert.deepEqual(client.lastRefusal, { status: 402, code: 'voucher_behind', message, owed: 12n });
  assert.equal(client.owed, 9n);

  respond = refusal(401, 'bad_signature', "The signature is not the channel consumer's over this voucher.");
  await client.fetch(`${gateway}/v1/chat/completions`, chat);
  assert.equal(client.lastRefusal.code, 'bad_signature');
  assert.equal(client.lastRefusal.owed, null);
  assert.equal(client.owed, 9n);
});

test('unmetered answers pass as they are', async () => {
  const { client } = newClient(4);
  respond = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"object":"list","data":[]}');
  };
  const response = await client.fetch(`${gateway}/v1/models`);
  assert.deepEqual(await response.json(), { object: 'list', data: [] });
  assert.equal(client.owed, 4n);
});

test('settleUp sends the voucher for what is owed, without a body', async () => {
  const { client, alice } = newClient(21);
  respond = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"accepted":21}');
  };
  assert.deepEqual(await client.settleUp(), { accepted: 21 });
  const request = received.at(-1);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, '/v1/tributary/vouchers');
  assert.equal(request.body, '');
  assert.equal(voucherOf(request, alice.address), 21n);

  respond = refusal(401, 'bad_signature', 'no');
  await assert.rejects(client.settleUp(), /gateway refused \(401 bad_signature\): no/);
});

test('state reads units as numbers or strings', async () => {
  const { client } = newClient();
  respond = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"channel":3,"owed":"42","voucherUnits":40,"settledUnits":"10","coveredUnits":1000,"closing":false}');
  };
  const expected = { channel: 3, owed: 42n, voucherUnits: 40n, settledUnits: 10n, coveredUnits: 1000n, closing: false };
  assert.deepEqual(await client.state(), expected);
  assert.equal(received.at(-1).method, 'GET');
  assert.equal(received.at(-1).url, '/v1/tributary/channels/3');
  assert.equal(client.owed, 0n);
});

test('resync refuses a raise beyond maxResync unless trusted, and adopts a lower count', async () => {
  const answer = (owed) => (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ channel: 3, owed, voucherUnits: null, settledUnits: null, coveredUnits: null, closing: false }));
  };
  const { client } = newClient(40);
  respond = answer(42);
  await assert.rejects(client.resync(), (error) => {
    assert.match(error.message, /gateway claims 42 units owed, 2 more than the 40 this client counted/);
    assert.equal(error.state.owed, 42n);
    return true;
  });
  assert.equal(client.owed, 40n);
  assert.equal((await client.resync({ trust: true })).owed, 42n);
  assert.equal(client.owed, 42n);

  respond = answer(30);
  await client.resync();
  assert.equal(client.owed, 30n, 'a lower count costs the caller nothing');

  const lenient = new TributaryClient({ gateway, ...binding, signer: newClient().signer, owed: 30, maxResync: 5 });
  respond = answer(35);
  await lenient.resync();
  assert.equal(lenient.owed, 35n);
  respond = answer(41);
  await assert.rejects(lenient.resync(), /maxResync 5/);
  assert.equal(lenient.owed, 35n);
});
