// Models through polkadot.js: a developer registers a base model trained on a dataset, a
// fine-tuner registers a derivative without asking anyone, and the flattened royalty route
// stored with each version is read back and checked part by part; deposits are exact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from '../lib/node.mjs';
import { submit, feePaid, freeBalance, expectOk, eventOf } from '../lib/tx.mjs';

const UNIT = 10n ** 12n;
const PERCENT = 10_000_000; // Perbill parts
let node;
let api;
const who = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave']) {
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


/** A version spec as the `register` and `publishVersion` calls take it. */
function versionSpec({ ownerShare, datasets = [], parents = [], minUpstreamShare, price }) {
  return {
    label: '1.0.0',
    artifactHash: '0x' + 'ab'.repeat(32),
    pricePerUnit: price,
    license: { commercialUse: true, derivatives: { Allowed: { minUpstreamShare } } },
    ownerShare,
    lineage: {
      datasets: datasets.map(({ id, share }) => [id, share]),
      parents: parents.map(({ model, version, share }) => [{ model, version }, share]),
    },
  };
}

/** The stored route of a version as { "account:<ss58>" | "dataset:<id>": parts }. */
async function routeOf(model, version) {
  const record = (await api.query.modelRegistry.versions(model, version)).unwrap();
  const stored = (await api.query.modelRegistry.routes(model, version)).unwrap();
  assert.equal(record.routeLength.toNumber(), stored.length);
  const route = {};
  for (const [beneficiary, part] of stored) {
    const key = beneficiary.isAccount ? `account:${beneficiary.asAccount.toString()}` : `dataset:${beneficiary.asDataset.toNumber()}`;
    route[key] = part.toNumber();
  }
  return { route, bytes: record.encodedLength + stored.encodedLength };
}

test('a base model and a fine-tune of it: routes, deposits and a refused derivative', async () => {
  const { alice, bob, charlie, dave } = who;
  const consts = api.consts.modelRegistry;
  const modelDeposit = consts.modelDeposit.toBigInt();
  const versionBase = consts.versionDepositBase.toBigInt();
  const perByte = consts.versionDepositPerByte.toBigInt();

  // A dataset whose models must route at least 10% to it.
  let r = await ok(
    api.tx.dataContribution.createDataset('clinical-notes', '0x' + '22'.repeat(32), 'text/jsonl', 'CC-BY-4.0', {
      minModelShare: 10 * PERCENT,
      sharesPerItem: 10,
      contributionQuorum: 1,
    }),
    alice,
  );
  const dataset = eventOf(r.events, 'dataContribution', 'DatasetCreated')[0].toNumber();

  // Bob's base model: 30% to the dataset, 70% to himself; derivatives owe it at least 20%.
  const bobStart = await freeBalance(api, bob.address);
  r = await ok(
    api.tx.modelRegistry.register(
      'med-llm',
      'Text',
      versionSpec({ ownerShare: 70 * PERCENT, datasets: [{ id: dataset, share: 30 * PERCENT }], minUpstreamShare: 20 * PERCENT, price: UNIT }),
    ),
    bob,
  );
  const [base, owner] = eventOf(r.events, 'modelRegistry', 'ModelRegistered');
  assert.equal(owner.toString(), bob.address);
  const published = eventOf(r.events, 'modelRegistry', 'VersionPublished');
  assert.equal(published[1].toNumber(), 1);
  assert.equal(published[3].toNumber(), 2, 'route length');
  const baseRoute = await routeOf(base.toNumber(), 1);
  assert.deepEqual(baseRoute.route, {
    [`account:${bob.address}`]: 70 * PERCENT,
    [`dataset:${dataset}`]: 30 * PERCENT,
  });
  // The version's deposit is the base plus one per-byte rate for each byte of its record and route.
  const baseVersionDeposit = versionBase + perByte * BigInt(baseRoute.bytes);
  assert.equal(published[4].toBigInt(), baseVersionDeposit);
  assert.equal(await freeBalance(api, bob.address), bobStart - r.fee - modelDeposit - baseVersionDeposit);

  // Charlie fine-tunes it without asking: 40% to the base, 60% to himself.
  r = await ok(
    api.tx.modelRegistry.register(
      'med-llm-cardio',
      'Text',
      versionSpec({ ownerShare: 60 * PERCENT, parents: [{ model: base, version: 1, share: 40 * PERCENT }], minUpstreamShare: 20 * PERCENT, price: 2n * UNIT }),
    ),
    charlie,
  );
  const tune = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  const { route } = await routeOf(tune, 1);
  // Bob 40% × 70% = 28%, the dataset 40% × 30% = 12%, Charlie 60%: no model entry.
  assert.deepEqual(route, {
    [`account:${bob.address}`]: 28 * PERCENT,
    [`account:${charlie.address}`]: 60 * PERCENT,
    [`dataset:${dataset}`]: 12 * PERCENT,
  });
  const lineage = (await api.query.modelRegistry.versions(tune, 1)).unwrap().lineage;
  assert.equal(lineage.parents[0][0].model.toNumber(), base.toNumber());

  // Dave offers the base less than its license asks: refused, and only the fee is paid.
  const daveStart = await freeBalance(api, dave.address);
  const nextId = (await api.query.modelRegistry.nextModelId()).toNumber();
  r = await send(
    api.tx.modelRegistry.register(
      'cheap-copy',
      'Text',
      versionSpec({ ownerShare: 90 * PERCENT, parents: [{ model: base, version: 1, share: 10 * PERCENT }], minUpstreamShare: 0, price: 1n }),
    ),
    dave,
  );
  assert.equal(r.dispatchError, 'modelRegistry.ParentShareTooLow');
  assert.equal(await freeBalance(api, dave.address), daveStart - r.fee);
  assert.equal((await api.query.modelRegistry.nextModelId()).toNumber(), nextId);
});
