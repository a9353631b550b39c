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
    res.writeHead(200, { 'content-type': 'text/event-stream' });
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
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    res.end('data: {}\n\n: tributary owed=30 units=17\n\ndata: [DONE]\n\n');
  };
  const response = await client.fetch(`${gateway}/v1/chat/completions`, chat);
  await assert.rejects(response.text(), /does not add up/);
  assert.equal(client.owed, 3n);
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

test('state reads units as numbers or strings; resync adopts owed', async () => {
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
  assert.deepEqual(await client.resync(), expected);
  assert.equal(client.owed, 42n);
});
