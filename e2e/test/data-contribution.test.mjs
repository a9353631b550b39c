// Datasets, annotation tasks and reviews through polkadot.js: a curator creates a dataset, a
// requester funds a task, two annotators label its two items, two reviewers approve them; every
// balance and share count is checked to the unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from '../lib/node.mjs';
import { freeBalance, expectOk, eventOf } from '../lib/tx.mjs';

const UNIT = 10n ** 12n;
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

function dataEvent(events, method) {
  return eventOf(events, 'dataContribution', method);
}

test('two annotators and two reviewers complete a task; balances and shares are exact', async () => {
  const { alice, bob, charlie, dave, eve, ferdie } = who;
  const consts = api.consts.dataContribution;
  const holdingDeposit = consts.holdingDeposit.toBigInt();
  const datasetDeposit = consts.datasetDeposit.toBigInt();
  const bond = consts.minReviewerBond.toBigInt();
  const reviewerShare = consts.reviewerShare.toNumber(); // parts per billion

  const start = {};
  for (const [name, pair] of Object.entries(who)) start[name] = await freeBalance(api, pair.address);
  const fees = Object.fromEntries(Object.keys(who).map((name) => [name, 0n]));
  const pay = (name, fee) => {
    fees[name] += fee;
  };

  // The curator creates a dataset: 100 shares per item, 10% of any model's royalties.
  const sharesPerItem = 100n;
  let r = await ok(
    api.tx.dataContribution.createDataset('street-signs', '0x' + '11'.repeat(32), 'image/png+label', 'CC-BY-4.0', {
      minModelShare: 100_000_000,
      sharesPerItem,
      contributionQuorum: 2,
    }),
    alice,
  );
  pay('alice', r.fee);
  const datasetId = dataEvent(r.events, 'DatasetCreated')[0].toNumber();

  // The requester funds a task of two items: 10 TRIB per item, 1 TRIB per approving reviewer.
  const reward = 10n * UNIT;
  const reviewerFee = 1n * UNIT;
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  r = await ok(api.tx.dataContribution.openTask(datasetId, 2, reward, reviewerFee, 2, head + 1_000), bob);
  pay('bob', r.fee);
  const [taskId, , , , bounty] = dataEvent(r.events, 'TaskOpened');
  assert.equal(bounty.toBigInt(), 2n * (reward + 2n * reviewerFee));

  for (const [name, pair] of [['charlie', charlie], ['dave', dave]]) {
    r = await ok(api.tx.dataContribution.registerReviewer(bond), pair);
    pay(name, r.fee);
  }
  for (const [name, pair, item] of [['eve', eve, 0], ['ferdie', ferdie, 1]]) {
    r = await ok(api.tx.dataContribution.claimSlot(taskId, item), pair);
    pay(name, r.fee);
    r = await ok(api.tx.dataContribution.submitResult(taskId, item, '0x' + String(item + 2).repeat(64)), pair);
    pay(name, r.fee);
  }
  let accepted = 0;
  for (const item of [0, 1]) {
    for (const [name, pair] of [['charlie', charlie], ['dave', dave]]) {
      r = await ok(api.tx.dataContribution.reviewItem(taskId, item, true), pair);
      pay(name, r.fee);
      if (r.events.some(({ event }) => event.method === 'ItemAccepted')) accepted += 1;
    }
  }
  assert.equal(accepted, 2);

  // Closing returns the task deposit; the bounty is fully spent.
  r = await ok(api.tx.dataContribution.closeTask(taskId), bob);
  pay('bob', r.fee);
  const [, acceptedItems, refunded] = dataEvent(r.events, 'TaskClosed');
  assert.equal(acceptedItems.toNumber(), 2);
  assert.equal(refunded.toBigInt(), 0n);

  const now = {};
  for (const [name, pair] of Object.entries(who)) now[name] = await freeBalance(api, pair.address);
  assert.equal(now.alice, start.alice - datasetDeposit - fees.alice);
  assert.equal(now.bob, start.bob - bounty.toBigInt() - fees.bob);
  for (const name of ['eve', 'ferdie']) {
    assert.equal(now[name], start[name] - holdingDeposit + reward - fees[name], `${name}'s balance`);
  }
  for (const name of ['charlie', 'dave']) {
    assert.equal(now[name], start[name] - bond - holdingDeposit + 2n * reviewerFee - fees[name], `${name}'s balance`);
  }

  const reviewerShares = (sharesPerItem * BigInt(reviewerShare)) / 1_000_000_000n;
  const shares = async (pair) => {
    const holding = await api.query.dataContribution.holdings(datasetId, pair.address);
    return holding.unwrap().shares.toBigInt();
  };
  assert.equal(await shares(eve), sharesPerItem);
  assert.equal(await shares(ferdie), sharesPerItem);
  assert.equal(await shares(charlie), 2n * reviewerShares);
  assert.equal(await shares(dave), 2n * reviewerShares);
  const dataset = (await api.query.dataContribution.datasets(datasetId)).unwrap();
  assert.equal(dataset.totalShares.toBigInt(), 2n * sharesPerItem + 4n * reviewerShares);
  assert.equal(dataset.holders.toNumber(), 4);
});
