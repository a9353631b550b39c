// Every feature of the economy through polkadot.js on ONE dev node with instant sealing: the
// `tributary_*` RPC's edges, instant sealing itself, models, datasets and sealed reviews (with
// gold items and a dispute), the money path, the whole lifecycle (lib/lifecycle.mjs, which
// `scripts/demo.sh` tells with readable output), and payment channels. Every balance is checked
// to the unit, transaction fees included.
//
// The sections share the chain, so each creates its own datasets, models and channels and checks
// balances against what it read before it started. Their order matters where a check is about
// the whole chain: the RPC's unknown ids are checked while nothing exists yet, and the money path
// (which checks the royalty pot holds exactly the existential deposit and the treasury's share)
// runs before anything else pays royalties. The lifecycle asserts that its dev accounts have
// nothing pending and registers Charlie and Dave as reviewers, so the sections before it claim
// everything they earn and register other reviewers; payment channels leave credits unclaimed;
// the treasury, last, takes its credits out of the pot.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevNode } from '../lib/node.mjs';
import {
  UNIT, MILLI, PERCENT, PERBILL, devAccounts, devKeyring, potAddress, freeBalance, submit, feePaid,
  send, expectOk, eventOf, rpc, rpcError, versionSpec, signVoucher, channelBinding, signLegacyVoucher,
  treasuryAddress, sealedReview, goldCommitment, newSalt,
} from '../lib/chain.mjs';
import { runLifecycle } from '../lib/lifecycle.mjs';
import { runDisputes } from '../lib/disputes.mjs';

let node;
let api;
let who;

before(async () => {
  who = await devAccounts();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  api = node.api;
});

after(async () => {
  await node?.stop();
});

/** Sends a call that must succeed; returns its events and fee. */
function ok(tx, signer) {
  return expectOk(api, tx, signer);
}

// ------------------------------------------------------------------------------------------------
// The tributary_* RPC methods' edges: an unknown id is a JSON-RPC error with code 4004 in every
// method, a refused quote or voucher an error with code 4000 naming the pallet error, and every
// method reads at the block hash it is given.
describe('the tributary_* RPC', () => {
  test('unknown ids and refusals are clear JSON-RPC errors', async () => {
    // First on the fresh chain: no model 7, channel 3 or dataset 9 exists yet.
    const { bob } = who;
    assert.match(await rpcError(api, 'route', [7, 1]), /4004: no version 1 of model 7/);
    assert.match(await rpcError(api, 'lineage', [7, 1]), /4004/);
    assert.match(await rpcError(api, 'undistributed', [7, 1]), /4004/);
    assert.match(await rpcError(api, 'channel', [3]), /4004: no open channel 3/);
    assert.match(await rpcError(api, 'shares', [9, null]), /4004: no dataset 9/);
    assert.match(await rpcError(api, 'quote', [7, null, 1, null]), /4004/);
    assert.match(await rpcError(api, 'usage', [7]), /4004: no model 7/);
    assert.match(await rpcError(api, 'quote', [7, null, 0, null]), /4000: ZeroUnits/);
    assert.match(await rpcError(api, 'voucherValue', [3, 10]), /4004/);
    assert.deepEqual(await rpc(api, 'pendingRoyalties', [bob.address]), { credits: '0', pools: [], total: '0' });
  });

  test('reads happen at the block given', async () => {
    const { alice } = who;
    const before = (await api.rpc.chain.getBlockHash()).toHex();
    const { events } = await ok(
      api.tx.dataContribution.createDataset('d', '0x' + '00'.repeat(32), 's', 'l', {
        minModelShare: 0,
        sharesPerItem: 1,
        contributionQuorum: 1,
      }),
      alice,
    );
    const dataset = eventOf(events, 'dataContribution', 'DatasetCreated')[0].toNumber();
    assert.deepEqual(await rpc(api, 'shares', [dataset, alice.address]), { total: '0', holder: '0' });
    assert.match(await rpcError(api, 'shares', [dataset, null, before]), /4004/);
  });
});

