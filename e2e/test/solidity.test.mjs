// Solidity on Tributary through polkadot.js: `contracts/AiApp.sol`, compiled here by the npm
// `solc`, is deployed with `Revive.instantiateWithCode` and sells calls of a fine-tuned model to a
// user, paying for each through the Tributary precompile. The payment's split is checked to the
// unit against a direct `InvocationMetering.invoke` of the same units on the same chain: the
// route's revenue, the provider's credits and, after distribution, every party's claim count
// both payments exactly. Every balance is checked to the unit, transaction fees included.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevNode } from '../lib/node.mjs';
import {
  UNIT, MILLI, PERCENT, devAccounts, freeBalance, expectOk, send, eventOf, rpc, treasuryAddress, versionSpec,
} from '../lib/chain.mjs';
import { Wallet, getCreateAddress } from 'ethers';
import {
  TRIBUTARY_PRECOMPILE, WEI_PER_PLANCK, accountOfH160, callTx, compile, deploy, h160Of, mapAccount,
  sendEthTransaction, tributaryInterface, view,
} from '../lib/solidity.mjs';

let node;
let api;
let who;
let aiApp;
let tributary;

before(async () => {
  who = await devAccounts();
  aiApp = compile('AiApp.sol', 'AiApp');
  tributary = tributaryInterface();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  api = node.api;
});

after(async () => {
  await node?.stop();
});

function ok(tx, signer) {
  return expectOk(api, tx, signer);
}

/** The version's revenue awaiting distribution and `account`'s claimable credits. */
async function owed(model, account) {
  const undistributed = BigInt(await rpc(api, 'undistributed', [model, 1]));
  const { credits } = await rpc(api, 'pendingRoyalties', [account]);
  return { undistributed, credits: BigInt(credits) };
}

