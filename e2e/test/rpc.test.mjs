// The tributary_* RPC methods' edges: an unknown id is a JSON-RPC error with code 4004 in every
// method, a refused quote or voucher an error with code 4000 naming the pallet error, and every
// method reads at the block hash it is given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from '../lib/node.mjs';
import { expectOk, eventOf } from '../lib/tx.mjs';

let node;
let api;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  api = node.api;
});

after(async () => {
  await node?.stop();
});

function rpc(method, params) {
  return api._rpcCore.provider.send(`tributary_${method}`, params);
}

async function rpcError(method, params) {
  try {
    await rpc(method, params);
  } catch (error) {
    return error.message;
  }
  assert.fail(`tributary_${method} succeeded`);
}

test('unknown ids and refusals are clear JSON-RPC errors', async () => {
  const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
  assert.match(await rpcError('route', [7, 1]), /4004: no version 1 of model 7/);
  assert.match(await rpcError('lineage', [7, 1]), /4004/);
  assert.match(await rpcError('undistributed', [7, 1]), /4004/);
  assert.match(await rpcError('channel', [3]), /4004: no open channel 3/);
  assert.match(await rpcError('shares', [9, null]), /4004: no dataset 9/);
  assert.match(await rpcError('quote', [7, null, 1, null]), /4004/);
  assert.match(await rpcError('usage', [7]), /4004: no model 7/);
  assert.match(await rpcError('quote', [7, null, 0, null]), /4000: ZeroUnits/);
  assert.match(await rpcError('voucherValue', [3, 10]), /4004/);
  assert.deepEqual(await rpc('pendingRoyalties', [bob.address]), { credits: '0', pools: [], total: '0' });
});

test('reads happen at the block given', async () => {
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const before = (await api.rpc.chain.getBlockHash()).toHex();
  const { events } = await expectOk(
    api,
    api.tx.dataContribution.createDataset('d', '0x' + '00'.repeat(32), 's', 'l', {
      minModelShare: 0,
      sharesPerItem: 1,
      contributionQuorum: 1,
    }),
    alice,
  );
  const dataset = eventOf(events, 'dataContribution', 'DatasetCreated')[0].toNumber();
  assert.deepEqual(await rpc('shares', [dataset, alice.address]), { total: '0', holder: '0' });
  assert.match(await rpcError('shares', [dataset, null, before]), /4004/);
});