// ------------------------------------------------------------------------------------------------
// Oversized input: a text or list over its runtime bound is included and fails with the error
// naming the bound (the fee is paid, nothing else changes), instead of being refused as
// undecodable. Each bound has its own test in the pallets; these are the ones clients meet first.
describe('oversized input', () => {
  test('a 65-byte dataset name and a 257-byte endpoint fail with named errors', async () => {
    const { alice, bob } = who;
    const terms = { minModelShare: 0, sharesPerItem: 1, contributionQuorum: 1 };
    const name = await send(api, api.tx.dataContribution.createDataset('n'.repeat(65), '0x' + '00'.repeat(32), 's', 'l', terms), alice);
    assert.equal(name.dispatchError, 'dataContribution.NameTooLong');
    const license = await send(api, api.tx.dataContribution.createDataset('n', '0x' + '00'.repeat(32), 's', 'l'.repeat(65), terms), alice);
    assert.equal(license.dispatchError, 'dataContribution.LicenseTooLong');
    const endpoint = await send(api, api.tx.invocationMetering.registerOffer(0, 1, 'e'.repeat(257)), bob);
    assert.equal(endpoint.dispatchError, 'invocationMetering.EndpointTooLong');
    const label = await send(api, api.tx.modelRegistry.register('m', 'Text', { ...versionSpec({ ownerShare: PERBILL, price: 1n }), label: 'l'.repeat(33) }), bob);
    assert.equal(label.dispatchError, 'modelRegistry.LabelTooLong');
  });
});

// ------------------------------------------------------------------------------------------------
// `--sealing instant`: a block is authored and finalized for each transaction, which is what
// keeps this suite fast.
describe('instant sealing', () => {
  test('each transaction is sealed and finalized at once, in consecutive blocks', async () => {
    const { charlie } = who;
    const fresh = (await devKeyring()).addFromUri('//TributaryInstantSeal');
    const amount = 5n * UNIT;

    const startNumber = (await api.rpc.chain.getHeader()).number.toNumber();
    const charlieBefore = await freeBalance(api, charlie.address);
    assert.equal(await freeBalance(api, fresh.address), 0n);

    let fees = 0n;
    let lastNumber = startNumber;
    for (let i = 0; i < 3; i += 1) {
      const { blockHash, events, dispatchError } = await submit(
        api,
        api.tx.balances.transferKeepAlive(fresh.address, amount),
        charlie,
      );
      assert.equal(dispatchError, null);
      fees += feePaid(events);
      const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
      assert.equal(number, lastNumber + 1, 'one block per transaction');
      lastNumber = number;
      const finalized = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
      assert.equal(finalized.number.toNumber(), number, 'finalized at once');
    }

    assert.equal(await freeBalance(api, fresh.address), 3n * amount);
    assert.equal(await freeBalance(api, charlie.address), charlieBefore - 3n * amount - fees);
  });
});

// ------------------------------------------------------------------------------------------------
// Models: a developer registers a base model trained on a dataset, a fine-tuner registers a
// derivative without asking anyone, and the flattened royalty route stored with each version is
// read back and checked part by part; deposits are exact.
describe('models', () => {
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
      api,
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
});

