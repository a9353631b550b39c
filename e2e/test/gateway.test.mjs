// The Web2 gateway end to end: a dev node, the deterministic stub model server, the gateway, and
// callers using the official `openai` client with the project's JavaScript client
// (`clients/js`). A thousand metered calls settle in one `settle_batch` with every balance exact
// to the unit; refused calls never reach the model; a stream is metered from its usage chunk; a
// gateway killed with SIGKILL mid-run loses no voucher and charges nothing twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { TributaryClient, openChannel, voucherHeader, voucherPayload } from '@tributary/gateway-client';
import { startDevNode } from '../lib/node.mjs';
import { startGateway, startStub } from '../lib/gateway.mjs';
import { devAccounts, expectOk, eventOf, rpc, versionSpec, MILLI, PERBILL, UNIT } from '../lib/chain.mjs';

let node;
let api;
let who;
let stub;
let gateway;
const models = {};
const PRICE = 1n * MILLI; // per token
const FEE = 200_000_000n; // the provider's fee per token, 0.2 milli
const settledEvents = [];

/** Sends a call that must succeed. */
function ok(tx, signer) {
  return expectOk(api, tx, signer);
}

/** Registers a model at `PRICE` per unit with Charlie's offer at `FEE`; returns its id. */
async function registerModel(name, provider = who.charlie) {
  const r = await ok(
    api.tx.modelRegistry.register(
      name,
      'Text',
      versionSpec({ ownerShare: PERBILL, price: PRICE, derivatives: 'Forbidden', artifactHash: '0x' + '5a'.repeat(32) }),
    ),
    who.bob,
  );
  const model = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  await ok(api.tx.invocationMetering.registerOffer(model, FEE, 'http://gateway.example'), provider);
  return model;
}

/** A channel of `consumer` on `model` with `deposit`, and a client for it at `gateway`. */
async function channelClient(consumer, model, deposit, { provider = who.charlie, url = gateway.url } = {}) {
  const binding = await openChannel(api, consumer, { provider: provider.address, model, deposit, expiresIn: 10_000 });
  return { binding, client: new TributaryClient({ gateway: url, ...binding, signer: consumer }) };
}

function openai(client, url = gateway.url) {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: 'tributary', fetch: client.fetch, maxRetries: 0 });
}

