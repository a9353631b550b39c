// A forkless runtime upgrade on a dev node that has lived: the whole lifecycle, then an open
// payment channel with a settled voucher and royalties waiting to be distributed. Sudo installs
// the runtime's own next version (`spec_version + 1`, built by the runtime's build script with
// the `upgrade-test` feature) with `system.setCode`; the chain goes on producing and finalizing,
// polkadot.js sees the new version, every storage item of the four Tributary pallets is
// byte-for-byte what it was, every account's balance is what it was minus the fees of the two
// blocks around the upgrade, and a settle, a distribution and a claim still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { xxhashAsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { startDevNode, NODE_BIN } from '../lib/node.mjs';
import {
  UNIT, DEV_NAMES, devKeyring, potAddress, treasuryAddress, expectOk, eventOf, rpc, signVoucher, channelBinding,
} from '../lib/chain.mjs';
import { runLifecycle } from '../lib/lifecycle.mjs';

/** The upgrade wasm: `UPGRADE_WASM`, or the one built next to the node's runtime. */
function upgradeWasm() {
  if (process.env.UPGRADE_WASM) return process.env.UPGRADE_WASM;
  const dir = path.join(path.dirname(NODE_BIN), 'wbuild', 'tributary-runtime');
  const compressed = path.join(dir, 'upgrade_test.compact.compressed.wasm');
  return existsSync(compressed) ? compressed : path.join(dir, 'upgrade_test.wasm');
}

const PALLETS = ['DataContribution', 'ModelRegistry', 'RoyaltyDistribution', 'InvocationMetering'];

let node;
let api;

before(async () => {
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  api = node.api;
});

after(async () => {
  await node?.stop();
});

/** Every key and value under the pallets' storage prefixes at block `at`. */
async function palletStorage(at) {
  const entries = {};
  for (const pallet of PALLETS) {
    const prefix = xxhashAsHex(pallet, 128);
    let startKey;
    for (;;) {
      const keys = await api.rpc.state.getKeysPaged(prefix, 500, startKey, at);
      if (keys.length === 0) break;
      for (const key of keys) {
        entries[key.toHex()] = (await api.rpc.state.getStorage(key, at)).toHex();
      }
      startKey = keys[keys.length - 1];
    }
  }
  return entries;
}

/** Every account the story touched (dev accounts, their stashes, the pot, the treasury). */
async function balances(addresses, at) {
  const apiAt = await api.at(at);
  const out = {};
  for (const address of addresses) {
    const { data } = await apiAt.query.system.account(address);
    out[address] = { free: data.free.toBigInt(), reserved: data.reserved.toBigInt() };
  }
  return out;
}

test('a forkless upgrade keeps every balance, share, route and channel', async () => {
  const keyring = await devKeyring();
  const pair = (name) => keyring.addFromUri(`//${name}`);
  const [alice, bob, eveStash, daveStash] = [pair('Alice'), pair('Bob'), pair('Eve//stash'), pair('Dave//stash')];
  const addresses = [
    ...DEV_NAMES.flatMap((name) => [pair(name).address, pair(`${name}//stash`).address]),
    potAddress(api),
    treasuryAddress(api),
  ];

  const { tune } = await runLifecycle(api);
  // Left open across the upgrade: royalties waiting in the fine-tune's revenue and a channel with
  // a settled voucher.
  await expectOk(api, api.tx.invocationMetering.invoke(tune, null, 4, null, 100n * UNIT), eveStash);
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  let r = await expectOk(api, api.tx.invocationMetering.openChannel(daveStash.address, tune, null, 50n * UNIT, now + 1_000), eveStash);
  const channel = eventOf(r.events, 'invocationMetering', 'ChannelOpened')[0].toNumber();
  const binding = await channelBinding(api, channel);
  const first = signVoucher(api, eveStash, channel, 3, binding);
  await expectOk(api, api.tx.invocationMetering.settle(channel, first.voucher, first.signature), daveStash);

  const oldVersion = api.runtimeVersion.specVersion.toNumber();
  const code = readFileSync(upgradeWasm());
  const beforeHash = await api.rpc.chain.getFinalizedHead();
  const storageBefore = await palletStorage(beforeHash);
  const balancesBefore = await balances(addresses, beforeHash);
  const undistributed = await rpc(api, 'undistributed', [tune, 1, null]);
  const channelBefore = await rpc(api, 'channel', [channel, null]);

  // The upgrade block runs the old code and stores the new; the next block runs the new.
  r = await expectOk(api, api.tx.sudo.sudo(api.tx.system.setCode(u8aToHex(code))), alice);
  const sudid = eventOf(r.events, 'sudo', 'Sudid')[0];
  assert.ok(sudid.isOk, `setCode failed: ${sudid}`);
  assert.equal(r.events.filter(({ event }) => event.section === 'system' && event.method === 'CodeUpdated').length, 1);
  const upgradeFee = r.fee;
  const next = await expectOk(api, api.tx.system.remark('0x00'), bob);
  const afterHash = await api.rpc.chain.getFinalizedHead();

  const version = await api.rpc.state.getRuntimeVersion(afterHash);
  assert.equal(version.specName.toString(), 'tributary');
  assert.equal(version.specVersion.toNumber(), oldVersion + 1);
  const lastUpgrade = (await (await api.at(afterHash)).query.system.lastRuntimeUpgrade()).unwrap();
  assert.equal(lastUpgrade.specVersion.toNumber(), oldVersion + 1);
  for (let waited = 0; api.runtimeVersion.specVersion.toNumber() !== oldVersion + 1; waited += 100) {
    assert.ok(waited < 10_000, 'polkadot.js did not see the new runtime version');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // Nothing in the four pallets changed; balances changed by the two fees only.
  assert.deepEqual(await palletStorage(afterHash), storageBefore);
  const expected = structuredClone(balancesBefore);
  expected[alice.address].free -= upgradeFee;
  expected[bob.address].free -= next.fee;
  assert.deepEqual(await balances(addresses, afterHash), expected);
  assert.deepEqual(await rpc(api, 'undistributed', [tune, 1, null]), undistributed);
  assert.deepEqual(await rpc(api, 'channel', [channel, null]), channelBefore);

  // The new runtime settles, distributes and pays claims.
  const later = signVoucher(api, eveStash, channel, 7, binding);
  await expectOk(api, api.tx.invocationMetering.settle(channel, later.voucher, later.signature), daveStash);
  assert.equal((await rpc(api, 'channel', [channel, null])).settledUnits, '7');
  await expectOk(api, api.tx.royaltyDistribution.distribute(tune, 1), bob);
  const owed = BigInt((await rpc(api, 'pendingRoyalties', [pair('Charlie//stash').address, null])).total);
  assert.ok(owed > 0n, 'the fine-tuner is owed royalties after the distribution');
  const fineTuner = pair('Charlie//stash');
  const freeBefore = (await api.query.system.account(fineTuner.address)).data.free.toBigInt();
  r = await expectOk(api, api.tx.royaltyDistribution.claim(), fineTuner);
  const freeAfter = (await api.query.system.account(fineTuner.address)).data.free.toBigInt();
  assert.equal(freeAfter, freeBefore + owed - r.fee);
  assert.equal(BigInt((await rpc(api, 'pendingRoyalties', [fineTuner.address, null])).total), 0n);

  // Blocks are still produced and finalized.
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  assert.equal(finalized, best);
  assert.ok(best > (await api.rpc.chain.getHeader(afterHash)).number.toNumber());
});
