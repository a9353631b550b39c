// The foundation: a fresh dev node reports TRIB/12, authors and finalizes with aura+grandpa,
// moves balances exactly, and rejects an overdraft without moving anything but the fee.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startDevNode, NODE_BIN } from '../lib/node.mjs';
import { UNIT, devAccounts, submit, feePaid, freeBalance } from '../lib/chain.mjs';

let node;
let alice;
let bob;

before(async () => {
  ({ alice, bob } = await devAccounts(['Alice', 'Bob']));
  node = await startDevNode();
  console.log(`dev node RPC answered ${node.startupMs} ms after start`);
});

after(async () => {
  await node?.stop();
});

test('chain properties are TRIB, 12 decimals, ss58 42', async () => {
  const properties = await node.api.rpc.system.properties();
  assert.deepEqual(properties.tokenSymbol.unwrap().map((s) => s.toString()), ['TRIB']);
  assert.deepEqual(properties.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);
  assert.equal(properties.ss58Format.unwrap().toNumber(), 42);
  assert.equal((await node.api.rpc.system.chain()).toString(), 'Tributary Development');
  assert.equal(node.api.runtimeVersion.specName.toString(), 'tributary');
});

test('a transfer signed by alice is finalized and moves balances exactly', async () => {
  const { api } = node;
  const amount = 12_345n * UNIT + 678n;
  const aliceBefore = await freeBalance(api, alice.address);
  const bobBefore = await freeBalance(api, bob.address);

  const { blockHash, events, dispatchError } = await submit(
    api,
    api.tx.balances.transferKeepAlive(bob.address, amount),
    alice,
  );
  assert.equal(dispatchError, null);
  const fee = feePaid(events);
  assert.ok(fee > 0n, 'a signed transfer pays a fee');

  const header = await api.rpc.chain.getHeader(blockHash);
  const finalizedHead = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
  assert.ok(finalizedHead.number.toNumber() >= header.number.toNumber(), 'the block is finalized');

  assert.equal(await freeBalance(api, alice.address, blockHash), aliceBefore - amount - fee);
  assert.equal(await freeBalance(api, bob.address, blockHash), bobBefore + amount);
});

test('a transfer of more than the balance fails with FundsUnavailable and changes nothing', async () => {
  const { api } = node;
  const aliceBefore = await freeBalance(api, alice.address);
  const bobBefore = await freeBalance(api, bob.address);

  const { blockHash, events, dispatchError } = await submit(
    api,
    api.tx.balances.transferAllowDeath(bob.address, aliceBefore + 1n),
    alice,
    { until: 'inBlock' },
  );
  // pallet-balances reports an overdraft through the fungible traits as a token error.
  assert.equal(dispatchError, 'Token.FundsUnavailable');
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicFailed.is(event)));
  const fee = feePaid(events);

  // Only the fee left alice's account; bob received nothing.
  assert.equal(await freeBalance(api, alice.address, blockHash), aliceBefore - fee);
  assert.equal(await freeBalance(api, bob.address, blockHash), bobBefore);
});

test('instant sealing is refused on a non-development chain', { timeout: 60_000 }, async () => {
  const child = spawn(NODE_BIN, ['--chain', 'local', '--tmp', '--sealing', 'instant', '--rpc-port', '0', '--port', '0', '--no-prometheus'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (d) => (output += d));
  child.stdout.on('data', (d) => (output += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.notEqual(code, 0);
  assert.match(output, /only allowed on development chains/);
});
