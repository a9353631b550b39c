// The voucher test vector the Rust library checks too (vouchers/tests/vectors/voucher-v2.json):
// this signer builds the same payload byte for byte, verifies the library's sr25519 signature and
// reproduces its ed25519 signature. No node needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { VOUCHER_DOMAIN, voucherPayload } from '../lib/chain.mjs';

const vector = JSON.parse(
  readFileSync(new URL('../../vouchers/tests/vectors/voucher-v2.json', import.meta.url), 'utf8'),
);

test('the JavaScript signer agrees with the shared voucher vector', async () => {
  await cryptoWaitReady();
  assert.equal(vector.domain, VOUCHER_DOMAIN);
  const payload = voucherPayload({
    genesisHash: vector.genesisHash,
    channel: vector.channel,
    nonce: vector.nonce,
    provider: vector.provider,
    units: vector.cumulativeUnits,
  });
  assert.equal(u8aToHex(payload), vector.payload);

  const sr = new Keyring({ type: 'sr25519' }).addFromUri(vector.sr25519.suri);
  assert.equal(u8aToHex(sr.publicKey), vector.sr25519.account);
  assert.ok(signatureVerify(payload, vector.sr25519.signature, sr.publicKey).isValid);
  const tampered = Uint8Array.from(payload);
  tampered[tampered.length - 1] ^= 1;
  assert.equal(signatureVerify(tampered, vector.sr25519.signature, sr.publicKey).isValid, false);
  // A signature made here verifies too (sr25519 signatures differ every time).
  assert.ok(signatureVerify(payload, sr.sign(payload), sr.publicKey).isValid);

  const ed = new Keyring({ type: 'ed25519' }).addFromUri(vector.ed25519.suri);
  assert.equal(u8aToHex(ed.publicKey), vector.ed25519.account);
  assert.equal(u8aToHex(ed.sign(payload)), vector.ed25519.signature);
});
