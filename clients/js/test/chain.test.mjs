// No node runs here: a stand-in for the few parts of polkadot.js's ApiPromise the helpers touch
// checks the call's arguments and how its outcome is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openChannel, readChannel, topUp } from '../src/index.mjs';

const hex = (value) => ({ toHex: () => value });
const number = (value) => ({ toNumber: () => value, toBigInt: () => BigInt(value) });
const status = (type) => ({ type, isInBlock: type === 'InBlock', isFinalized: type === 'Finalized' });

/** An api whose `invocationMetering` calls end with `outcome` ({ events } or { dispatchError }). */
function fakeApi(outcome) {
  const sent = [];
  const call = (name) => (...args) => ({
    signAndSend(pair, callback) {
      sent.push({ name, args, pair });
      let stopped = false;
      setImmediate(() => callback({ status: status('Ready'), events: [] }));
      setImmediate(() => !stopped && callback({ status: status('InBlock'), events: [], ...outcome }));
      return Promise.resolve(() => (stopped = true));
    },
  });
  return {
    sent,
    genesisHash: hex('0x' + '42'.repeat(32)),
    rpc: { chain: { getHeader: async () => ({ number: number(100) }) } },
    tx: { invocationMetering: { openChannel: call('openChannel'), topUp: call('topUp') } },
    registry: { findMetaError: () => ({ section: 'invocationMetering', name: 'DepositTooLow' }) },
  };
}

const event = (method, data) => ({ event: { section: 'invocationMetering', method, data } });

test('openChannel sends the arguments in the order of open_channel and reads ChannelOpened', async () => {
  const api = fakeApi({
    events: [
      event('ChannelOpened', { channel: number(7), nonce: hex('0x' + '11'.repeat(32)), provider: hex('0x' + '8e'.repeat(32)) }),
    ],
  });
  const pair = { address: 'alice' };
  const opened = await openChannel(api, pair, { provider: 'bob', model: 2, deposit: 10n ** 12n, expiresIn: 50 });
  assert.deepEqual(api.sent, [{ name: 'openChannel', args: ['bob', 2, null, 10n ** 12n, 150], pair }]);
  assert.deepEqual(opened, {
    channel: 7,
    nonce: '0x' + '11'.repeat(32),
    provider: '0x' + '8e'.repeat(32),
    genesisHash: '0x' + '42'.repeat(32),
  });
});

test('a failed call rejects with its pallet error', async () => {
  const api = fakeApi({ dispatchError: { isModule: true, asModule: {} } });
  await assert.rejects(openChannel(api, {}, { provider: 'bob', model: 2, deposit: 1n, expiresIn: 5 }), {
    message: 'invocationMetering.DepositTooLow',
  });
  await assert.rejects(topUp(api, {}, 7, 1n), { message: 'invocationMetering.DepositTooLow' });
});

test('topUp reads ChannelToppedUp', async () => {
  const api = fakeApi({ events: [event('ChannelToppedUp', { channel: number(7), amount: number(5), deposit: number(25) })] });
  assert.deepEqual(await topUp(api, {}, 7, 5n), { channel: 7, amount: 5n, deposit: 25n });
  assert.deepEqual(api.sent[0].args, [7, 5n]);
});

test('readChannel gives plain values, or null for a closed channel', async () => {
  const record = {
    provider: hex('0x' + '8e'.repeat(32)),
    nonce: hex('0x' + '11'.repeat(32)),
    consumer: hex('0x' + 'd4'.repeat(32)),
    model: number(2),
    deposit: number(1000),
    settledUnits: number(40),
  };
  const channels = { 7: { isNone: false, unwrap: () => record }, 8: { isNone: true } };
  const api = { query: { invocationMetering: { channels: async (id) => channels[id] } } };
  assert.deepEqual(await readChannel(api, 7), {
    provider: '0x' + '8e'.repeat(32),
    nonce: '0x' + '11'.repeat(32),
    consumer: '0x' + 'd4'.repeat(32),
    model: 2,
    deposit: 1000n,
    settledUnits: 40n,
  });
  assert.equal(await readChannel(api, 8), null);
});