/** Waits until `check()` is truthy (polling every 250 ms), or fails after `timeoutMs`. */
async function eventually(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function channelRecord(channel) {
  const record = await api.query.invocationMetering.channels(channel);
  return record.isSome ? record.unwrap() : null;
}

/** A raw POST to the gateway with an optional voucher header: `{ status, body }`. */
async function post(path, body, header, url = gateway.url) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header ? { 'x-tributary-voucher': header } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

before(async () => {
  who = await devAccounts();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  api = node.api;
  // Every settlement on chain, to count them.
  await api.query.system.events((records) => {
    for (const { event } of records) {
      if (event.section === 'invocationMetering' && event.method === 'ChannelSettled') settledEvents.push(event.data);
    }
  });
  stub = await startStub();
  models.chat = await registerModel('gateway-chat');
  models.other = await registerModel('gateway-other');
  models.down = await registerModel('gateway-down');
  gateway = await startGateway({
    rpcPort: node.rpcPort,
    provider: '//Charlie',
    models: [
      { name: 'stub-chat', modelId: models.chat, upstream: stub.url },
      { name: 'stub-other', modelId: models.other, upstream: stub.url },
      // Nothing listens on port 9: the model server is down.
      { name: 'stub-down', modelId: models.down, upstream: 'http://127.0.0.1:9/v1' },
    ],
    // Settle only at the deadline (a close request), so the thousand calls make one settlement.
    settlement: { amount: 10n ** 18n, maxAgeSecs: 86_400 },
  });
});

after(async () => {
  await gateway?.stop();
  await stub?.stop();
  await node?.stop();
});

describe('the gateway', () => {
  test('GET /v1/models lists the models with this provider’s terms on chain', async () => {
    const list = await (await fetch(`${gateway.url}/v1/models`)).json();
    const chat = list.data.find((model) => model.id === 'stub-chat');
    assert.equal(chat.owned_by, who.charlie.address);
    assert.deepEqual(chat.tributary, {
      model: models.chat, unit: 'tokens', offered: true, version: 1,
      pricePerUnit: String(PRICE + FEE), feePerUnit: String(FEE),
    });
  });

  test('a thousand openai calls settle in one settle_batch, every balance exact', async () => {
    const { dave, charlie } = who;
    const deposit = 100n * UNIT;
    const { binding, client } = await channelClient(dave, models.chat, deposit);
    const ai = openai(client);
    const charlieCreditBefore = (await api.query.royaltyDistribution.credits(charlie.address)).unwrapOr(null)?.toBigInt() ?? 0n;
    const stubBefore = await stub.calls();
    let tokens = 0n;
    for (let i = 0; i < 1_000; i++) {
      const reply = await ai.chat.completions.create({
        model: 'stub-chat',
        messages: [{ role: 'user', content: `call number ${i} please` }],
        max_tokens: 1 + (i % 8),
      });
      assert.equal(reply.usage.total_tokens, 4 + 1 + (i % 8));
      tokens += BigInt(reply.usage.total_tokens);
      assert.equal(client.owed, tokens);
    }
    assert.equal(await stub.calls(), stubBefore + 1_000);
    // The last call is paid with a voucher of its own; nothing is settled yet.
    await client.settleUp();
    assert.equal((await channelRecord(binding.channel)).settledUnits.toBigInt(), 0n);
    const state = await client.state();
    assert.equal(BigInt(state.owed), tokens);
    assert.equal(BigInt(state.voucherUnits), tokens);

    // Dave asks to close: the gateway settles before the challenge period ends, once.
    const before = settledEvents.length;
    await ok(api.tx.invocationMetering.requestClose(binding.channel), dave);
    const record = await eventually(async () => {
      const record = await channelRecord(binding.channel);
      return record.settledUnits.toBigInt() === tokens && record;
    }, 'the settlement');
    const ours = settledEvents.slice(before).filter((data) => data.channel.toNumber() === binding.channel);
    assert.equal(ours.length, 1, 'one settlement');
    const [settled] = ours;
    assert.equal(settled.units.toBigInt(), tokens);
    // Exactly what `tributary_quote` says the units cost, component by component.
    const quote = await rpc(api, 'quote', [models.chat, 1, Number(tokens), charlie.address, null]);
    assert.equal(settled.royalty.toBigInt(), BigInt(quote.royalty));
    assert.equal(settled.protocolFee.toBigInt(), BigInt(quote.protocolFee));
    assert.equal(settled.providerFee.toBigInt(), BigInt(quote.providerFee));
    assert.equal(settled.total.toBigInt(), tokens * (PRICE + FEE));
    assert.equal(BigInt(quote.total), tokens * (PRICE + FEE));
    assert.equal(record.deposit.toBigInt(), deposit - tokens * (PRICE + FEE));
    const credit = (await api.query.royaltyDistribution.credits(charlie.address)).unwrap().toBigInt();
    assert.equal(credit - charlieCreditBefore, tokens * FEE);
    const revenue = await api.query.royaltyDistribution.undistributed(models.chat, 1);
    assert.equal(revenue.unwrap().amount.toBigInt(), BigInt(quote.royalty));
  });

  test('refused vouchers get 401/402 with a clear code and never reach the model', async () => {
    const { eve, ferdie, dave } = who;
    const { binding, client } = await channelClient(eve, models.other, 10n * UNIT);
    const ai = openai(client);
    await ai.chat.completions.create({ model: 'stub-other', messages: [{ role: 'user', content: 'one two' }], max_tokens: 3 });
    assert.equal(client.owed, 5n);
    const call = { model: 'stub-other', messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 };
    const signed = (units, { signer = eve, genesisHash = binding.genesisHash, provider = binding.provider } = {}) => {
      const payload = voucherPayload({ ...binding, genesisHash, provider, units });
      return voucherHeader({ genesisHash, channel: binding.channel, units, signature: signer.sign(payload), scheme: signer.type });
    };
    // A channel of the same consumer paying Ferdie, not Charlie.
    await ok(api.tx.invocationMetering.registerOffer(models.other, FEE, 'http://ferdie.example'), ferdie);
    const elsewhere = await openChannel(api, eve, { provider: ferdie.address, model: models.other, deposit: UNIT, expiresIn: 10_000 });
    const ferdieVoucher = voucherHeader({
      ...elsewhere, units: 0, scheme: 'sr25519', signature: eve.sign(voucherPayload({ ...elsewhere, units: 0 })),
    });
    // A channel on another model.
    const chatChannel = await channelClient(dave, models.chat, UNIT);
    const cases = [
      ['no voucher', undefined, 401, 'missing_voucher'],
      ['a stale voucher', signed(4n), 402, 'voucher_behind'],
      ['a voucher ahead of the calls', signed(6n), 400, 'voucher_ahead'],
      ['a foreign chain', signed(5n, { genesisHash: '0x' + '77'.repeat(32) }), 401, 'wrong_chain'],
      ['the wrong signer', signed(5n, { signer: dave }), 401, 'bad_signature'],
      ['another provider', ferdieVoucher, 401, 'wrong_provider'],
      ['a voucher bound to another provider', signed(5n, { provider: ferdie.addressRaw }), 401, 'bad_signature'],
      ['another model', chatChannel.client.header(), 400, 'channel_model_mismatch'],
      ['garbage', '0x1234', 401, 'malformed_voucher'],
    ];
    const before = await stub.calls();
    for (const [what, header, status, code] of cases) {
      const response = await post('/v1/chat/completions', call, header);
      assert.equal(response.status, status, what);
      assert.equal(response.body.error.code, code, what);
      assert.ok(response.body.error.message.length > 10, what);
    }
    // More than the deposit covers: 10 TRIB cover 8,333 tokens at 1.2 milli.
    const huge = await post('/v1/chat/completions', { ...call, max_tokens: 9_000 }, client.header());
    assert.equal(huge.status, 402);
    assert.equal(huge.body.error.code, 'deposit_short');
    // More than one call may cost here (max_call_units, 32,768 by default), and content whose
    // tokens its bytes do not bound.
    const tooLarge = await post('/v1/chat/completions', { ...call, max_tokens: 40_000 }, client.header());
    assert.equal(tooLarge.status, 400);
    assert.equal(tooLarge.body.error.code, 'call_too_large');
    const image = [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] }];
    const withImage = await post('/v1/chat/completions', { ...call, messages: image }, client.header());
    assert.equal(withImage.status, 400);
    assert.match(withImage.body.error.message, /image_url/);
    // An unknown model is a 404.
    const unknown = await post('/v1/chat/completions', { ...call, model: 'gpt-4' }, client.header());
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'model_not_found');
    assert.equal(await stub.calls(), before, 'no refused call reached the model');
    assert.equal(client.owed, 5n, 'nothing was charged');
    // The openai client surfaces a refusal as its APIError with the status and code.
    client.owed = 4n;
    await assert.rejects(ai.chat.completions.create(call), (error) => error.status === 402 && error.code === 'voucher_behind');
    client.owed = 5n;
    const state = await client.state();
    assert.equal(BigInt(state.owed), 5n);
  });

  test('a model server that is down is a 502 and charges nothing', async () => {
    const { ferdie } = who;
    const { client } = await channelClient(ferdie, models.down, UNIT);
    const ai = openai(client);
    await assert.rejects(
      ai.chat.completions.create({ model: 'stub-down', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 }),
      (error) => error.status === 502 && error.code === 'upstream_failed',
    );
    assert.equal(client.owed, 0n);
    assert.equal(BigInt((await client.state()).owed), 0n);
  });

  test('a streamed call is metered from its final usage chunk', async () => {
    const { alice } = who;
    const { client } = await channelClient(alice, models.chat, UNIT);
    const ai = openai(client);
    let text = '';
    let usageChunks = 0;
    const stream = await ai.chat.completions.create({
      model: 'stub-chat', messages: [{ role: 'user', content: 'stream three words' }], max_tokens: 6, stream: true,
    });
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usageChunks += 1;
    }
    assert.equal(text, 'tok '.repeat(6));
    assert.equal(usageChunks, 0, 'the caller did not ask for usage: the gateway’s usage chunk is not relayed');
    assert.equal(client.owed, 3n + 6n);
    // Asked for, the usage chunk is relayed and agrees with the charge.
    const withUsage = await ai.chat.completions.create({
      model: 'stub-chat', messages: [{ role: 'user', content: 'again' }], max_tokens: 2, stream: true,
      stream_options: { include_usage: true },
    });
    let usage = null;
    for await (const chunk of withUsage) usage = chunk.usage ?? usage;
    assert.equal(usage.total_tokens, 3);
    assert.equal(client.owed, 12n);
    assert.equal(BigInt((await client.state()).owed), 12n);
  });

  test('attacks on the provider: calls sent at once on one voucher, a caller leaving a stream', async () => {
    const { eve } = who;
    const { binding, client } = await channelClient(eve, models.chat, 10n * UNIT);
    // Ten calls at once on one channel with one voucher: one is answered; the others are
    // refused without reaching the model — 429 call_in_flight while it is answered, 402
    // voucher_behind once it is (the voucher no longer covers what is owed). At most one call is
    // ever unpaid.
    const header = client.header();
    const before = await stub.calls();
    const call = { model: 'stub-chat', messages: [{ role: 'user', content: 'at once' }], max_tokens: 8 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => post('/v1/chat/completions', call, header)));
    assert.equal(answers.filter((answer) => answer.status === 200).length, 1);
    for (const answer of answers.filter((answer) => answer.status !== 200)) {
      assert.ok(
        (answer.status === 429 && answer.body.error.code === 'call_in_flight')
          || (answer.status === 402 && answer.body.error.code === 'voucher_behind'),
        JSON.stringify(answer.body),
      );
    }
    assert.equal(await stub.calls(), before + 1);
    const owed = BigInt(answers.find((answer) => answer.status === 200).headers.get('x-tributary-owed'));
    assert.equal(owed, 10n);

    // A caller that reads a stream and hangs up before its end is charged all the same: the
    // model server answered the whole call.
    client.owed = owed;
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tributary-voucher': client.header() },
      body: JSON.stringify({ ...call, stream: true }),
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    const reader = response.body.getReader();
    await reader.read();
    controller.abort();
    await eventually(async () => BigInt((await client.state()).owed) === owed + 10n, 'the stream’s charge');

    // The command-line signer's header works as a curl user would send it.
    const { execFileSync } = await import('node:child_process');
    const cli = execFileSync(`${process.env.CARGO_TARGET_DIR || '/var/tmp/tributary-target'}/debug/tributary-voucher`, [
      '--suri', '//Eve', '--genesis', binding.genesisHash, '--channel', String(binding.channel),
      '--provider', who.charlie.address, '--nonce', binding.nonce, '--units', String(owed + 10n), '--header',
    ], { encoding: 'utf8' });
    const [name, value] = cli.trim().split(': ');
    assert.equal(name, 'X-Tributary-Voucher');
    const viaCli = await post('/v1/chat/completions', call, value);
    assert.equal(viaCli.status, 200, JSON.stringify(viaCli.body));
    assert.equal(BigInt(viaCli.headers.get('x-tributary-owed')), owed + 20n);
  });

  test('a gateway killed mid-run loses no voucher and charges nothing twice', async () => {
    // The same gateway again: its journal, its address.
    const restart = (killed) => startGateway({
      rpcPort: node.rpcPort,
      provider: '//Charlie',
      models: [{ name: 'stub-chat', modelId: models.chat, upstream: stub.url }],
      settlement: { amount: 10n ** 18n, maxAgeSecs: 86_400 },
      journalDir: killed.journalDir,
      port: new URL(killed.url).port,
    });
    const { bob } = who;
    const { binding, client } = await channelClient(bob, models.chat, 10n * UNIT);
    let ai = openai(client);
    const call = (i) => ai.chat.completions.create({
      model: 'stub-chat', messages: [{ role: 'user', content: `crash ${i}` }], max_tokens: 2,
    });
    for (let i = 0; i < 50; i++) await call(i);
    assert.equal(client.owed, 200n);
    // Killed with a call in flight: that call's answer is lost and it is not charged.
    const inFlight = call(50).then(() => 'answered', () => 'lost');
    await gateway.stop('SIGKILL');
    const outcome = await inFlight;
    gateway = await restart(gateway);
    // The restarted gateway knows what the channel owes from its journal.
    const state = await client.state();
    const expected = outcome === 'answered' ? 204n : 200n;
    assert.equal(BigInt(state.owed), expected);
    assert.equal(client.owed, expected);
    ai = openai(client);
    for (let i = 51; i < 60; i++) await call(i);
    assert.equal(client.owed, expected + 36n);
    await client.settleUp();
    // A second crash, then the close: the journal's voucher settles once, for every unit.
    await gateway.stop('SIGKILL');
    gateway = await restart(gateway);
    const before = settledEvents.length;
    await ok(api.tx.invocationMetering.requestClose(binding.channel), bob);
    await eventually(async () => (await channelRecord(binding.channel)).settledUnits.toBigInt() === client.owed, 'the settlement');
    const ours = settledEvents.slice(before).filter((data) => data.channel.toNumber() === binding.channel);
    assert.equal(ours.length, 1);
    assert.equal(ours[0].units.toBigInt(), client.owed);
    assert.equal((await channelRecord(binding.channel)).deposit.toBigInt(), 10n * UNIT - client.owed * (PRICE + FEE));
  });
});
