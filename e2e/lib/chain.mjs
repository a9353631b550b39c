// What the end-to-end tests, the fault test and the demo share about the chain: its units, the
// dev accounts, submitting extrinsics and reading their outcome, the `tributary_*` RPC, the pallet
// accounts, the calls' arguments more than one test builds (version specs, vouchers, sealed votes
// and gold answers), and a review panel's commit and reveal.
import assert from 'node:assert/strict';
import { VOUCHER_DOMAIN, dispatchErrorName, voucherPayload } from '@tributary/gateway-client';
import { Keyring } from '@polkadot/keyring';
import { bnToU8a, stringToU8a, u8aConcat, u8aToHex, u8aToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, decodeAddress, randomAsHex } from '@polkadot/util-crypto';

// ------------------------------------------------------------------ units

/** TRIB's decimals. */
export const DECIMALS = 12;
/** One TRIB in planck. */
export const UNIT = 10n ** BigInt(DECIMALS);
/** A thousandth of a TRIB in planck. */
export const MILLI = UNIT / 1000n;
/** 100% in Perbill parts. */
export const PERBILL = 1_000_000_000;
/** 1% in Perbill parts. */
export const PERCENT = PERBILL / 100;

/**
 * An amount in planck as TRIB for people, exactly: every decimal it has, trailing zeros trimmed
 * (`100 TRIB`, `67.5 TRIB`, `0.000000000001 TRIB`), so printed figures add up as printed.
 */
export function trib(amount) {
  const sign = amount < 0n ? '-' : '';
  const abs = amount < 0n ? -amount : amount;
  const fraction = (abs % UNIT).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  return `${sign}${abs / UNIT}${fraction ? `.${fraction}` : ''} TRIB`;
}

// ------------------------------------------------------------------ accounts

/** The well-known dev accounts the genesis presets endow (each also with a `//stash`). */
export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/** A keyring of sr25519 pairs with SS58 prefix 42, once the crypto is ready. */
export async function devKeyring() {
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519', ss58Format: 42 });
}

/** The dev accounts `names` (all six unless given), by lower-case name: `{ alice, bob, … }`. */
export async function devAccounts(names = DEV_NAMES) {
  const keyring = await devKeyring();
  return Object.fromEntries(names.map((name) => [name.toLowerCase(), keyring.addFromUri(`//${name}`)]));
}

/** The royalty pot's address: the `py/rylty` pallet account. */
export function potAddress(api) {
  return palletAccount(api, 'py/rylty');
}

/** The treasury's address: the `py/trsry` pallet account. */
export function treasuryAddress(api) {
  return palletAccount(api, 'py/trsry');
}

function palletAccount(api, id) {
  const raw = new Uint8Array(32);
  raw.set(stringToU8a('modl'), 0);
  raw.set(stringToU8a(id), 4);
  return api.createType('AccountId', raw).toString();
}

/** Free balance of an account at a block (the best block unless given), as a bigint. */
export async function freeBalance(api, address, at) {
  const source = at ? await api.at(at) : api;
  const { data } = await source.query.system.account(address);
  return data.free.toBigInt();
}

// ------------------------------------------------------------------ extrinsics

/**
 * Signs and sends `tx`, resolves once its block is finalized (or, with `until: 'inBlock'`,
 * included) with the block hash, the extrinsic's events and its dispatch error, if any.
 */
export function submit(api, tx, signer, { until = 'finalized', timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`transaction not ${until} within ${timeoutMs} ms`));
    }, timeoutMs);
    // Unsigned (no signer): a transaction that carries its own proof, e.g. `Revive.ethTransact`.
    const sent = (callback) => (signer ? tx.signAndSend(signer, callback) : tx.send(callback));
    sent((result) => {
      const { status, events, dispatchError } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        clearTimeout(timer);
        unsubscribe();
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      const done = until === 'finalized' ? status.isFinalized : status.isInBlock || status.isFinalized;
      if (!done) return;
      clearTimeout(timer);
      unsubscribe();
      const blockHash = status.isFinalized ? status.asFinalized : status.asInBlock;
      resolve({ blockHash, events, dispatchError: dispatchError ? describeError(api, dispatchError) : null });
    })
      .then((u) => {
        unsubscribe = u;
      })
      .catch((error) => {
        clearTimeout(timer);
        reject(error);
      });
  });
}

/** Turns a DispatchError into `pallet.Error` for module errors, `Kind.Detail` otherwise. */
export const describeError = dispatchErrorName;

