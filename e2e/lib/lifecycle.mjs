// The whole product on one dev node, told as a story: datasets, annotation and sealed reviews, a
// model and its fine-tune, invocations directly and through a payment channel, distribution and
// claims. Every step checks its outcome against a hand computation, through storage, the
// runtime APIs (`api.call.*`) and the `tributary_*` RPC methods. `scripts/demo.sh` runs the same
// story with readable output; `test/economy.test.mjs` runs it as a test.
import assert from 'node:assert/strict';
import {
  UNIT, MILLI, PERCENT, PERBILL, DEV_NAMES, trib, devKeyring, potAddress, treasuryAddress,
  expectOk, feePaid, eventOf, rpc, versionSpec, signVoucher, channelBinding, sealedReview,
} from './chain.mjs';

/**
 * Tells the story on `api`'s dev chain, asserting every step, and passes a line per step to `log`.
 * The chain need not be fresh: balances and the treasury's earnings are checked against what
 * they were when the story began; but Charlie and Dave must not be reviewers yet, and the dev
 * accounts and their stashes must have no royalties pending.
 */
export async function runLifecycle(api, log = () => {}) {
  const keyring = await devKeyring();
  const who = {};
  for (const name of DEV_NAMES) {
    who[name] = keyring.addFromUri(`//${name}`);
    who[`${name}Stash`] = keyring.addFromUri(`//${name}//stash`);
  }
  const role = {
    curator: 'Alice', requester: 'Bob', reviewers: ['Charlie', 'Dave'], annotators: ['Eve', 'Ferdie'],
    contributor: 'AliceStash', developer: 'BobStash', fineTuner: 'CharlieStash', provider: 'DaveStash',
    consumer: 'EveStash', anyone: 'FerdieStash',
  };
  const fees = Object.fromEntries(Object.keys(who).map((n) => [n, 0n]));
  const tx = api.tx;

  /** `name` sends `call`, which must succeed; returns its events. */
  async function ok(name, call) {
    const { events, fee } = await expectOk(api, call, who[name]);
    fees[name] += fee;
    return events;
  }
  async function account(name) {
    const { data } = await api.query.system.account(who[name].address);
    return { free: data.free.toBigInt(), held: data.reserved.toBigInt() };
  }
  const pot = potAddress(api);
  const treasury = treasuryAddress(api);
  async function everything() {
    let sum = 0n;
    for (const address of [...Object.values(who).map((p) => p.address), pot, treasury]) {
      const { data } = await api.query.system.account(address);
      sum += data.free.toBigInt() + data.reserved.toBigInt();
    }
    return sum;
  }

  const totalBefore = await everything();
  const treasuryBefore = BigInt((await rpc(api, 'pendingRoyalties', [treasury, null])).total);
  const start = {};
  for (const name of Object.keys(who)) start[name] = await account(name);

  // ------------------------------------------------------------------ the dataset
  const sharesPerItem = 100n;
  let events = await ok(role.curator, tx.dataContribution.createDataset('clinical-notes', '0x' + '11'.repeat(32), 'text/jsonl', 'CC-BY-4.0', {
    minModelShare: 10 * PERCENT, sharesPerItem, contributionQuorum: 1,
  }));
  const dataset = eventOf(events, 'dataContribution', 'DatasetCreated')[0].toNumber();
  log(`${role.curator} created dataset #${dataset} "clinical-notes": models trained on it owe it at least 10%`);

  // The dataset's own governance: its curator admits who may open tasks on it and who may review.
  await ok(role.curator, tx.dataContribution.admitMember(dataset, who[role.requester].address, 'Requester'));
  for (const reviewer of role.reviewers) {
    await ok(role.curator, tx.dataContribution.admitMember(dataset, who[reviewer].address, 'Reviewer'));
  }
  log(`${role.curator} admitted ${role.requester} to open tasks and ${role.reviewers.join(' and ')} to review: nobody else mints shares in it`);

  events = await ok(role.contributor, tx.dataContribution.submitContribution(dataset, '0x' + '22'.repeat(32), 3));
  const contribution = eventOf(events, 'dataContribution', 'ContributionSubmitted')[0];
  await ok(role.curator, tx.dataContribution.decideContribution(contribution, true));
  log(`${role.contributor} contributed 3 items; ${role.curator} accepted them: ${3n * sharesPerItem} shares`);

  // ------------------------------------------------------------------ annotation
  const reward = 10n * UNIT;
  const reviewerFee = 1n * UNIT;
  const panel = role.reviewers.length;
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  events = await ok(role.requester, tx.dataContribution.openTask(dataset, 2, reward, reviewerFee, panel, head + 1_000, null));
  const task = eventOf(events, 'dataContribution', 'TaskOpened')[0];
  log(`${role.requester} opened an annotation task of 2 items: 10 TRIB per item, 1 TRIB to each of the ${panel} reviewers on an item's panel`);
  const bond = api.consts.dataContribution.minReviewerBond.toBigInt();
  for (const reviewer of role.reviewers) await ok(reviewer, tx.dataContribution.registerReviewer(bond));
  log(`${role.reviewers.join(' and ')} bonded ${trib(bond)} each as reviewers`);
  // Each annotator stakes its item's reviewer fees with the result: they pay the panel if it is
  // rejected, and return when the item is paid.
  const stake = BigInt(panel) * reviewerFee;
  for (const [item, annotator] of role.annotators.entries()) {
    await ok(annotator, tx.dataContribution.claimSlot(task, item));
    const before = await account(annotator);
    const submitted = await ok(annotator, tx.dataContribution.submitResult(task, item, '0x' + String(item + 3).repeat(64)));
    const after = await account(annotator);
    assert.equal(after.free, before.free - feePaid(submitted) - stake, `${annotator}'s stake`);
    assert.equal(after.held, before.held + stake, `${annotator}'s stake is held`);
  }
  log(`${role.annotators.join(' and ')} labelled one item each, staking ${trib(stake)} on it`);
  const nameOf = (pair) => Object.keys(who).find((name) => who[name].address === pair.address);
  const acceptanceWindow = api.consts.dataContribution.acceptanceWindow.toNumber();
  for (const [item, annotator] of role.annotators.entries()) {
    const review = await sealedReview(api, { Item: { task, item } }, role.reviewers.map((name) => [who[name], true]));
    for (const { signer, fee } of review.calls) fees[nameOf(signer)] += fee;
    const accepted = eventOf(review.events, 'dataContribution', 'ItemAccepted');
    assert.equal(accepted.annotator.toString(), who[annotator].address);
    assert.equal(accepted.payableAt.toNumber(), review.block + acceptanceWindow);
  }
  log(`${role.reviewers.join(' and ')} reviewed both items with sealed votes (a hash of the vote and a secret salt), then revealed them: each approved both items, so both were accepted`);
  const reviewerShares = (sharesPerItem * BigInt(api.consts.dataContribution.reviewerShare.toNumber())) / BigInt(PERBILL);
  for (const [item, annotator] of role.annotators.entries()) {
    const before = await account(annotator);
    events = await ok(role.requester, tx.dataContribution.payItem(task, item));
    const paid = eventOf(events, 'dataContribution', 'ItemPaid');
    assert.equal(paid.annotator.toString(), who[annotator].address);
    assert.equal(paid.reward.toBigInt(), reward);
    assert.equal(paid.annotatorShares.toBigInt(), sharesPerItem);
    assert.equal(paid.reviewersPaid.toNumber(), panel);
    assert.equal(paid.reviewerFee.toBigInt(), reviewerFee);
    assert.equal(paid.reviewerShares.toBigInt(), reviewerShares);
    assert.equal(paid.refunded.toBigInt(), 0n);
    const after = await account(annotator);
    assert.equal(after.free, before.free + reward + stake, `${annotator} is paid and gets its stake back`);
    assert.equal(after.held, before.held - stake);
  }
  log(`${role.requester} paid both items at once instead of waiting out their ${acceptanceWindow}-block acceptance window, in which it could have disputed them: each annotator earned 10 TRIB and ${sharesPerItem} shares and got its stake back, each reviewer 2 TRIB and ${2n * reviewerShares} shares`);
  await ok(role.requester, tx.dataContribution.closeTask(task));

  const expectedShares = {
    [role.contributor]: 3n * sharesPerItem,
    [role.annotators[0]]: sharesPerItem,
    [role.annotators[1]]: sharesPerItem,
    [role.reviewers[0]]: 2n * reviewerShares,
    [role.reviewers[1]]: 2n * reviewerShares,
  };
  const totalShares = Object.values(expectedShares).reduce((a, b) => a + b, 0n);
  assert.equal((await api.call.dataContributionApi.totalShares(dataset)).unwrap().toBigInt(), totalShares);
  const viaRpc = await rpc(api, 'shares', [dataset, null, null]);
  assert.equal(BigInt(viaRpc.total), totalShares);
  for (const [name, shares] of Object.entries(expectedShares)) {
    assert.equal((await api.call.dataContributionApi.sharesOf(dataset, who[name].address)).unwrap().toBigInt(), shares, `${name}'s shares`);
    assert.equal(BigInt((await rpc(api, 'shares', [dataset, who[name].address, null])).holder), shares);
  }
  log(`dataset #${dataset} now has ${totalShares} shares held by 5 people`);

  // ------------------------------------------------------------------ models
  events = await ok(role.developer, tx.modelRegistry.register('notes-base', 'Text', versionSpec({ ownerShare: 60 * PERCENT, datasets: [{ id: dataset, share: 40 * PERCENT }], price: 2n * UNIT })));
  const base = eventOf(events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  log(`${role.developer} registered base model #${base} trained on the dataset: 40% to it, 60% to the developer`);
  events = await ok(role.fineTuner, tx.modelRegistry.register('notes-cardiology', 'Text', versionSpec({ ownerShare: 50 * PERCENT, parents: [{ model: base, share: 50 * PERCENT }], price: 4n * UNIT })));
  const tune = eventOf(events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  const route = await rpc(api, 'route', [tune, 1, null]);
  const parts = Object.fromEntries(route.map((e) => [e.account ?? `dataset ${e.dataset}`, e.parts]));
  assert.deepEqual(parts, {
    [who[role.developer].address]: 30 * PERCENT,
    [who[role.fineTuner].address]: 50 * PERCENT,
    [`dataset ${dataset}`]: 20 * PERCENT,
  });
  const apiRoute = (await api.call.modelRegistryApi.route(tune, 1)).unwrap();
  assert.equal(apiRoute.length, 3);
  assert.equal(apiRoute[0].parts.toNumber(), route[0].parts);
  const lineage = await rpc(api, 'lineage', [tune, 1, null]);
  assert.deepEqual(lineage.parents, [{ model: base, version: 1, parts: 50 * PERCENT }]);
  log(`${role.fineTuner} fine-tuned it without asking (model #${tune}): its route pays the developer 30%, the fine-tuner 50%, the dataset 20%`);

  const fee = 500n * MILLI;
  await ok(role.provider, tx.invocationMetering.registerOffer(tune, fee, 'https://provider.example/v1'));
  log(`${role.provider} serves model #${tune} at ${trib(fee)} per unit`);

  // ------------------------------------------------------------------ invocations
  const quote = await rpc(api, 'quote', [tune, null, 10, who[role.provider].address, null]);
  assert.deepEqual(quote, { royalty: String(38_800n * MILLI), protocolFee: String(1_200n * MILLI), providerFee: String(5n * UNIT), total: String(45n * UNIT), version: 1 });
  const apiQuote = (await api.call.meteringApi.quote(tune, null, 10, who[role.provider].address)).asOk;
  assert.equal(apiQuote.version.toNumber(), 1);
  assert.equal(apiQuote.quote.total.toBigInt(), 45n * UNIT);
  await ok(role.consumer, tx.invocationMetering.invoke(tune, null, 10, who[role.provider].address, 45n * UNIT));
  log(`${role.consumer} invoked model #${tune} for 10 units: 40 TRIB price (1.2 to the treasury, 38.8 to the route) + 5 TRIB to the provider`);

  const deposit = 100n * UNIT;
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  events = await ok(role.consumer, tx.invocationMetering.openChannel(who[role.provider].address, tune, null, deposit, now + 1_000));
  const channel = eventOf(events, 'invocationMetering', 'ChannelOpened')[0].toNumber();
  log(`${role.consumer} opened payment channel #${channel} to ${role.provider} with ${trib(deposit)}`);
  const vouchers = [];
  const binding = await channelBinding(api, channel);
  for (let calls = 1; calls <= 15; calls++) vouchers.push(signVoucher(api, who[role.consumer], channel, calls, binding));
  const value = await rpc(api, 'voucherValue', [channel, 15, null]);
  assert.equal(BigInt(value.total), 15n * 4_500n * MILLI);
  await ok(role.provider, tx.invocationMetering.settle(channel, vouchers[14].voucher, vouchers[14].signature));
  const state = await rpc(api, 'channel', [channel, null]);
  assert.equal(state.settledUnits, '15');
  assert.equal(BigInt(state.deposit), deposit - 67_500n * MILLI);
  await ok(role.provider, tx.invocationMetering.closeChannel(channel));
  log(`${role.consumer} made 15 metered API calls off chain, signing a voucher after each; ${role.provider} settled the last one (67.5 TRIB) and closed the channel, refunding ${trib(deposit - 67_500n * MILLI)}`);

  const usage = await rpc(api, 'usage', [tune, null]);
  assert.deepEqual(usage, { invocations: '2', units: '25', revenue: String(100n * UNIT) });
  const apiUsage = (await api.call.meteringApi.usage(tune)).unwrap();
  assert.equal(apiUsage.units.toBigInt(), 25n);

  // ------------------------------------------------------------------ distribution
  // Royalty: 38.8 + 58.2 = 97 TRIB. Developer 30% = 29.1, fine-tuner 50% = 48.5, dataset 20% =
  // 19.4, split by shares (whole units, rounded down).
  const royalty = 97n * UNIT;
  assert.equal(BigInt(await rpc(api, 'undistributed', [tune, 1, null])), royalty);
  await ok(role.anyone, tx.royaltyDistribution.distribute(tune, 1));
  log(`${role.anyone} distributed the fine-tune's 97 TRIB of royalties along its route`);
  const pool = (royalty * 20n) / 100n;
  const expected = {
    [role.developer]: { credits: 29_100n * MILLI, pool: 0n },
    [role.fineTuner]: { credits: 48_500n * MILLI, pool: 0n },
    [role.provider]: { credits: 12_500n * MILLI, pool: 0n },
  };
  for (const [name, shares] of Object.entries(expectedShares)) {
    expected[name] = { credits: 0n, pool: (pool * shares) / totalShares };
  }
  for (const [name, { credits, pool: inPool }] of Object.entries(expected)) {
    const pending = await api.call.royaltyApi.pendingRoyalties(who[name].address);
    assert.equal(pending.credits.toBigInt(), credits, `${name}'s credits`);
    assert.equal(pending.total.toBigInt(), credits + inPool, `${name}'s total`);
    const viaRpc = await rpc(api, 'pendingRoyalties', [who[name].address, null]);
    assert.equal(BigInt(viaRpc.total), credits + inPool);
    assert.deepEqual(viaRpc.pools, inPool > 0n ? [{ dataset, amount: String(inPool) }] : []);
  }
  const treasuryPending = await rpc(api, 'pendingRoyalties', [treasury, null]);
  assert.equal(BigInt(treasuryPending.total), treasuryBefore + 3n * UNIT);

  // ------------------------------------------------------------------ claims
  for (const [name, { credits, pool: inPool }] of Object.entries(expected)) {
    const before = await account(name);
    let paid = 0n;
    if (credits > 0n) paid += feePaid(await ok(name, tx.royaltyDistribution.claim()));
    if (inPool > 0n) paid += feePaid(await ok(name, tx.royaltyDistribution.claimPool(dataset)));
    const after = await account(name);
    assert.equal(after.free, before.free + credits + inPool - paid, `${name}'s claim`);
    log(`${name.padEnd(12)} claimed ${trib(credits + inPool)}${inPool > 0n ? ` (${expectedShares[name]} of ${totalShares} shares)` : ''}`);
  }

  // ------------------------------------------------------------------ the books
  const totalFees = Object.values(fees).reduce((a, b) => a + b, 0n);
  const totalAfter = await everything();
  assert.equal(totalAfter + totalFees, totalBefore, 'all balances plus fees paid are unchanged');
  log(`books balance: the accounts, the royalty pot and the treasury hold ${trib(totalAfter)}, plus ${trib(totalFees)} of transaction fees = ${trib(totalBefore)} at the start`);
  return { dataset, base, tune, channel, fees, start };
}