// ------------------------------------------------------------------------------------------------
// Datasets, annotation tasks and sealed reviews: a curator creates a dataset, a requester funds a
// task, two annotators label its two items with a stake each, a panel of two reviewers seals its
// votes, reveals them and accepts both, and the requester pays them; then gold items and a
// dispute. Every balance, hold and share count is checked to the unit. (The reviewers are Eve,
// Ferdie and a fresh account: the lifecycle registers Charlie and Dave, and a reviewer registers
// once.)
describe('datasets, annotation and reviews', () => {
  /** What `address` has on hold for the data contribution pallet's `reason`. */
  async function held(address, reason) {
    let amount = 0n;
    for (const hold of await api.query.balances.holds(address)) {
      if (hold.id.type === 'DataContribution' && hold.id.value.type === reason) amount += hold.amount.toBigInt();
    }
    return amount;
  }

  test('two annotators and two reviewers complete a task; balances and shares are exact', async () => {
    const { alice, bob, charlie, dave, eve, ferdie } = who;
    const consts = api.consts.dataContribution;
    const holdingDeposit = consts.shareholdingDeposit.toBigInt();
    const datasetDeposit = consts.datasetDeposit.toBigInt();
    const bond = consts.minReviewerBond.toBigInt();
    const reviewerShare = consts.reviewerShare.toNumber(); // parts per billion
    const acceptanceWindow = consts.acceptanceWindow.toNumber();

    const start = {};
    for (const [name, pair] of Object.entries(who)) start[name] = await freeBalance(api, pair.address);
    const fees = Object.fromEntries(Object.keys(who).map((name) => [name, 0n]));
    const pay = (name, fee) => {
      fees[name] += fee;
    };
    const nameOf = (pair) => Object.keys(who).find((name) => who[name].address === pair.address);

    // The curator creates a dataset: 100 shares per item, 10% of any model's royalties.
    const sharesPerItem = 100n;
    let r = await ok(
      api.tx.dataContribution.createDataset('street-signs', '0x' + '11'.repeat(32), 'image/png+label', 'CC-BY-4.0', {
        minModelShare: 10 * PERCENT,
        sharesPerItem,
        contributionQuorum: 2,
      }),
      alice,
    );
    pay('alice', r.fee);
    const datasetId = eventOf(r.events, 'dataContribution', 'DatasetCreated')[0].toNumber();

    // Its governance: the curator admits the requester and the two reviewers. Before that,
    // neither may act on the dataset.
    const opensAt = (await api.rpc.chain.getHeader()).number.toNumber();
    r = await send(api, api.tx.dataContribution.openTask(datasetId, 2, 10n * UNIT, UNIT, 2, opensAt + 1_000, null), bob);
    assert.equal(r.dispatchError, 'dataContribution.NotDatasetRequester');
    pay('bob', r.fee);
    for (const [member, role] of [[bob, 'Requester'], [eve, 'Reviewer'], [ferdie, 'Reviewer']]) {
      r = await ok(api.tx.dataContribution.admitMember(datasetId, member.address, role), alice);
      pay('alice', r.fee);
    }

    // The requester funds a task of two items, without gold items: 10 TRIB per item and 1 TRIB
    // to each of the two reviewers on an item's panel.
    const reward = 10n * UNIT;
    const reviewerFee = 1n * UNIT;
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    r = await ok(api.tx.dataContribution.openTask(datasetId, 2, reward, reviewerFee, 2, head + 1_000, null), bob);
    pay('bob', r.fee);
    const [taskId, , , , bounty] = eventOf(r.events, 'dataContribution', 'TaskOpened');
    assert.equal(bounty.toBigInt(), 2n * (reward + 2n * reviewerFee));

    for (const [name, pair] of [['eve', eve], ['ferdie', ferdie]]) {
      r = await ok(api.tx.dataContribution.registerReviewer(bond), pair);
      pay(name, r.fee);
    }
    // Each annotator stakes the item's reviewer fees with its result: they pay the panel if the
    // result is rejected.
    const stake = 2n * reviewerFee;
    for (const [name, pair, item] of [['charlie', charlie, 0], ['dave', dave, 1]]) {
      r = await ok(api.tx.dataContribution.claimSlot(taskId, item), pair);
      pay(name, r.fee);
      const before = await freeBalance(api, pair.address);
      r = await ok(api.tx.dataContribution.submitResult(taskId, item, '0x' + String(item + 2).repeat(64)), pair);
      pay(name, r.fee);
      assert.equal(await freeBalance(api, pair.address), before - r.fee - stake, `${name} staked`);
      assert.equal(await held(pair.address, 'AnnotationStake'), stake, `${name}'s stake is held`);
    }

    // Each item's panel: Eve and Ferdie seal their votes, then reveal them; both approve, and the
    // last reveal accepts the item, payable by anyone once its acceptance window ends.
    for (const [item, annotator] of [[0, charlie], [1, dave]]) {
      const review = await sealedReview(api, { Item: { task: taskId, item } }, [[eve, true], [ferdie, true]]);
      for (const { signer, fee } of review.calls) pay(nameOf(signer), fee);
      const accepted = eventOf(review.events, 'dataContribution', 'ItemAccepted');
      assert.equal(accepted.task.toNumber(), taskId.toNumber());
      assert.equal(accepted.item.toNumber(), item);
      assert.equal(accepted.annotator.toString(), annotator.address);
      assert.equal(accepted.payableAt.toNumber(), review.block + acceptanceWindow);
    }

    // Accepted items wait for payment: the task does not close yet, and within the window only
    // the requester or the curator may have an item paid.
    r = await send(api, api.tx.dataContribution.closeTask(taskId), bob);
    assert.equal(r.dispatchError, 'dataContribution.ItemsAwaitingPayment');
    pay('bob', r.fee);
    r = await send(api, api.tx.dataContribution.payItem(taskId, 0), charlie);
    assert.equal(r.dispatchError, 'dataContribution.NotPayableYet');
    pay('charlie', r.fee);

    // The requester confirms both at once: each annotator is paid its reward and gets its stake
    // back, each reviewer who revealed is paid its fee; shares are minted.
    const reviewerShares = (sharesPerItem * BigInt(reviewerShare)) / BigInt(PERBILL);
    for (const [item, annotator] of [[0, charlie], [1, dave]]) {
      r = await ok(api.tx.dataContribution.payItem(taskId, item), bob);
      pay('bob', r.fee);
      const paid = eventOf(r.events, 'dataContribution', 'ItemPaid');
      assert.equal(paid.item.toNumber(), item);
      assert.equal(paid.annotator.toString(), annotator.address);
      assert.equal(paid.reward.toBigInt(), reward);
      assert.equal(paid.annotatorShares.toBigInt(), sharesPerItem);
      assert.equal(paid.reviewersPaid.toNumber(), 2);
      assert.equal(paid.reviewerFee.toBigInt(), reviewerFee);
      assert.equal(paid.reviewerShares.toBigInt(), reviewerShares);
      assert.equal(paid.refunded.toBigInt(), 0n);
      assert.equal(await held(annotator.address, 'AnnotationStake'), 0n, 'the stake is released');
    }

    // Closing returns the task deposit; the bounty is fully spent.
    r = await ok(api.tx.dataContribution.closeTask(taskId), bob);
    pay('bob', r.fee);
    const [, paidItems, refunded] = eventOf(r.events, 'dataContribution', 'TaskClosed');
    assert.equal(paidItems.toNumber(), 2);
    assert.equal(refunded.toBigInt(), 0n);

    const now = {};
    for (const [name, pair] of Object.entries(who)) now[name] = await freeBalance(api, pair.address);
    assert.equal(now.alice, start.alice - datasetDeposit - fees.alice);
    assert.equal(now.bob, start.bob - bounty.toBigInt() - fees.bob);
    for (const name of ['charlie', 'dave']) {
      assert.equal(now[name], start[name] - holdingDeposit + reward - fees[name], `${name}'s balance`);
    }
    for (const name of ['eve', 'ferdie']) {
      assert.equal(now[name], start[name] - bond - holdingDeposit + 2n * reviewerFee - fees[name], `${name}'s balance`);
    }

    const shares = async (pair) => {
      const holding = await api.query.dataContribution.shareholdings(datasetId, pair.address);
      return holding.unwrap().shares.toBigInt();
    };
    assert.equal(await shares(charlie), sharesPerItem);
    assert.equal(await shares(dave), sharesPerItem);
    assert.equal(await shares(eve), 2n * reviewerShares);
    assert.equal(await shares(ferdie), 2n * reviewerShares);
    const dataset = (await api.query.dataContribution.datasets(datasetId)).unwrap();
    assert.equal(dataset.totalShares.toBigInt(), 2n * sharesPerItem + 4n * reviewerShares);
    assert.equal(dataset.holders.toNumber(), 4);
  });

  test('a gold item bars a careless annotator; a disputed item pays only the treasury and the dissenter', async () => {
    const { alice, bob, charlie, dave, eve, ferdie } = who;
    const tx = api.tx.dataContribution;
    const consts = api.consts.dataContribution;
    const holdingDeposit = consts.shareholdingDeposit.toBigInt();
    const datasetDeposit = consts.datasetDeposit.toBigInt();
    const bond = consts.minReviewerBond.toBigInt();
    const reviewerShares = (100n * BigInt(consts.reviewerShare.toNumber())) / BigInt(PERBILL);
    const reputationReward = consts.reputationReward.toNumber();
    const reputationPenalty = consts.reputationPenalty.toNumber();
    const treasury = consts.treasuryAccount.toString();
    assert.equal(treasury, treasuryAddress(api));

    // A third reviewer, so that a panel of three can split: a fresh account Alice funds.
    const grace = (await devKeyring()).addFromUri('//TributaryGrace');
    const parties = { alice, bob, charlie, dave, eve, ferdie, grace };
    const start = {};
    for (const [name, pair] of Object.entries(parties)) start[name] = await freeBalance(api, pair.address);
    const treasuryStart = await freeBalance(api, treasury);
    const fees = Object.fromEntries(Object.keys(parties).map((name) => [name, 0n]));
    const nameOf = (pair) => Object.keys(parties).find((name) => parties[name].address === pair.address);
    /** `pair` sends `call`, which must succeed; returns its events. */
    async function act(pair, call) {
      const r = await ok(call, pair);
      fees[nameOf(pair)] += r.fee;
      return r.events;
    }
    /** `pair` sends `call`, which must fail; returns its error. */
    async function refused(pair, call) {
      const r = await send(api, call, pair);
      fees[nameOf(pair)] += r.fee;
      return r.dispatchError;
    }

    const funding = bond + 10n * UNIT;
    await act(alice, api.tx.balances.transferKeepAlive(grace.address, funding));
    let events = await act(alice, tx.createDataset('street-signs-audit', '0x' + '12'.repeat(32), 'image/png+label', 'CC-BY-4.0', {
      minModelShare: 10 * PERCENT,
      sharesPerItem: 100,
      contributionQuorum: 1,
    }));
    const datasetId = eventOf(events, 'dataContribution', 'DatasetCreated')[0].toNumber();
    await act(alice, tx.admitMember(datasetId, bob.address, 'Requester'));
    const bonded = { grace: bond };
    for (const [name, pair] of [['eve', eve], ['ferdie', ferdie], ['grace', grace]]) {
      await act(alice, tx.admitMember(datasetId, pair.address, 'Reviewer'));
      if ((await api.query.dataContribution.reviewers(pair.address)).isNone) {
        await act(pair, tx.registerReviewer(bond));
        bonded[name] = bond;
      }
    }

    const reward = 10n * UNIT;
    const reviewerFee = 1n * UNIT;

    // ---- Gold: Bob commits to the answer of item 0 when opening a task of two items; Charlie
    // labels item 0 otherwise and stakes the panel's two fees on it.
    const expected = '0x' + 'a1'.repeat(32);
    const submitted = '0x' + 'b2'.repeat(32);
    const salt = newSalt();
    const commitment = goldCommitment(api, [[0, expected]], salt);
    let head = (await api.rpc.chain.getHeader()).number.toNumber();
    events = await act(bob, tx.openTask(datasetId, 2, reward, reviewerFee, 2, head + 1_000, commitment));
    const opened = eventOf(events, 'dataContribution', 'TaskOpened');
    const goldTask = opened.task.toNumber();
    assert.equal(opened.gold.unwrap().toHex(), commitment);
    const goldStake = 2n * reviewerFee;
    await act(charlie, tx.claimSlot(goldTask, 0));
    await act(charlie, tx.submitResult(goldTask, 0, submitted));
    assert.equal(await held(charlie.address, 'AnnotationStake'), goldStake);

    // Answers other than those committed do not open the commitment.
    assert.equal(await refused(bob, tx.revealGold(goldTask, [[0, submitted]], salt)), 'dataContribution.GoldMismatch');
    // The real ones do: Charlie's result differs, so its stake goes to the treasury and it is
    // barred from the task.
    events = await act(bob, tx.revealGold(goldTask, [[0, expected]], salt));
    const failed = eventOf(events, 'dataContribution', 'GoldFailed');
    assert.equal(failed.task.toNumber(), goldTask);
    assert.equal(failed.item.toNumber(), 0);
    assert.equal(failed.annotator.toString(), charlie.address);
    assert.equal(failed.expected.toHex(), expected);
    assert.equal(failed.submitted.toHex(), submitted);
    const revealed = eventOf(events, 'dataContribution', 'GoldRevealed');
    assert.equal(revealed.goldItems.toNumber(), 1);
    assert.equal(revealed.barred.toNumber(), 1);
    assert.equal(await freeBalance(api, treasury), treasuryStart + goldStake, 'the stake went to the treasury');
    assert.equal(await held(charlie.address, 'AnnotationStake'), 0n);
    assert.ok((await api.query.dataContribution.slots(goldTask, 0)).unwrap().isGold, 'item 0 is a gold item now');
    assert.equal(await refused(charlie, tx.claimSlot(goldTask, 1)), 'dataContribution.AnnotatorBarred');
    // Nothing was paid: closing returns the whole bounty.
    events = await act(bob, tx.closeTask(goldTask));
    const goldClosed = eventOf(events, 'dataContribution', 'TaskClosed');
    assert.equal(goldClosed.paid.toNumber(), 0);
    assert.equal(goldClosed.refunded.toBigInt(), opened.bounty.toBigInt());
    assert.equal(opened.bounty.toBigInt(), 2n * (reward + 2n * reviewerFee));

    // ---- A dispute: a task of two items with panels of three. Charlie's item 0 is accepted two
    // votes to one (Grace dissents), and so is Dave's item 1 (Ferdie dissents).
    head = (await api.rpc.chain.getHeader()).number.toNumber();
    events = await act(bob, tx.openTask(datasetId, 2, reward, reviewerFee, 3, head + 1_000, null));
    const { task: taskId, bounty } = eventOf(events, 'dataContribution', 'TaskOpened');
    assert.equal(bounty.toBigInt(), 2n * (reward + 3n * reviewerFee));
    const stake = 3n * reviewerFee;
    for (const [pair, item] of [[charlie, 0], [dave, 1]]) {
      await act(pair, tx.claimSlot(taskId, item));
      await act(pair, tx.submitResult(taskId, item, '0x' + String(item + 5).repeat(64)));
      assert.equal(await held(pair.address, 'AnnotationStake'), stake);
    }
    const reputation = async (pair) => (await api.query.dataContribution.reviewers(pair.address)).unwrap().reputation.toNumber();
    const reputationBefore = { eve: await reputation(eve), ferdie: await reputation(ferdie), grace: await reputation(grace) };
    for (const [item, votes] of [[0, [[eve, true], [ferdie, true], [grace, false]]], [1, [[eve, true], [ferdie, false], [grace, true]]]]) {
      const review = await sealedReview(api, { Item: { task: taskId, item } }, votes);
      for (const { signer, fee } of review.calls) fees[nameOf(signer)] += fee;
      assert.equal(eventOf(review.events, 'dataContribution', 'ItemAccepted').item.toNumber(), item);
    }

    // Bob disputes item 0 within its window: Charlie is not paid and forfeits its stake to the
    // treasury, Grace (who voted to reject) is paid her fee, and the rest of the item's budget
    // goes to the treasury, not back to Bob.
    const treasuryBefore = await freeBalance(api, treasury);
    const graceBefore = await freeBalance(api, grace.address);
    events = await act(bob, tx.disputeItem(taskId, 0));
    const disputed = eventOf(events, 'dataContribution', 'ItemDisputed');
    assert.equal(disputed.annotator.toString(), charlie.address);
    assert.equal(disputed.disputedBy.toString(), bob.address);
    assert.equal(disputed.toTreasury.toBigInt(), reward + 2n * reviewerFee);
    assert.equal(disputed.stakeForfeited.toBigInt(), stake);
    assert.equal(await freeBalance(api, treasury), treasuryBefore + reward + 2n * reviewerFee + stake);
    assert.equal(await freeBalance(api, grace.address), graceBefore + reviewerFee);
    assert.equal(await held(charlie.address, 'AnnotationStake'), 0n);
    assert.ok((await api.query.dataContribution.slots(taskId, 0)).unwrap().isDisputed);
    assert.equal(await refused(bob, tx.payItem(taskId, 0)), 'dataContribution.NotAccepted');

    // Item 1 is paid: every reviewer who revealed is paid, the dissenter too.
    events = await act(bob, tx.payItem(taskId, 1));
    const paid = eventOf(events, 'dataContribution', 'ItemPaid');
    assert.equal(paid.annotator.toString(), dave.address);
    assert.equal(paid.reward.toBigInt(), reward);
    assert.equal(paid.annotatorShares.toBigInt(), 100n);
    assert.equal(paid.reviewersPaid.toNumber(), 3);
    assert.equal(paid.reviewerFee.toBigInt(), reviewerFee);
    assert.equal(paid.reviewerShares.toBigInt(), reviewerShares);
    assert.equal(paid.refunded.toBigInt(), 0n);
    events = await act(bob, tx.closeTask(taskId));
    const closed = eventOf(events, 'dataContribution', 'TaskClosed');
    assert.equal(closed.paid.toNumber(), 1);
    assert.equal(closed.refunded.toBigInt(), 0n);

    // The books: the gold task cost Bob nothing but fees, the dispute task its whole bounty.
    const now = {};
    for (const [name, pair] of Object.entries(parties)) now[name] = await freeBalance(api, pair.address);
    assert.equal(now.alice, start.alice - funding - datasetDeposit - fees.alice);
    assert.equal(now.bob, start.bob - bounty.toBigInt() - fees.bob);
    assert.equal(now.charlie, start.charlie - holdingDeposit - goldStake - stake - fees.charlie, "charlie's balance");
    assert.equal(now.dave, start.dave - holdingDeposit + reward - fees.dave, "dave's balance");
    assert.equal(now.eve, start.eve - (bonded.eve ?? 0n) - holdingDeposit + reviewerFee - fees.eve, "eve's balance");
    assert.equal(now.ferdie, start.ferdie - (bonded.ferdie ?? 0n) - holdingDeposit + reviewerFee - fees.ferdie, "ferdie's balance");
    assert.equal(now.grace, start.grace + funding - bond - holdingDeposit + 2n * reviewerFee - fees.grace, "grace's balance");
    assert.equal(await freeBalance(api, treasury), treasuryStart + goldStake + reward + 2n * reviewerFee + stake);

    // Shares: Charlie has none, the others one item's worth each.
    const shares = async (pair) => (await api.query.dataContribution.shareholdings(datasetId, pair.address)).unwrap().shares.toBigInt();
    assert.equal(await shares(charlie), 0n);
    assert.equal(await shares(dave), 100n);
    for (const pair of [eve, ferdie, grace]) assert.equal(await shares(pair), reviewerShares);
    const dataset = (await api.query.dataContribution.datasets(datasetId)).unwrap();
    assert.equal(dataset.totalShares.toBigInt(), 100n + 3n * reviewerShares);
    assert.equal(dataset.holders.toNumber(), 5);

    // Reputations: each revealed vote was judged against its verdict, and the dispute overturned
    // the judgement of the votes on item 0 (rejecting having been right): an approval's reward
    // was undone and the penalty taken, the rejection's penalty undone and the reward given.
    assert.equal(await reputation(eve), reputationBefore.eve + reputationReward - reputationPenalty);
    assert.equal(await reputation(ferdie), reputationBefore.ferdie - 2 * reputationPenalty);
    assert.equal(await reputation(grace), reputationBefore.grace + 2 * reputationReward);
  });
});

