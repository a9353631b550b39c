// The money path through polkadot.js: a contributor fills a dataset, a developer registers a
// base model on it, a fine-tuner derives from it, a provider serves the fine-tune, a consumer
// invokes it; anyone distributes; the dataset contributor, the base-model owner, the fine-tuner
// and the provider claim. Every balance is checked to the unit, transaction fees included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from '../lib/node.mjs';
import { freeBalance, expectOk, eventOf } from '../lib/tx.mjs';

const UNIT = 10n ** 12n;
const MILLI = UNIT / 1000n;
const PERCENT = 10_000_000; // Perbill parts
let node;
let api;
const who = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
    who[name.toLowerCase()] = keyring.addFromUri(`//${name}`);
  }
});

after(async () => {
  await node?.stop();
});

function ok(tx, signer) {
  return expectOk(api, tx, signer);
}


function versionSpec({ ownerShare, datasets = [], parents = [], price }) {
  return {
    label: '1.0.0',
    artifactHash: '0x' + 'cd'.repeat(32),
    pricePerUnit: price,
    license: { commercialUse: true, derivatives: { Allowed: { minUpstreamShare: 20 * PERCENT } } },
    ownerShare,
    lineage: {
      datasets: datasets.map(({ id, share }) => [id, share]),
      parents: parents.map(({ model, share }) => [{ model, version: 1 }, share]),
    },
  };
}

test('invoke a fine-tune, distribute, and every party claims its exact share', async () => {
  const { alice, bob, charlie, dave, eve, ferdie } = who;
  const tx = api.tx;

  // A dataset (curated by Alice) with one contributor, Bob, holding all its shares.
  let r = await ok(
    tx.dataContribution.createDataset('radiology-reports', '0x' + '33'.repeat(32), 'text/jsonl', 'CC-BY-4.0', {
      minModelShare: 10 * PERCENT,
      sharesPerItem: 10,
      contributionQuorum: 1,
    }),
    alice,
  );
  const dataset = eventOf(r.events, 'dataContribution', 'DatasetCreated')[0].toNumber();
  r = await ok(tx.dataContribution.submitContribution(dataset, '0x' + '44'.repeat(32), 2), bob);
  const contribution = eventOf(r.events, 'dataContribution', 'ContributionSubmitted')[0];
  await ok(tx.dataContribution.decideContribution(contribution, true), alice);

  // Charlie's base model: 30% to the dataset. Dave's fine-tune: 40% to the base.
  r = await ok(
    tx.modelRegistry.register('rad-base', 'Text', versionSpec({ ownerShare: 70 * PERCENT, datasets: [{ id: dataset, share: 30 * PERCENT }], price: UNIT })),
    charlie,
  );
  const base = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  r = await ok(
    tx.modelRegistry.register('rad-summarizer', 'Text', versionSpec({ ownerShare: 60 * PERCENT, parents: [{ model: base, share: 40 * PERCENT }], price: UNIT })),
    dave,
  );
  const tune = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();

  // Eve serves the fine-tune at 0.5 TRIB per unit.
  await ok(tx.invocationMetering.registerOffer(tune, 500n * MILLI, 'https://eve.example/v1'), eve);

  // Ferdie invokes it for 10 units: 10 TRIB price (3% = 0.3 TRIB protocol fee, 9.7 TRIB
  // royalty) + 5 TRIB provider fee = 15 TRIB.
  const ferdieStart = await freeBalance(api, ferdie.address);
  r = await ok(tx.invocationMetering.invoke(tune, null, 10, eve.address, 15n * UNIT), ferdie);
  const invoked = eventOf(r.events, 'invocationMetering', 'Invoked');
  assert.equal(invoked.royalty.toBigInt(), 9_700n * MILLI);
  assert.equal(invoked.protocolFee.toBigInt(), 300n * MILLI);
  assert.equal(invoked.providerFee.toBigInt(), 5n * UNIT);
  assert.equal(invoked.total.toBigInt(), 15n * UNIT);
  assert.equal(await freeBalance(api, ferdie.address), ferdieStart - r.fee - 15n * UNIT);
  const usage = await api.query.invocationMetering.modelUsages(tune);
  assert.equal(usage.invocations.toNumber(), 1);
  assert.equal(usage.units.toBigInt(), 10n);
  assert.equal(usage.revenue.toBigInt(), 10n * UNIT);

  // Anyone distributes. The fine-tune's route: Charlie 40% × 70% = 28%, Dave 60%,
  // the dataset 40% × 30% = 12%.
  r = await ok(tx.royaltyDistribution.distribute(tune, 1), alice);
  const distributed = eventOf(r.events, 'royaltyDistribution', 'RevenueDistributed');
  assert.equal(distributed.distributed.toBigInt(), 9_700n * MILLI);
  assert.equal(distributed.carried.toBigInt(), 0n);

  // Each claims: the amount arrives minus the claim's own fee.
  const claims = [
    ['Bob (dataset contributor)', bob, tx.royaltyDistribution.claimPool(dataset), 1_164n * MILLI],
    ['Charlie (base-model owner)', charlie, tx.royaltyDistribution.claim(), 2_716n * MILLI],
    ['Dave (fine-tuner)', dave, tx.royaltyDistribution.claim(), 5_820n * MILLI],
    ['Eve (provider)', eve, tx.royaltyDistribution.claim(), 5n * UNIT],
  ];
  for (const [label, pair, call, amount] of claims) {
    const start = await freeBalance(api, pair.address);
    r = await ok(call, pair);
    assert.equal(await freeBalance(api, pair.address), start - r.fee + amount, label);
  }
  // The treasury's 0.3 TRIB waits in the pot with the existential deposit.
  const pot = await api.query.system.account(potAddress());
  assert.equal(pot.data.free.toBigInt(), api.consts.balances.existentialDeposit.toBigInt() + 300n * MILLI);
});

/** The royalty pot: the account of the `py/rylty` pallet id. */
function potAddress() {
  const prefix = new TextEncoder().encode('modl');
  const id = new TextEncoder().encode('py/rylty');
  const raw = new Uint8Array(32);
  raw.set(prefix, 0);
  raw.set(id, prefix.length);
  return api.createType('AccountId', raw).toString();
}
