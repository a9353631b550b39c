// Disputes of a version's lineage, told as a story: a model that hides the dataset it was trained
// on is disputed, its royalties freeze, sudo (the dev chain's dispute origin) upholds the dispute
// and the dataset receives its share through a corrective route; a frivolous dispute loses its
// bond to the treasury. Every amount is checked to the unit. `test/economy.test.mjs` runs it as a
// test, `scripts/demo.sh` after the lifecycle.
import assert from 'node:assert/strict';
import {
  UNIT, MILLI, PERCENT, devAccounts, devKeyring, freeBalance, treasuryAddress, expectOk, send, eventOf, rpc,
  versionSpec, trib,
} from './chain.mjs';

/** Tells the story on `api`'s dev chain, asserting every step, and passes a line per step to `log`. */
export async function runDisputes(api, log = () => {}) {
  const who = await devAccounts();
  const ok = (call, signer) => expectOk(api, call, signer);

  const { alice, charlie, dave, eve, ferdie } = who;
  const tx = api.tx;
  const bond = api.consts.modelRegistry.disputeBond.toBigInt();
  const treasury = treasuryAddress(api);

  // Henry curates a forum dataset; Eve trains on it but declares no dataset at all.
  const henry = (await devKeyring()).addFromUri('//TributaryHenry');
  await ok(tx.balances.transferKeepAlive(henry.address, 1_000n * UNIT), alice);
  let r = await ok(
    tx.dataContribution.createDataset('forum-threads', '0x' + '55'.repeat(32), 'text/jsonl', 'CC-BY-NC-4.0', {
      minModelShare: 0,
      sharesPerItem: 1,
      contributionQuorum: 1,
    }),
    henry,
  );
  const dataset = eventOf(r.events, 'dataContribution', 'DatasetCreated')[0].toNumber();
  r = await ok(tx.modelRegistry.register('forum-bot', 'Text', versionSpec({ ownerShare: 100 * PERCENT, price: 10n * UNIT })), eve);
  const model = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  const versionDeposit = eventOf(r.events, 'modelRegistry', 'VersionPublished')[4].toBigInt();
  log(`Henry curates dataset #${dataset}; Eve trains model #${model} on it but declares no dataset: her route pays herself 100%`);

  // Ferdie pays 10 TRIB for one unit: 9.7 TRIB royalty waits for distribution.
  await ok(tx.invocationMetering.invoke(model, null, 1, null, 10n * UNIT), ferdie);
  log('Ferdie invoked it for 10 TRIB: 9.7 TRIB of royalty waits for distribution');

  // Dave disputes: his bond is held and the version's royalties freeze.
  const daveStart = await api.query.system.account(dave.address);
  r = await ok(tx.modelRegistry.openDispute(model, 1, { OmittedDataset: dataset }, '0x' + '66'.repeat(32)), dave);
  const dispute = eventOf(r.events, 'modelRegistry', 'DisputeOpened')[0].toNumber();
  let daveNow = await api.query.system.account(dave.address);
  assert.equal(daveNow.data.free.toBigInt(), daveStart.data.free.toBigInt() - r.fee - bond);
  assert.equal(daveNow.data.reserved.toBigInt(), daveStart.data.reserved.toBigInt() + bond);
  let sent = await send(api, tx.royaltyDistribution.distribute(model, 1), alice);
  assert.equal(sent.dispatchError, 'royaltyDistribution.RoyaltiesFrozen');
  log(`Dave disputed the lineage (dataset #${dataset} omitted) with a ${trib(bond)} bond: the version's royalties froze, distribute is refused`);

  // Only the dispute origin rules (sudo here): upheld, 30% of the version's revenue goes to
  // the dataset, Eve's version deposit to Dave, Dave's bond back.
  sent = await send(api, tx.modelRegistry.ruleDispute(dispute, true, 30 * PERCENT), dave);
  assert.equal(sent.dispatchError, 'BadOrigin');
  const beforeRuling = await api.query.system.account(dave.address);
  r = await ok(tx.sudo.sudo(tx.modelRegistry.ruleDispute(dispute, true, 30 * PERCENT)), alice);
  assert.ok(eventOf(r.events, 'sudo', 'Sudid')[0].isOk);
  const upheld = eventOf(r.events, 'modelRegistry', 'DisputeUpheld');
  assert.equal(upheld.slashed.toBigInt(), versionDeposit);
  daveNow = await api.query.system.account(dave.address);
  assert.equal(daveNow.data.free.toBigInt(), beforeRuling.data.free.toBigInt() + bond + versionDeposit);
  assert.equal(daveNow.data.reserved.toBigInt(), daveStart.data.reserved.toBigInt());
  log(`sudo upheld it: 30% of the version's revenue now goes to the dataset, Eve's ${trib(versionDeposit)} version deposit to Dave, his bond back`);

  // The version takes no new invocations; its waiting revenue follows the corrective route.
  sent = await send(api, tx.invocationMetering.invoke(model, null, 1, null, 10n * UNIT), ferdie);
  assert.equal(sent.dispatchError, 'invocationMetering.Infringing');
  const credits = async (pair) => BigInt((await rpc(api, 'pendingRoyalties', [pair.address, null])).credits);
  const eveBefore = await credits(eve);
  r = await ok(tx.royaltyDistribution.distribute(model, 1), alice);
  assert.equal(eventOf(r.events, 'royaltyDistribution', 'RevenueDistributed').distributed.toBigInt(), 9_700n * MILLI);
  assert.equal(await credits(eve), eveBefore + 6_790n * MILLI, "Eve's 70%");
  // The dataset has no shares yet: its 30% (2.91 TRIB) goes to its curator.
  const henryStart = await freeBalance(api, henry.address);
  r = await ok(tx.royaltyDistribution.claim(), henry);
  assert.equal(await freeBalance(api, henry.address), henryStart - r.fee + 2_910n * MILLI);
  log('the version takes no new invocations; its frozen 9.7 TRIB went 2.91 to the dataset (its curator, as it has no shares yet) and 6.79 to Eve');

  // Charlie claims Eve's second model copies the first, and cannot show it: rejected, his
  // bond goes to the treasury.
  r = await ok(tx.modelRegistry.register('forum-bot-2', 'Text', versionSpec({ ownerShare: 100 * PERCENT, price: UNIT })), eve);
  const second = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  const charlieStart = await freeBalance(api, charlie.address);
  const treasuryStart = await freeBalance(api, treasury);
  r = await ok(tx.modelRegistry.openDispute(second, 1, { CopiedWeights: { model, version: 1 } }, '0x' + '77'.repeat(32)), charlie);
  const frivolous = eventOf(r.events, 'modelRegistry', 'DisputeOpened')[0].toNumber();
  const charlieFee = r.fee;
  r = await ok(tx.sudo.sudo(tx.modelRegistry.ruleDispute(frivolous, false, 0)), alice);
  assert.equal(eventOf(r.events, 'modelRegistry', 'DisputeRejected').slashed.toBigInt(), bond);
  assert.equal(await freeBalance(api, charlie.address), charlieStart - charlieFee - bond);
  assert.equal(await freeBalance(api, treasury), treasuryStart + bond);
  log(`Charlie claimed Eve's second model copies the first and could not show it: sudo rejected it, his ${trib(bond)} bond went to the treasury`);
}