describe('Solidity: an AI app pays per invocation through the precompile', () => {
  let dataset;
  let tune;
  let app;
  let appAccount;

  test('the address mapping: SS58 ↔ H160', async () => {
    const { alice } = who;
    // An sr25519 account's address is the tail of the keccak of its id; mapping records the way
    // back against a deposit, and the runtime agrees with the JavaScript derivation.
    const { fee } = (await mapAccount(api, alice)) ?? assert.fail('Alice was already mapped');
    assert.ok(fee > 0n);
    const original = await api.query.revive.originalAccount(h160Of(alice.address));
    assert.equal(original.unwrap().toString(), alice.address);
    const held = await api.query.balances.holds(alice.address);
    assert.ok(held.some((hold) => hold.id.isRevive && hold.id.asRevive.isAddressMapping));
    // An H160 nobody mapped belongs to its padded account, which maps back to it.
    const contractLike = '0x' + '12'.repeat(20);
    assert.equal(h160Of(accountOfH160(contractLike)), contractLike);
  });

  test('deploy the app and read its price and the precompile from Solidity', async () => {
    const { alice, bob, charlie, dave, eve, ferdie } = who;
    const tx = api.tx;
    // Bob's two items in Alice's dataset; Charlie's base model routes 30% to it; Dave's fine-tune
    // routes 40% to the base; Eve serves the fine-tune at 0.5 TRIB per unit.
    let r = await ok(
      tx.dataContribution.createDataset('sol-data', '0x' + '51'.repeat(32), 'text/jsonl', 'CC-BY-4.0', {
        minModelShare: 10 * PERCENT,
        sharesPerItem: 10,
        contributionQuorum: 1,
      }),
      alice,
    );
    dataset = eventOf(r.events, 'dataContribution', 'DatasetCreated')[0].toNumber();
    r = await ok(tx.dataContribution.submitContribution(dataset, '0x' + '52'.repeat(32), 2), bob);
    await ok(tx.dataContribution.decideContribution(eventOf(r.events, 'dataContribution', 'ContributionSubmitted')[0], true), alice);
    r = await ok(
      tx.modelRegistry.register('sol-base', 'Text', versionSpec({ ownerShare: 70 * PERCENT, datasets: [{ id: dataset, share: 30 * PERCENT }], price: UNIT })),
      charlie,
    );
    const base = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
    r = await ok(
      tx.modelRegistry.register('sol-tune', 'Text', versionSpec({ ownerShare: 60 * PERCENT, parents: [{ model: base, share: 40 * PERCENT }], price: UNIT })),
      dave,
    );
    tune = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
    await ok(tx.invocationMetering.registerOffer(tune, 500n * MILLI, 'https://eve.example/v1'), eve);
    // A provider a contract names by its address must have mapped its account.
    await mapAccount(api, eve);

    // Alice deploys the app for the fine-tune, served by Eve, at a 10% markup.
    const deployed = await deploy(api, alice, aiApp, [tune, h160Of(eve.address), 10]);
    app = deployed.address;
    appAccount = accountOfH160(app);
    const [owner] = await view(api, ferdie.address, app, aiApp.iface, 'owner');
    assert.equal(owner.toLowerCase(), h160Of(alice.address));

    // The precompile's quote is the chain's: 10 units = 10 TRIB price + 5 TRIB provider fee.
    const quote = await rpc(api, 'quote', [tune, null, 10, eve.address]);
    const [version, royalty, protocolFee, providerFee, total] = await view(
      api, ferdie.address, TRIBUTARY_PRECOMPILE, tributary, 'quote', [tune, 0, 10, h160Of(eve.address)],
    );
    assert.equal(Number(version), quote.version);
    assert.deepEqual(
      [royalty, protocolFee, providerFee, total],
      [BigInt(quote.royalty), BigInt(quote.protocolFee), BigInt(quote.providerFee), BigInt(quote.total)],
    );
    assert.equal(total, 15n * UNIT);
    // The app's price, in wei: the quote plus 10%.
    const [price] = await view(api, ferdie.address, app, aiApp.iface, 'priceOf', [10]);
    assert.equal(price, 16_500n * MILLI * WEI_PER_PLANCK);
  });

  test('a user pays the app; the app pays Tributary exactly as a direct invoke would', async () => {
    const { alice, bob, charlie, dave, eve, ferdie } = who;
    await mapAccount(api, ferdie);
    const start = await owed(tune, eve.address);
    const [appStart, ferdieStart] = [await freeBalance(api, appAccount), await freeBalance(api, ferdie.address)];

    // Ferdie calls `serve(10)` sending the app's price (16.5 TRIB).
    let r = await ok(callTx(api, app, aiApp.iface, 'serve', [10], 16_500n * MILLI), ferdie);
    const invoked = eventOf(r.events, 'invocationMetering', 'Invoked');
    assert.equal(invoked.payer.toString(), appAccount, 'the contract is the payer');
    assert.equal(invoked.model.toNumber(), tune);
    assert.equal(invoked.units.toBigInt(), 10n);
    assert.equal(invoked.provider.unwrap().toString(), eve.address);
    assert.equal(invoked.royalty.toBigInt(), 9_700n * MILLI);
    assert.equal(invoked.protocolFee.toBigInt(), 300n * MILLI);
    assert.equal(invoked.providerFee.toBigInt(), 5n * UNIT);
    assert.equal(invoked.total.toBigInt(), 15n * UNIT);
    const served = r.events
      .filter(({ event }) => event.section === 'revive' && event.method === 'ContractEmitted')
      .map(({ event }) => aiApp.iface.parseLog({ topics: event.data.topics.map((t) => t.toHex()), data: event.data.data.toHex() }));
    assert.equal(served.length, 1);
    assert.equal(served[0].name, 'Served');
    assert.equal(served[0].args.user.toLowerCase(), h160Of(ferdie.address));
    assert.equal(served[0].args.paid, 15n * UNIT);
    assert.equal(served[0].args.charged, 16_500n * MILLI * WEI_PER_PLANCK);
    assert.equal(await freeBalance(api, ferdie.address), ferdieStart - r.fee - 16_500n * MILLI);
    assert.equal(await freeBalance(api, appAccount), appStart + 1_500n * MILLI, 'the app keeps its markup');
    const afterApp = await owed(tune, eve.address);
    assert.equal(afterApp.undistributed - start.undistributed, 9_700n * MILLI);
    assert.equal(afterApp.credits - start.credits, 5n * UNIT);

    // The same 10 units invoked directly by Bob move exactly as much.
    r = await ok(api.tx.invocationMetering.invoke(tune, null, 10, eve.address, 15n * UNIT), bob);
    const direct = eventOf(r.events, 'invocationMetering', 'Invoked');
    for (const field of ['royalty', 'protocolFee', 'providerFee', 'total']) {
      assert.equal(direct[field].toBigInt(), invoked[field].toBigInt(), field);
    }
    const afterDirect = await owed(tune, eve.address);
    assert.equal(afterDirect.undistributed - afterApp.undistributed, afterApp.undistributed - start.undistributed);
    assert.equal(afterDirect.credits - afterApp.credits, afterApp.credits - start.credits);

    // Distributed together, every party's claim counts both payments exactly: the fine-tune's
    // route is Dave 60%, Charlie 40% × 70% = 28%, the dataset 40% × 30% = 12%, of 19.4 TRIB.
    r = await ok(api.tx.royaltyDistribution.distribute(tune, 1), alice);
    assert.equal(eventOf(r.events, 'royaltyDistribution', 'RevenueDistributed').distributed.toBigInt(), 19_400n * MILLI);
    for (const [label, pair, call, amount] of [
      ['Bob (dataset contributor)', bob, api.tx.royaltyDistribution.claimPool(dataset), 2_328n * MILLI],
      ['Charlie (base-model owner)', charlie, api.tx.royaltyDistribution.claim(), 5_432n * MILLI],
      ['Dave (fine-tuner)', dave, api.tx.royaltyDistribution.claim(), 11_640n * MILLI],
      ['Eve (provider)', eve, api.tx.royaltyDistribution.claim(), 10n * UNIT],
    ]) {
      const before = await freeBalance(api, pair.address);
      r = await ok(call, pair);
      assert.equal(await freeBalance(api, pair.address), before - r.fee + amount, label);
    }
  });

  test('a short payment reverts and moves nothing but the fee', async () => {
    const { eve, ferdie } = who;
    const start = await owed(tune, eve.address);
    const [appStart, ferdieStart] = [await freeBalance(api, appAccount), await freeBalance(api, ferdie.address)];
    const { fee, events, dispatchError } = await send(api, callTx(api, app, aiApp.iface, 'serve', [10], 15n * UNIT), ferdie);
    assert.equal(dispatchError, 'revive.ContractReverted');
    assert.ok(!events.some(({ event }) => event.section === 'invocationMetering'));
    assert.equal(await freeBalance(api, ferdie.address), ferdieStart - fee);
    assert.equal(await freeBalance(api, appAccount), appStart);
    assert.deepEqual(await owed(tune, eve.address), start);
    // The revert's reason, read without a transaction.
    await assert.rejects(
      view(api, ferdie.address, app, aiApp.iface, 'serve', [10]),
      /AiApp: pay priceOf\(units\)/,
    );
  });

  test('the owner, and only the owner, withdraws the markup and claims', async () => {
    const { alice, ferdie } = who;
    const margin = 1_500n * MILLI;
    const appStart = await freeBalance(api, appAccount);
    let r = await send(api, callTx(api, app, aiApp.iface, 'withdraw', [h160Of(ferdie.address), margin * WEI_PER_PLANCK]), ferdie);
    assert.equal(r.dispatchError, 'revive.ContractReverted');
    assert.equal(await freeBalance(api, appAccount), appStart);

    const aliceStart = await freeBalance(api, alice.address);
    r = await ok(callTx(api, app, aiApp.iface, 'withdraw', [h160Of(alice.address), margin * WEI_PER_PLANCK]), alice);
    assert.equal(await freeBalance(api, appAccount), appStart - margin);
    assert.equal(await freeBalance(api, alice.address), aliceStart - r.fee + margin);

    // The app has no royalty credits: the precompile's revert names the pallet error.
    await assert.rejects(
      view(api, alice.address, app, aiApp.iface, 'claimRoyalties'),
      /RoyaltyDistribution::NothingToClaim/,
    );
  });

  test('an Ethereum wallet deploys and pays the app with signed Ethereum transactions', async () => {
    // What `eth-rpc` relays for ethers or MetaMask: `Revive.ethTransact` with an EIP-1559
    // transaction signed for chain 87420; the signer's account is its address padded with 0xEE
    // and needs no mapping.
    const { alice, eve } = who;
    const wallet = Wallet.createRandom();
    const walletAccount = accountOfH160(wallet.address);
    await ok(api.tx.balances.transferKeepAlive(walletAccount, 1_000n * UNIT), alice);
    assert.equal(Number(api.consts.revive.chainId.toBigInt()), 87420);

    const nonce = (await api.call.reviveApi.nonce(wallet.address)).toNumber();
    const data = aiApp.bytecode + aiApp.iface.encodeDeploy([tune, h160Of(eve.address), 0]).slice(2);
    let r = await sendEthTransaction(api, wallet, { data });
    assert.equal(r.dispatchError, null);
    const [deployer, contract] = eventOf(r.events, 'revive', 'Instantiated');
    assert.equal(deployer.toHex(), wallet.address.toLowerCase());
    const ethApp = getCreateAddress({ from: wallet.address, nonce });
    assert.equal(contract.toHex(), ethApp.toLowerCase());

    // serve(4) at no markup: exactly the quote, 4 TRIB + 2 TRIB provider fee, in wei.
    const [price] = await view(api, walletAccount, ethApp, aiApp.iface, 'priceOf', [4]);
    assert.equal(price, 6n * UNIT * WEI_PER_PLANCK);
    const before = await freeBalance(api, walletAccount);
    const start = await owed(tune, eve.address);
    r = await sendEthTransaction(api, wallet, { to: ethApp, data: aiApp.iface.encodeFunctionData('serve', [4]), value: price });
    assert.equal(r.dispatchError, null);
    const invoked = eventOf(r.events, 'invocationMetering', 'Invoked');
    assert.equal(invoked.payer.toString(), accountOfH160(ethApp));
    assert.equal(invoked.total.toBigInt(), 6n * UNIT);
    const afterServe = await owed(tune, eve.address);
    assert.equal(afterServe.undistributed - start.undistributed, 3_880n * MILLI);
    assert.equal(afterServe.credits - start.credits, 2n * UNIT);
    // The wallet paid the value, the transaction's fee (charged for the gas used; the rest of
    // the gas limit is refunded) and the rounding of that fee up to whole gas, which goes to the
    // treasury: nothing else, and nothing is destroyed.
    const fee = eventOf(r.events, 'transactionPayment', 'TransactionFeePaid');
    assert.ok(fee.actualFee.toBigInt() > 0n);
    const treasury = treasuryAddress(api);
    const rounding = r.events
      .filter(({ event }) => event.section === 'balances' && event.method === 'Deposit' && event.data.who.toString() === treasury)
      .reduce((sum, { event }) => sum + event.data.amount.toBigInt(), 0n);
    const gasInPlancks = (await api.call.reviveApi.gasPrice()).toBigInt() / WEI_PER_PLANCK;
    assert.ok(rounding < gasInPlancks, `rounding ${rounding} is less than one gas (${gasInPlancks} plancks)`);
    assert.equal(await freeBalance(api, walletAccount), before - 6n * UNIT - fee.actualFee.toBigInt() - rounding);
  });
});

