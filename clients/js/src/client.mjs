// The caller's side of a channel: each request carries a voucher for what the earlier calls cost,
// and each answer's charge is checked before the client agrees to owe it.
import { toBytes, toU64 } from './bytes.mjs';
import { VOUCHER_HEADER, voucherHeader, voucherPayload } from './voucher.mjs';

const SCHEMES = ['sr25519', 'ed25519'];

// A stream's charge is only known once its last token is out, long after its headers, so the
// gateway sends it as an SSE comment, which SSE parsers (the openai client's included) skip.
const SSE_CHARGE = /^: ?tributary owed=(\d+) units=(\d+)\s*$/;

/**
 * A payment channel's caller: signs the vouchers the gateway asks for and keeps count of what
 * the channel owes.
 *
 * `owed` is always a bigint: units are u64 on chain, beyond what a Number holds exactly, and one
 * type everywhere spares callers from guessing which they got.
 *
 * Calls are checked in the order they complete against the gateway's running count, so keep one
 * call in flight per channel (the gateway refuses a voucher behind the calls it has answered
 * anyway, as `voucher_behind`).
 */
export class TributaryClient {
  #gateway;
  #binding;
  #signer;
  #owed;
  #voucher = null;

  /**
   * The gateway's last refusal, `{ status, code, message, owed }` (`owed` a bigint, parsed from
   * a `voucher_behind` message, else null), or null after a call it answered. The response is
   * still returned as is, so the openai client throws its usual `APIError` for it.
   * @type {{ status: number, code: string|null, message: string, owed: bigint|null } | null}
   */
  lastRefusal = null;