// ------------------------------------------------------------------------------------------------
// The money path: a contributor fills a dataset, a developer registers a base model on it, a
// fine-tuner derives from it, a provider serves the fine-tune, a consumer invokes it; anyone
// distributes; the dataset contributor, the base-model owner, the fine-tuner and the provider
// claim.
describe('the money path', () => {
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
    const artifactHash = '0x' + 'cd'.repeat(32);
    r = await ok(
      tx.modelRegistry.register('rad-base', 'Text', versionSpec({ ownerShare: 70 * PERCENT, datasets: [{ id: dataset, share: 30 * PERCENT }], price: UNIT, artifactHash })),
      charlie,
    );
    const base = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
    r = await ok(
      tx.modelRegistry.register('rad-summarizer', 'Text', versionSpec({ ownerShare: 60 * PERCENT, parents: [{ model: base, share: 40 * PERCENT }], price: UNIT, artifactHash })),
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
    const pot = await api.query.system.account(potAddress(api));
    assert.equal(pot.data.free.toBigInt(), api.consts.balances.existentialDeposit.toBigInt() + 300n * MILLI);
  });
});

// ------------------------------------------------------------------------------------------------
// The whole lifecycle: see lib/lifecycle.mjs for the story and its hand-computed expectations
// (checked through storage, runtime APIs and the tributary_* RPC).
describe('the lifecycle', () => {
  test('dataset → annotation → reviews → model → fine-tune → invocations and a channel → distribution → claims', async () => {
    await runLifecycle(api);
  });
});