/** The fee the extrinsic paid, from its `TransactionPayment.TransactionFeePaid` event. */
export function feePaid(events) {
  const record = events.find(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid');
  if (!record) throw new Error('no TransactionFeePaid event');
  const [, actualFee, tip] = record.event.data;
  return actualFee.toBigInt() + tip.toBigInt();
}

/** Sends a call that may fail; returns its events, the fee it paid and its dispatch error. */
export async function send(api, tx, signer) {
  const { events, dispatchError } = await submit(api, tx, signer);
  return { fee: feePaid(events), events, dispatchError };
}

/** Sends a call, asserts it succeeded, and returns its events and the fee it paid. */
export async function expectOk(api, tx, signer) {
  const { events, dispatchError } = await submit(api, tx, signer);
  assert.equal(dispatchError, null, `${tx.method.section}.${tx.method.method} failed: ${dispatchError}`);
  return { fee: feePaid(events), events };
}

/** The data of the extrinsic's `section.method` event; throws when there is none. */
export function eventOf(events, section, method) {
  const record = events.find(({ event }) => event.section === section && event.method === method);
  if (!record) throw new Error(`no ${section}.${method} event`);
  return record.event.data;
}

// ------------------------------------------------------------------ the tributary_* RPC

/** Calls the node's `tributary_<method>` RPC method; resolves to its JSON result. */
export function rpc(api, method, params) {
  return api._rpcCore.provider.send(`tributary_${method}`, params);
}

/** The message of the error `tributary_<method>` answers; fails the test when it succeeds. */
export async function rpcError(api, method, params) {
  try {
    await rpc(api, method, params);
  } catch (error) {
    return error.message;
  }
  assert.fail(`tributary_${method} succeeded`);
}

// ------------------------------------------------------------------ call arguments

/**
 * A version spec as `register` and `publishVersion` take it: datasets as `{ id, share }`, parents
 * as `{ model, version = 1, share }`; derivatives are allowed if they route at least
 * `minUpstreamShare` (20%) upstream and `minRoyaltyPerUnit` (0) per unit, or
 * `derivatives: 'Forbidden'`.
 */
export function versionSpec({
  ownerShare,
  datasets = [],
  parents = [],
  price,
  minUpstreamShare = 20 * PERCENT,
  minRoyaltyPerUnit = 0n,
  derivatives = { Allowed: { minUpstreamShare, minRoyaltyPerUnit } },
  artifactHash = '0x' + 'ab'.repeat(32),
}) {
  return {
    label: '1.0.0',
    artifactHash,
    pricePerUnit: price,
    license: { commercialUse: true, derivatives },
    ownerShare,
    lineage: {
      datasets: datasets.map(({ id, share }) => [id, share]),
      parents: parents.map(({ model, version = 1, share }) => [{ model, version }, share]),
    },
  };
}

/** The domain tag a voucher's signed payload starts with. */
export { VOUCHER_DOMAIN };

/**
 * What a voucher on `channel` binds besides itself, read from the channel's record: its provider
 * and the nonce drawn when it opened (a relaunched chain never draws it again).
 */
export async function channelBinding(api, channel) {
  const record = (await api.query.invocationMetering.channels(channel)).unwrap();
  return { provider: record.provider, nonce: record.nonce };
}

/**
 * The bytes a voucher's consumer signs, as the runtime verifies them: the gateway client's own
 * (`clients/js`), so the tests sign exactly as callers do.
 */
export { voucherPayload };

/**
 * The voucher for `units` cumulative units on `channel`, and `pair`'s sr25519 signature of it,
 * with `binding` from `channelBinding`.
 */
export function signVoucher(api, pair, channel, units, binding) {
  const payload = voucherPayload({
    genesisHash: api.genesisHash.toU8a(),
    channel,
    nonce: binding.nonce.toU8a(),
    provider: binding.provider.toU8a(),
    units,
  });
  return {
    voucher: { genesisHash: api.genesisHash.toHex(), channel, cumulativeUnits: units },
    signature: { Sr25519: pair.sign(payload) },
  };
}

/**
 * A voucher signed in the first format, (`tributary/voucher/v1`, genesis hash, channel u64, units
 * u64), which bound neither the provider nor the channel's nonce: the runtime refuses it as
 * `OutdatedVoucher`.
 */
export function signLegacyVoucher(api, pair, channel, units) {
  const payload = u8aConcat(
    stringToU8a('tributary/voucher/v1'),
    api.genesisHash.toU8a(),
    bnToU8a(channel, { bitLength: 64, isLe: true }),
    bnToU8a(units, { bitLength: 64, isLe: true }),
  );
  return {
    voucher: { genesisHash: api.genesisHash.toHex(), channel, cumulativeUnits: units },
    signature: { Sr25519: pair.sign(payload) },
  };
}

// ------------------------------------------------------------------ sealed reviews and gold items

/** The domain tag a vote commitment's hashed bytes start with. */
export const VOTE_DOMAIN = 'tributary/vote';
/** The domain tag a gold commitment's hashed bytes start with. */
export const GOLD_DOMAIN = 'tributary/gold';

/** A fresh 32-byte salt, as hex, for a sealed vote or a task's gold answers. */
export function newSalt() {
  return randomAsHex(32);
}

/** The 32 bytes of a salt given as hex or bytes. */
function saltBytes(salt) {
  const bytes = u8aToU8a(salt);
  assert.equal(bytes.length, 32, 'a salt is 32 bytes');
  return bytes;
}

/**
 * A piece of work reviewers vote on, `{ Item: { task, item } }` or `{ Contribution: id }`, in
 * SCALE: 0x01 ++ task u64 ++ item u32, or 0x00 ++ id u64, little-endian. Typed as the metadata
 * types `commitVote`'s first argument, so the type's name is never guessed.
 */
export function encodeWork(api, work) {
  const type = api.tx.dataContribution.commitVote.meta.args[0].type.toString();
  return api.createType(type, work).toU8a();
}

/**
 * The sealed vote `commitVote` takes and `revealVote` opens: blake2-256 of the domain tag (14 raw
 * bytes), the work in SCALE, the reviewer's 32-byte account id, the vote (one byte, 0 or 1) and
 * the 32-byte salt; as hex.
 */
export function voteCommitment(api, work, reviewerAddress, approve, salt) {
  const payload = u8aConcat(
    stringToU8a(VOTE_DOMAIN),
    encodeWork(api, work),
    decodeAddress(reviewerAddress),
    api.createType('bool', approve).toU8a(),
    saltBytes(salt),
  );
  return u8aToHex(blake2AsU8a(payload, 256));
}

/**
 * The commitment to a task's gold answers that `openTask` takes and `revealGold` opens:
 * blake2-256 of the domain tag (14 raw bytes), the answers (`[item, expected result hash]` pairs,
 * in the order they will be revealed) as a SCALE `Vec<(u32, H256)>` (compact length, then each
 * item u32 little-endian and its 32-byte hash), and the 32-byte salt; as hex.
 */
export function goldCommitment(api, answers, salt) {
  const payload = u8aConcat(
    stringToU8a(GOLD_DOMAIN),
    api.createType('Vec<(u32, H256)>', answers).toU8a(),
    saltBytes(salt),
  );
  return u8aToHex(blake2AsU8a(payload, 256));
}

/**
 * A full panel's sealed review of `work`: each `[pair, approve]` of `votes`, in order, takes a seat
 * with its vote sealed under a fresh salt (the last seat starts the reveal period), then each
 * reveals, in the same order; the last reveal concludes the ballot. Every call must succeed.
 * Resolves to every call sent as `{ signer, fee, events }` (the commits, then the reveals), the
 * events of the concluding reveal (which carry the verdict) and the number of its block.
 */
export async function sealedReview(api, work, votes) {
  const tx = api.tx.dataContribution;
  const calls = [];
  async function sendOk(call, pair) {
    const { blockHash, events, dispatchError } = await submit(api, call, pair);
    assert.equal(dispatchError, null, `${call.method.section}.${call.method.method} failed: ${dispatchError}`);
    calls.push({ signer: pair, fee: feePaid(events), events });
    return { blockHash, events };
  }
  const sealed = votes.map(([pair, approve]) => ({ pair, approve, salt: newSalt() }));
  for (const [index, { pair, approve, salt }] of sealed.entries()) {
    const { events } = await sendOk(tx.commitVote(work, voteCommitment(api, work, pair.address, approve, salt)), pair);
    const committed = eventOf(events, 'dataContribution', 'VoteCommitted');
    assert.equal(committed.seatsTaken.toNumber(), index + 1, 'seats taken');
    assert.equal(committed.revealUntil.isSome, index === sealed.length - 1, 'the last seat starts the reveal period');
  }
  let last;
  for (const { pair, approve, salt } of sealed) {
    last = await sendOk(tx.revealVote(work, approve, salt), pair);
    assert.equal(eventOf(last.events, 'dataContribution', 'VoteRevealed').approve.isTrue, approve);
  }
  const block = (await api.rpc.chain.getHeader(last.blockHash)).number.toNumber();
  return { calls, events: last.events, block };
}
