// Byte helpers, kept dependency-free so the package runs wherever `fetch` does.

const U64_MAX = (1n << 64n) - 1n;

/**
 * `value` as a u64 bigint. Numbers must be safe integers: a larger Number has already lost the
 * exact value, so such amounts have to arrive as bigints (or, from JSON, decimal strings).
 */
export function toU64(value, name) {
  let n;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^\d+$/.test(value)) n = BigInt(value);
  else throw new TypeError(`${name} must be an integer (number or bigint), got ${String(value)}`);
  if (n < 0n || n > U64_MAX) throw new RangeError(`${name} must fit a u64 (0 to 2^64-1), got ${n}`);
  return n;
}

/** `n` (already checked by `toU64`) as 8 little-endian bytes, as SCALE encodes a u64. */
export function u64Le(n) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
}

/** `value` (0x-hex or bytes) as exactly `length` bytes. */
export function toBytes(value, length, name) {
  let out;
  if (value instanceof Uint8Array) {
    out = value;
  } else if (typeof value === 'string' && /^0x(?:[0-9a-fA-F]{2})*$/.test(value)) {
    out = new Uint8Array((value.length - 2) / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(value.slice(2 + 2 * i, 4 + 2 * i), 16);
  } else {
    throw new TypeError(`${name} must be 0x-prefixed hex or a Uint8Array`);
  }
  if (out.length !== length) throw new RangeError(`${name} must be ${length} bytes, got ${out.length}`);
  return out;
}

/** `bytes` as 0x-prefixed lower-case hex. */
export function toHex(bytes) {
  return '0x' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The concatenation of `parts`. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