// ------------------------------------------------------------------------------------------------
// Payment channels: a consumer opens a channel to a provider and signs a cumulative voucher after
// each off-chain call, in JS (the keyring signs with @polkadot/util-crypto's sr25519); the
// provider settles only the latest ones; a replay and a forgery are refused; the consumer asks to
// close, the provider settles its last voucher and closes; every balance is exact.
describe('payment channels', () => {
  test('a channel pays for off-chain calls with vouchers signed in JS', async () => {
    const { bob, charlie, dave } = who;
    const tx = api.tx;
    const channelDeposit = api.consts.invocationMetering.channelDeposit.toBigInt();

    // Bob's model at 1 TRIB per unit, served by Charlie at 0.2 TRIB per unit.
    let r = await ok(
      tx.modelRegistry.register(
        'chat-small',
        'Text',
        versionSpec({ ownerShare: PERBILL, price: UNIT, derivatives: 'Forbidden', artifactHash: '0x' + 'ef'.repeat(32) }),
      ),
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
    const binding = await channelBinding(api, channel);
    for (let units = 1; units <= 75; units++) vouchers.push(signVoucher(api, dave, channel, units, binding));
    for (const index of [29, 74]) {
      const { voucher, signature } = vouchers[index];
      r = await ok(tx.invocationMetering.settle(channel, voucher, signature), charlie);
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
    r = await send(api, tx.invocationMetering.settle(channel, vouchers[29].voucher, vouchers[29].signature), charlie);
    assert.equal(r.dispatchError, 'invocationMetering.StaleVoucher');
    const forged = signVoucher(api, bob, channel, 80, binding);
    r = await send(api, tx.invocationMetering.settle(channel, forged.voucher, forged.signature), charlie);
    assert.equal(r.dispatchError, 'invocationMetering.BadSignature');
    // A voucher bound to another provider does not settle; one in the first format (before
    // channels had nonces) is refused by name.
    const elsewhere = signVoucher(api, dave, channel, 80, { ...binding, provider: api.createType('AccountId32', bob.address) });
    r = await send(api, tx.invocationMetering.settle(channel, elsewhere.voucher, elsewhere.signature), charlie);
    assert.equal(r.dispatchError, 'invocationMetering.BadSignature');
    const legacy = signLegacyVoucher(api, dave, channel, 80);
    r = await send(api, tx.invocationMetering.settle(channel, legacy.voucher, legacy.signature), charlie);
    assert.equal(r.dispatchError, 'invocationMetering.OutdatedVoucher');
    const rpcChannel = await rpc(api, 'channel', [channel, null]);
    assert.equal(rpcChannel.nonce, binding.nonce.toHex());

    // Dave asks to close; Charlie settles the last voucher (80 units) and closes at once.
    r = await ok(tx.invocationMetering.requestClose(channel), dave);
    daveFees += r.fee;
    const last = signVoucher(api, dave, channel, 80, binding);
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
    r = await send(api, tx.invocationMetering.settle(channel, last.voucher, last.signature), charlie);
    assert.equal(r.dispatchError, 'invocationMetering.ChannelFinalized');
  });
});

// ------------------------------------------------------------------------------------------------
// Disputes of a version's lineage: anyone disputes with a bond, the version's royalties freeze,
// sudo (the dev chain's dispute origin) rules; upheld, the wronged dataset gets its share through
// a corrective route; rejected, the bond goes to the treasury.
describe('lineage disputes', () => {
  test('a version hiding its training data pays the dataset once a dispute is upheld; a frivolous dispute loses its bond', async () => {
    await runDisputes(api);
  });
});

// ------------------------------------------------------------------------------------------------
// The treasury, last (it takes the treasury's credits out of the pot): protocol fees wait in the
// pot as the treasury's credits until anyone pays them out to it with `claimFor`; only the spend
// origin (root, so sudo on this chain) can spend them, and anyone may then pay the spend out.
describe('the treasury', () => {
  test('protocol fees reach the treasury and only the spend origin spends them', async () => {
    const { alice, bob, ferdie } = who;
    const treasury = treasuryAddress(api);
    const owed = BigInt((await rpc(api, 'pendingRoyalties', [treasury, null])).total);
    assert.ok(owed > UNIT, `the treasury is owed the protocol fees so far (${owed})`);
    const start = await freeBalance(api, treasury);
    await ok(api.tx.royaltyDistribution.claimFor(treasury), ferdie);
    assert.equal(await freeBalance(api, treasury), start + owed);
    assert.equal(BigInt((await rpc(api, 'pendingRoyalties', [treasury, null])).total), 0n);

    let r = await send(api, api.tx.treasury.spend(null, UNIT, bob.address, null), bob);
    assert.equal(r.dispatchError, 'BadOrigin');
    r = await ok(api.tx.sudo.sudo(api.tx.treasury.spend(null, UNIT, bob.address, null)), alice);
    const sudid = eventOf(r.events, 'sudo', 'Sudid')[0];
    assert.ok(sudid.isOk, `the spend failed: ${sudid}`);
    const index = eventOf(r.events, 'treasury', 'AssetSpendApproved')[0].toNumber();
    const bobStart = await freeBalance(api, bob.address);
    await ok(api.tx.treasury.payout(index), ferdie);
    assert.equal(await freeBalance(api, bob.address), bobStart + UNIT);
    assert.equal(await freeBalance(api, treasury), start + owed - UNIT);
  });
});