  /**
   * @param {object} options
   * @param {string} options.gateway base URL of the gateway, e.g. `http://127.0.0.1:8080`
   * @param {string|Uint8Array} options.genesisHash the chain's genesis hash
   * @param {number|bigint} options.channel the channel id
   * @param {string|Uint8Array} options.provider the channel provider's account id (32 bytes)
   * @param {string|Uint8Array} options.nonce the channel's nonce
   * @param {{ sign(payload: Uint8Array): Uint8Array, type: 'sr25519'|'ed25519' }} options.signer
   *   the channel's consumer, e.g. a polkadot.js keyring pair
   * @param {number|bigint} [options.owed=0] units already owed on the channel
   */
  constructor({ gateway, genesisHash, channel, provider, nonce, signer, owed = 0 }) {
    if (typeof gateway !== 'string' || !gateway) throw new TypeError('gateway must be the base URL of the gateway');
    if (typeof signer?.sign !== 'function' || !SCHEMES.includes(signer.type)) {
      throw new TypeError("signer must have sign(payload) and type 'sr25519' or 'ed25519'");
    }
    this.#gateway = gateway.replace(/\/+$/, '');
    // Checked here so a wrong binding fails at once, not as a refusal on the first call.
    this.#binding = {
      genesisHash: toBytes(genesisHash, 32, 'genesisHash'),
      channel: toU64(channel, 'channel'),
      nonce: toBytes(nonce, 32, 'nonce'),
      provider: toBytes(provider, 32, 'provider'),
    };
    this.#signer = signer;
    this.owed = owed;
    // The openai client calls `fetch` detached from any object.
    this.fetch = this.fetch.bind(this);
  }

  /** Cumulative units owed on the channel, as the gateway counted them. @type {bigint} */
  get owed() {
    return this.#owed;
  }

  set owed(units) {
    this.#owed = toU64(units, 'owed');
  }

  /**
   * The `X-Tributary-Voucher` value for the units owed now. Signing is the costly part, so the
   * last one is kept until `owed` changes.
   * @returns {string}
   */
  header() {
    const units = this.#owed;
    if (this.#voucher?.units !== units) {
      const signature = this.#signer.sign(voucherPayload({ ...this.#binding, units }));
      const header = voucherHeader({ ...this.#binding, units, signature, scheme: this.#signer.type });
      this.#voucher = { units, header };
    }
    return this.#voucher.header;
  }

  /**
   * `fetch` with the voucher for the units owed so far, for the openai client's `fetch` option.
   *
   * A successful metered answer's body is passed through unchanged while its charge is read:
   * from the `x-tributary-owed`/`x-tributary-units` headers (and, when the unit is tokens, the
   * JSON body's `usage.total_tokens`), or from a stream's closing `: tributary owed=… units=…`
   * comment. `owed` is adopted once the body has been read; a charge that does not add up, or
   * more units than tokens used, is refused: `owed` stays, and reading the body throws. (Thrown
   * from `fetch` itself, the openai client would take it for a network failure and retry.)
   * Refusals (4xx/5xx) leave `owed` unchanged and set `lastRefusal`.
   *
   * @param {RequestInfo|URL} input
   * @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  async fetch(input, init = {}) {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set(VOUCHER_HEADER, this.header());
    const response = await globalThis.fetch(input, { ...init, headers });
    if (!response.ok) {
      this.lastRefusal = await refusalOf(response);
      return response;
    }
    this.lastRefusal = null;
    return this.#metered(response);
  }

  /**
   * Sends the voucher for the units owed now, paying for the last call (every other call's
   * voucher pays for the ones before it).
   * @returns {Promise<any>} the gateway's JSON answer
   */
  async settleUp() {
    const url = `${this.#gateway}/v1/tributary/vouchers`;
    return jsonOf(await globalThis.fetch(url, { method: 'POST', headers: { [VOUCHER_HEADER]: this.header() } }));
  }

  /**
   * The gateway's view of the channel. Units are bigints; the gateway may send them as JSON
   * numbers or strings.
   * @returns {Promise<{ channel: number, owed: bigint, voucherUnits: bigint|null,
   *   settledUnits: bigint|null, coveredUnits: bigint|null, closing: boolean }>}
   */
  async state() {
    const body = await jsonOf(await globalThis.fetch(`${this.#gateway}/v1/tributary/channels/${this.#binding.channel}`));
    return {
      channel: Number(toU64(body.channel, 'channel')),
      owed: toU64(body.owed, 'owed'),
      voucherUnits: optionalU64(body.voucherUnits, 'voucherUnits'),
      settledUnits: optionalU64(body.settledUnits, 'settledUnits'),
      coveredUnits: optionalU64(body.coveredUnits, 'coveredUnits'),
      closing: body.closing === true,
    };
  }

  /**
   * Adopts the gateway's `owed`, for a caller that lost its count (a restart, a stream cut
   * before its charge). It takes the gateway's word: compare with your own records if you keep
   * any.
   * @returns {Promise<object>} the state, as `state()` returns it
   */
  async resync() {
    const state = await this.state();
    this.#owed = state.owed;
    return state;
  }

  #metered(response) {
    const type = mediaType(response);
    const stream = type === 'text/event-stream';
    // Unmetered answers (the model list) carry no charge.
    if (!stream && !response.headers.has('x-tributary-owed')) return response;
    const byTokens = response.headers.get('x-tributary-unit') === 'tokens';
    const json = type.includes('application/json') || type.endsWith('+json');
    if (!response.body) {
      this.#adopt(headerCharge(response.headers), null);
      return response;
    }
    const collect = stream || (json && byTokens);
    const decoder = new TextDecoder();
    let text = ''; // a stream's unfinished line, or the JSON body so far
    let charge = null;
    const meter = new TransformStream({
      transform: (chunk, controller) => {
        controller.enqueue(chunk);
        if (!collect) return;
        text += decoder.decode(chunk, { stream: true });
        if (!stream) return;
        const lines = text.split('\n');
        text = lines.pop();
        for (const line of lines) charge = sseCharge(line) ?? charge;
      },
      flush: () => {
        if (collect) text += decoder.decode();
        if (stream) {
          // A stream cut before its charge leaves `owed` as it was; `resync` recovers it.
          charge = sseCharge(text) ?? charge;
          if (charge) this.#adopt(charge, null);
        } else {
          this.#adopt(headerCharge(response.headers), json && byTokens ? totalTokens(text) : null);
        }
      },
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(meter), { status, statusText, headers });
  }

  #adopt({ owed, units }, tokens) {
    if (tokens !== null && units > tokens) {
      throw new Error(`gateway overcharges: ${units} units for a call that used ${tokens} tokens`);
    }
    if (owed - this.#owed !== units) {
      throw new Error(`gateway's charge does not add up: ${units} units would take owed from ${this.#owed} to ${owed}`);
    }
    this.#owed = owed;
  }
}

function mediaType(response) {
  return (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

function headerCharge(headers) {
  return {
    owed: toU64(headers.get('x-tributary-owed') ?? '', 'x-tributary-owed'),
    units: toU64(headers.get('x-tributary-units') ?? '', 'x-tributary-units'),
  };
}

function sseCharge(line) {
  const match = SSE_CHARGE.exec(line);
  return match && { owed: BigInt(match[1]), units: BigInt(match[2]) };
}

// A body that is not JSON or has no usage cannot be checked against tokens; its charge still is
// against the running count.
function totalTokens(text) {
  try {
    const total = JSON.parse(text)?.usage?.total_tokens;
    return Number.isSafeInteger(total) && total >= 0 ? BigInt(total) : null;
  } catch {
    return null;
  }
}

function optionalU64(value, name) {
  return value === undefined || value === null ? null : toU64(value, name);
}

async function refusalOf(response) {
  const body = await response
    .clone()
    .json()
    .catch(() => null);
  const message = body?.error?.message ?? response.statusText;
  const code = body?.error?.code ?? null;
  const owed = code === 'voucher_behind' ? /(\d+) are owed/.exec(message)?.[1] : undefined;
  return { status: response.status, code, message, owed: owed === undefined ? null : BigInt(owed) };
}

async function jsonOf(response) {
  if (!response.ok) {
    const { status, code, message } = await refusalOf(response);
    const error = new Error(`gateway refused (${status}${code ? ` ${code}` : ''}): ${message}`);
    throw Object.assign(error, { status, code });
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}
