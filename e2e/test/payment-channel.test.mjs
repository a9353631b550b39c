// Payment channels through polkadot.js: a consumer opens a channel to a provider and signs a
// cumulative voucher after each off-chain call, in JS (the keyring signs with
// @polkadot/util-crypto's sr25519); the provider settles only the latest ones; a replay and a
// forgery are refused; the consumer asks to close, the provider settles its last voucher and
// closes; every balance is exact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { bnToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from '../lib/node.mjs';
import { submit, feePaid, freeBalance, expectOk, eventOf } from '../lib/tx.mjs';

const UNIT = 10n ** 12n;
const MILLI = UNIT / 1000n;
let node;
let api;
const who = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Bob', 'Charlie', 'Dave']) {
    who[name.toLowerCase()] = keyring.addFromUri(`//${name}`);
  }
});

after(async () => {
  await node?.stop();
});

async function send(tx, signer) {
  const { events, dispatchError } = await submit(api, tx, signer);
  return { fee: feePaid(events), events, dispatchError };
}

function ok(tx, signer) {
  return expectOk(api, tx, signer);
}


/**
 * The voucher for `units` cumulative units on `channel`, and the consumer's signature of it:
 * sr25519 over the SCALE encoding of (domain tag, genesis hash, channel u64, units u64).
 */
function signVoucher(pair, channel, units) {
  const genesisHash = api.genesisHash.toHex();
  const payload = u8aConcat(
    stringToU8a('tributary/voucher/v1'),
    api.genesisHash.toU8a(),
    bnToU8a(channel, { bitLength: 64, isLe: true }),
    bnToU8a(units, { bitLength: 64, isLe: true }),
  );
  const signature = pair.sign(payload);
  return { voucher: { genesisHash, channel, cumulativeUnits: units }, signature: { Sr25519: signature } };
}

test('a channel pays for off-chain calls with vouchers signed in JS', async () => {
  const { bob, charlie, dave } = who;
  const tx = api.tx;
  const channelDeposit = api.consts.invocationMetering.channelDeposit.toBigInt();

  // Bob's model at 1 TRIB per unit, served by Charlie at 0.2 TRIB per unit.
  let r = await ok(
    tx.modelRegistry.register('chat-small', 'Text', {
      label: '1.0.0',
      artifactHash: '0x' + 'ef'.repeat(32),
      pricePerUnit: UNIT,
      license: { commercialUse: true, derivatives: 'Forbidden' },
      ownerShare: 1_000_000_000,
      lineage: { datasets: [], parents: [] },
    }),
    bob,
  );
  const model = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  await ok(tx.invocationMetering.registerOffer(model, 200n * MILLI, 'https://charlie.example'), charlie);

  // Dave opens a channel with a 100 TRIB deposit.
  const daveStart = await freeBalance(api, dave.address);
  let daveFees = 0n;
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  r = await ok(tx.invocationMetering.openChannel(charlie.address, model, null, 100n * UNIT, head + 1_000), dave);
  daveFees += r.fee;
  const channel = eventOf(r.events, 'invocationMetering', 'ChannelOpened')[0].toNumber();
  assert.equal(await freeBalance(api, dave.address), daveStart - daveFees - 100n * UNIT - channelDeposit);

  // 75 calls, one unit each: Dave signs a voucher after each; Charlie settles the 30th and the
  // 75th only.
  const vouchers = [];
  for (let units = 1; units <= 75; units++) vouchers.push(signVoucher(dave, channel, units));
  const charlieFees = [];
  for (const index of [29, 74]) {
    const { voucher, signature } = vouchers[index];
    r = await ok(tx.invocationMetering.settle(channel, voucher, signature), charlie);
    charlieFees.push(r.fee);
  }
  const settled = eventOf(r.events, 'invocationMetering', 'ChannelSettled');
  assert.equal(settled.units.toNumber(), 45);
  assert.equal(settled.cumulativeUnits.toNumber(), 75);
  // 45 units × 1 TRIB: 3% protocol fee 1.35 TRIB, royalty 43.65 TRIB; provider 9 TRIB.
  assert.equal(settled.royalty.toBigInt(), 43_650n * MILLI);
  assert.equal(settled.protocolFee.toBigInt(), 1_350n * MILLI);
  assert.equal(settled.providerFee.toBigInt(), 9n * UNIT);
  assert.equal(settled.remainingDeposit.toBigInt(), 100n * UNIT - 75n * 1_200n * MILLI);

  // Replaying an old voucher is refused, and so is a voucher Bob signed.
  r = await send(tx.invocationMetering.settle(channel, vouchers[29].voucher, vouchers[29].signature), charlie);
  assert.equal(r.dispatchError, 'invocationMetering.StaleVoucher');
  const forged = signVoucher(bob, channel, 80);
  r = await send(tx.invocationMetering.settle(channel, forged.voucher, forged.signature), charlie);
  assert.equal(r.dispatchError, 'invocationMetering.BadSignature');

  // Dave asks to close; Charlie settles the last voucher (80 units) and closes at once.
  r = await ok(tx.invocationMetering.requestClose(channel), dave);
  daveFees += r.fee;
  const last = signVoucher(dave, channel, 80);
  await ok(tx.invocationMetering.settle(channel, last.voucher, last.signature), charlie);
  r = await ok(tx.invocationMetering.closeChannel(channel), charlie);
  const closed = eventOf(r.events, 'invocationMetering', 'ChannelClosed');
  assert.equal(closed.settledUnits.toNumber(), 80);
  assert.equal(closed.refunded.toBigInt(), 100n * UNIT - 80n * 1_200n * MILLI + channelDeposit);

  // Dave paid exactly 80 units × 1.2 TRIB plus his transaction fees.
  assert.equal(await freeBalance(api, dave.address), daveStart - daveFees - 80n * 1_200n * MILLI);
  // Charlie's 16 TRIB of fees wait for him in the pot; Bob's route gets 77.6 TRIB.
  const credit = await api.query.royaltyDistribution.credits(charlie.address);
  assert.equal(credit.unwrap().toBigInt(), 16n * UNIT);
  const revenue = await api.query.royaltyDistribution.undistributed(model, 1);
  assert.equal(revenue.unwrap().amount.toBigInt(), 77_600n * MILLI);
  // A finalized channel's vouchers are void.
  r = await send(tx.invocationMetering.settle(channel, last.voucher, last.signature), charlie);
  assert.equal(r.dispatchError, 'invocationMetering.ChannelFinalized');
});
