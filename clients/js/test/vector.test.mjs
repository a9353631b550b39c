// The shared vector pins the voucher bytes the runtime and the gateway verify; this package must
// produce them byte for byte.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { voucherHeader, voucherPayload } from '../src/index.mjs';
import { toHex } from '../src/bytes.mjs';

const vector = JSON.parse(await readFile(new URL('../../../vouchers/tests/vectors/voucher-v2.json', import.meta.url)));
const binding = {
  genesisHash: vector.genesisHash,
  channel: vector.channel,
  nonce: vector.nonce,
  provider: vector.provider,
  units: vector.cumulativeUnits,
};
await cryptoWaitReady();

test('the payload is the vector payload, numbers or bigints, hex or bytes', () => {
  assert.equal(toHex(voucherPayload(binding)), vector.payload);
  const asBigints = { ...binding, channel: BigInt(vector.channel), units: BigInt(vector.cumulativeUnits) };
  assert.equal(toHex(voucherPayload(asBigints)), vector.payload);
  const asBytes = { ...binding, genesisHash: Buffer.from(vector.genesisHash.slice(2), 'hex') };
  assert.equal(toHex(voucherPayload(asBytes)), vector.payload);
});

test('the header starts with the SCALE voucher and carries the scheme variant', () => {
  const ed25519 = voucherHeader({ ...binding, signature: vector.ed25519.signature, scheme: 'ed25519' });
  assert.equal(ed25519, vector.ed25519.header);
  assert.ok(ed25519.startsWith(vector.voucher), 'genesis hash ++ channel ++ units');
  const sr25519 = voucherHeader({ ...binding, signature: vector.sr25519.signature, scheme: 'sr25519' });
  const variant = 2 + 2 * 48;
  assert.equal(sr25519.slice(0, variant), vector.voucher);
  assert.equal(sr25519.slice(variant, variant + 2), '01');
  assert.equal(sr25519.slice(variant + 2), vector.sr25519.signature.slice(2));
});

test('ed25519 signing reproduces the vector signature', () => {
  const alice = new Keyring({ type: 'ed25519' }).addFromUri(vector.ed25519.suri);
  assert.equal(toHex(alice.publicKey), vector.ed25519.account);
  assert.equal(toHex(alice.sign(voucherPayload(binding))), vector.ed25519.signature);
});

test('the vector sr25519 signature verifies over the payload', () => {
  const payload = voucherPayload(binding);
  assert.ok(signatureVerify(payload, vector.sr25519.signature, vector.sr25519.account).isValid);
  const alice = new Keyring({ type: 'sr25519' }).addFromUri(vector.sr25519.suri);
  assert.equal(toHex(alice.publicKey), vector.sr25519.account);
  assert.ok(signatureVerify(payload, alice.sign(payload), alice.address).isValid);
});

test('amounts outside u64 and malformed bytes are refused', () => {
  assert.throws(() => voucherPayload({ ...binding, units: -1 }), /units must fit a u64/);
  assert.throws(() => voucherPayload({ ...binding, units: 1n << 64n }), /units must fit a u64/);
  assert.doesNotThrow(() => voucherPayload({ ...binding, units: (1n << 64n) - 1n }));
  assert.throws(() => voucherPayload({ ...binding, channel: 2 ** 64 }), /channel must be an integer/);
  assert.throws(() => voucherPayload({ ...binding, channel: 1.5 }), /channel must be an integer/);
  assert.throws(() => voucherPayload({ ...binding, nonce: '0x1234' }), /nonce must be 32 bytes/);
  assert.throws(() => voucherPayload({ ...binding, provider: 'not hex' }), /provider must be 0x-prefixed hex/);
  assert.throws(() => voucherHeader({ ...binding, signature: vector.sr25519.signature, scheme: 'ecdsa' }), /scheme/);
});
