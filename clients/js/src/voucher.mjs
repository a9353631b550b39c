// Vouchers exactly as the runtime verifies them (pallets/invocation-metering): any byte out of
// place here and every call is refused as `bad_signature`.
import { concat, toBytes, toHex, toU64, u64Le } from './bytes.mjs';

/** The domain tag a voucher's signed payload starts with, as raw ASCII (no length prefix). */
export const VOUCHER_DOMAIN = 'tributary/voucher/v2';

/** The HTTP header that carries a voucher and its signature to the gateway. */
export const VOUCHER_HEADER = 'X-Tributary-Voucher';

// The `MultiSignature` variant indices of the runtime's signature enum.
const SCHEME_VARIANT = { ed25519: 0x00, sr25519: 0x01 };

/**
 * The bytes a channel's consumer signs for a voucher of `units` cumulative units: the domain
 * tag, genesis hash (32 bytes), channel (u64 LE), the channel's nonce (32 bytes), the provider's
 * account id (32 bytes) and the units (u64 LE). The nonce and provider are bound so a voucher
 * can neither be replayed on a relaunched chain nor settled by another provider.
 *
 * @param {object} voucher
 * @param {string|Uint8Array} voucher.genesisHash 0x-hex or 32 bytes
 * @param {number|bigint} voucher.channel the channel id (u64)
 * @param {string|Uint8Array} voucher.nonce the channel's nonce, 0x-hex or 32 bytes
 * @param {string|Uint8Array} voucher.provider the provider's account id, 0x-hex or 32 bytes
 * @param {number|bigint} voucher.units cumulative units (u64)
 * @returns {Uint8Array}
 */
export function voucherPayload({ genesisHash, channel, nonce, provider, units }) {
  return concat(
    new TextEncoder().encode(VOUCHER_DOMAIN),
    toBytes(genesisHash, 32, 'genesisHash'),
    u64Le(toU64(channel, 'channel')),
    toBytes(nonce, 32, 'nonce'),
    toBytes(provider, 32, 'provider'),
    u64Le(toU64(units, 'units')),
  );
}

/**
 * The `X-Tributary-Voucher` value: 0x-hex of the SCALE encoding of `(Voucher, MultiSignature)`,
 * that is genesis hash (32) ++ channel (u64 LE) ++ units (u64 LE) ++ variant byte (0x00 ed25519,
 * 0x01 sr25519) ++ the 64-byte signature.
 *
 * @param {object} voucher
 * @param {string|Uint8Array} voucher.genesisHash 0x-hex or 32 bytes
 * @param {number|bigint} voucher.channel the channel id (u64)
 * @param {number|bigint} voucher.units cumulative units (u64)
 * @param {string|Uint8Array} voucher.signature the signature of `voucherPayload`, 64 bytes
 * @param {'sr25519'|'ed25519'} voucher.scheme what made the signature
 * @returns {string}
 */
export function voucherHeader({ genesisHash, channel, units, signature, scheme }) {
  if (!Object.hasOwn(SCHEME_VARIANT, scheme)) throw new TypeError(`scheme must be 'sr25519' or 'ed25519', got ${scheme}`);
  return toHex(
    concat(
      toBytes(genesisHash, 32, 'genesisHash'),
      u64Le(toU64(channel, 'channel')),
      u64Le(toU64(units, 'units')),
      Uint8Array.of(SCHEME_VARIANT[scheme]),
      toBytes(signature, 64, 'signature'),
    ),
  );
}
