// A flood of invalid extrinsics against a dev node that authors with aura every slot and
// finalizes with grandpa, the production engines, so that the flood competes with block
// production as it would on a live chain: 10,000 extrinsics sent as raw bytes through
// `author_submitExtrinsic`, a third each with a corrupted signature, from an account that cannot
// pay the fee, and with a nonce already used. Each must be refused with the transaction pool's
// error for its kind and none may reach a block, while transfers sent meanwhile are included and
// blocks keep being authored and finalized.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { startDevNode, httpRpc } from '../lib/node.mjs';
import { UNIT, devAccounts, devKeyring, submit, freeBalance } from '../lib/chain.mjs';

const FLOOD = 10_000;
/** Requests in flight at once: enough to keep the node's validation busy. */
const CONCURRENCY = 16;
/** `author_submitExtrinsic`'s code for an invalid transaction. */
const INVALID_TRANSACTION = 1010;
/** The kinds of invalid extrinsic, and the reason the pool gives for refusing each. */
const KINDS = {
  'bad signature': 'Transaction has a bad signature',
  unfunded: 'Inability to pay some fees (e.g. account balance too low)',
  'stale nonce': 'Transaction is outdated',
};

let node;

before(async () => {
  node = await startDevNode();
});

after(async () => {
  await node?.stop();
});

/** The best and the finalized block numbers. */
async function heads(api) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  return { best, finalized };
}

/**
 * The flood's `i`-th extrinsic and its kind, the kinds taking turns: a transfer to `to` signed by
 * an account that cannot pay the fee, or signed with a nonce already used, or a transfer that
 * could be valid but for one byte of its signature. Each is signed when it is sent, while the
 * node checks the ones before it, and immortal, so that it means the same whenever it arrives.
 * The bad signatures are one signed transfer with a different byte changed in a different way
 * each time: distinct extrinsics, so that the pool checks each anew.
 */
async function floodOf(api, to, { signer, unfunded, usedNonce }) {
  const immortal = { era: 0, blockHash: api.genesisHash, genesisHash: api.genesisHash, runtimeVersion: api.runtimeVersion };
  const sign = (pair, nonce, amount) => api.tx.balances.transferKeepAlive(to, amount).sign(pair, { ...immortal, nonce });

  const nonce = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  const valid = sign(signer, nonce, 1n);
  const bytes = Buffer.from(valid.toU8a());
  const signatureAt = bytes.indexOf(Buffer.from(valid.signature.toU8a()));
  assert.ok(signatureAt > 0, 'the signature is found in the extrinsic');

  return (i) => {
    const kind = Object.keys(KINDS)[i % 3];
    const n = Math.floor(i / 3);
    if (kind === 'unfunded') return { kind, hex: sign(unfunded, 0, BigInt(n + 1)).toHex() };
    if (kind === 'stale nonce') return { kind, hex: sign(usedNonce.pair, usedNonce.nonce, BigInt(n + 1)).toHex() };
    const corrupted = Buffer.from(bytes);
    corrupted[signatureAt + (n % 64)] ^= 1 + Math.floor(n / 64);
    return { kind, hex: u8aToHex(corrupted) };
  };
}

test(`${FLOOD.toLocaleString('en')} invalid extrinsics are refused while transfers are included and blocks are authored and finalized`, { timeout: 300_000 }, async () => {
  const { api } = node;
  const { alice, bob, dave } = await devAccounts(['Alice', 'Bob', 'Dave']);
  const keyring = await devKeyring();
  const unfunded = keyring.addFromUri('//TributaryFloodUnfunded');
  const receiver = keyring.addFromUri('//TributaryFloodReceiver');

  // Bob uses his nonce 0, so that extrinsics signed with it are stale.
  await submit(api, api.tx.system.remark('0x00'), bob, { until: 'inBlock' });
  const extrinsic = await floodOf(api, receiver.address, { signer: dave, unfunded, usedNonce: { pair: bob, nonce: 0 } });

  const start = await heads(api);
  const started = Date.now();
  const refused = Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, 0]));
  const unexpected = [];
  let next = 0;
  async function worker() {
    while (next < FLOOD) {
      const { kind, hex } = extrinsic(next++);
      const answer = await httpRpc(node.rpcPort, 'author_submitExtrinsic', JSON.stringify([hex]), { timeoutMs: 60_000 });
      if (answer.error?.code === INVALID_TRANSACTION && answer.error.data === KINDS[kind]) refused[kind] += 1;
      else unexpected.push(`${kind}: ${JSON.stringify(answer.error ?? { result: answer.result })}`);
    }
  }
  let floodMs;
  const flooding = Promise.all(Array.from({ length: CONCURRENCY }, worker)).finally(() => {
    floodMs = Date.now() - started;
  });

  // Meanwhile Alice sends a transfer at a time, each as soon as the previous is in a block; at
  // least three, so that blocks are seen to be authored however fast the flood is refused.
  const transfers = [];
  while (floodMs === undefined || transfers.length < 3) {
    const tx = api.tx.balances.transferKeepAlive(receiver.address, UNIT);
    const { blockHash, dispatchError } = await submit(api, tx, alice, { until: 'inBlock', timeoutMs: 60_000 });
    assert.equal(dispatchError, null);
    transfers.push({ hash: tx.hash.toHex(), blockHash });
  }
  await flooding;
  const end = await heads(api);

  assert.deepEqual(unexpected.slice(0, 20), [], `${unexpected.length} extrinsics were not refused as expected`);
  assert.equal(Object.values(refused).reduce((a, b) => a + b, 0), FLOOD);
  assert.ok(end.best > start.best, `blocks were authored during the flood (#${start.best} → #${end.best})`);

  // Finality goes on: past the block of the last transfer.
  const lastTransfer = (await api.rpc.chain.getHeader(transfers.at(-1).blockHash)).number.toNumber();
  for (const waitStarted = Date.now(); (await heads(api)).finalized < lastTransfer;) {
    assert.ok(Date.now() - waitStarted < 60_000, `finality did not reach #${lastTransfer} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const finalized = (await heads(api)).finalized;
  assert.ok(finalized > start.finalized, `blocks were finalized (#${start.finalized} → #${finalized})`);

  // The blocks since the flood began hold Alice's transfers and no other signed extrinsic.
  const included = [];
  for (let number = start.best + 1; number <= finalized; number++) {
    const { block } = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(number));
    included.push(...block.extrinsics.filter((x) => x.isSigned).map((x) => x.hash.toHex()));
  }
  assert.deepEqual(included.toSorted(), transfers.map((t) => t.hash).toSorted(), 'only the transfers were included');
  assert.equal(await freeBalance(api, receiver.address), BigInt(transfers.length) * UNIT);
  assert.deepEqual((await api.rpc.author.pendingExtrinsics()).map((x) => x.hash.toHex()), [], 'nothing waits in the pool');

  const counts = Object.entries(refused).map(([kind, n]) => `${n} ${kind}`).join(', ');
  console.log(
    `flood: ${FLOOD} invalid extrinsics refused in ${(floodMs / 1000).toFixed(1)} s (${Math.round(FLOOD / (floodMs / 1000))}/s): ${counts}; ` +
      `${transfers.length} transfers included meanwhile; best #${start.best} → #${end.best}, finalized #${start.finalized} → #${finalized}`,
  );
});
