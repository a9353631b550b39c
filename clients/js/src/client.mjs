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
  #maxResync;
  #voucher = null;

  /**
   * The gateway's last refusal, `{ status, code, message, owed }` (`owed` a bigint, parsed from
   * a `voucher_behind` message, else null), or null after a call it answered. The response is
   * still returned as is, so the openai client throws its usual `APIError` for it. `owed` is the
   * gateway's claim, for information: it is never adopted (`resync` is the way to, checked).
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
   * @param {number|bigint} [options.maxResync=0] how many units above its own count `resync()`
   *   adopts from the gateway without `trust`
   */
  constructor({ gateway, genesisHash, channel, provider, nonce, signer, owed = 0, maxResync = 0 }) {
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
    this.#maxResync = toU64(maxResync, 'maxResync');
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
   * comment. `owed` is adopted once the body has been read. The charge is refused, `owed`
   * staying and reading the body throwing, when it does not add up, comes in no known unit, or
   * is more than:
   * - one unit, for a model metered in calls;
   * - the bound the gateway admits the call under, for a model metered in tokens: the bytes of a
   *   string JSON body (what the openai client sends) plus its completion limit, `max_tokens` or
   *   `max_completion_tokens` times `n`, `best_of` and the number of prompts (none for
   *   embeddings). Without either limit the gateway applies the model's default, unknown here,
   *   and the bound is not checked: set `max_tokens` to have it checked;
   * - the tokens the answer reports using: the JSON body's `usage.total_tokens`, or the usage
   *   chunk of a stream whose request asked for it (`stream_options.include_usage`; such a
   *   stream charged without one is refused too).
   *
   * (Thrown from `fetch` itself, the openai client would take a refusal for a network failure
   * and retry.) Refusals (4xx/5xx) leave `owed` unchanged and set `lastRefusal`.
   *
   * @param {RequestInfo|URL} input
   * @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  async fetch(input, init = {}) {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set(VOUCHER_HEADER, this.header());
    const limits = callLimits(input, init);
    const response = await globalThis.fetch(input, { ...init, headers });
    if (!response.ok) {
      this.lastRefusal = await refusalOf(response);
      return response;
    }
    this.lastRefusal = null;
    return this.#metered(response, limits);
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
   * Adopts the gateway's `owed`, for a caller whose count fell behind (a stream cut before its
   * charge). A lower `owed` is always adopted; one more than `maxResync` units above this
   * client's count throws, adopting nothing, since a gateway could otherwise bill calls never
   * made by claiming them here. The error carries the gateway's `state`.
   *
   * `{ trust: true }` adopts whatever the gateway claims, for a caller with no count of its own
   * (a restart without saving `owed`, calls made by other means on the same channel). Every unit
   * so adopted is signed for and can be settled from the deposit: compare with your own records
   * first if you keep any.
   * @param {{ trust?: boolean }} [options]
   * @returns {Promise<object>} the state, as `state()` returns it
   */
  async resync({ trust = false } = {}) {
    const state = await this.state();
    const counted = this.#owed;
    if (trust !== true && state.owed > counted + this.#maxResync) {
      const error = new Error(
        `gateway claims ${state.owed} units owed, ${state.owed - counted} more than the ${counted} this client counted ` +
          `(maxResync ${this.#maxResync}); resync({ trust: true }) adopts it anyway`,
      );
      throw Object.assign(error, { state });
    }
    this.#owed = state.owed;
    return state;
  }

  #metered(response, limits) {
    const type = mediaType(response);
    const stream = type === 'text/event-stream';
    // Unmetered answers (the model list) carry no charge.
    if (!stream && !response.headers.has('x-tributary-owed')) return response;
    const unit = response.headers.get('x-tributary-unit');
    const byTokens = unit === 'tokens';
    const json = type.includes('application/json') || type.endsWith('+json');
    if (!response.body) {
      this.#adopt(headerCharge(response.headers), unit, limits.bound, null);
      return response;
    }
    const collect = stream || (json && byTokens);
    const readsUsage = stream && byTokens && limits.wantsUsage;
    const decoder = new TextDecoder();
    let text = ''; // a stream's unfinished line, or the JSON body so far
    let charge = null;
    let data = null; // the data lines of the stream's event being read
    let usage = null; // the last usage chunk's total tokens, once one is read
    const dispatch = () => {
      if (data === null) return;
      if (readsUsage) usage = streamUsage(data) ?? usage;
      data = null;
    };
    const readLine = (raw) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') return dispatch();
      charge = sseCharge(line) ?? charge;
      if (!line.startsWith('data:')) return;
      const value = line.startsWith('data: ') ? line.slice(6) : line.slice(5);
      data = data === null ? value : `${data}\n${value}`;
    };
    const meter = new TransformStream({
      transform: (chunk, controller) => {
        controller.enqueue(chunk);
        if (!collect) return;
        text += decoder.decode(chunk, { stream: true });
        if (!stream) return;
        const lines = text.split('\n');
        text = lines.pop();
        lines.forEach(readLine);
      },
      flush: () => {
        if (collect) text += decoder.decode();
        if (stream) {
          readLine(text);
          dispatch();
          // A stream cut before its charge leaves `owed` as it was; `resync` recovers it.
          if (!charge) return;
          // The gateway meters a stream from the usage chunk it relays when asked, so a charge
          // without one has nothing behind it.
          if (readsUsage && usage?.tokens == null) {
            throw new Error(`gateway charges ${charge.units} units for a stream without the usage it was asked for`);
          }
          this.#adopt(charge, unit, limits.bound, readsUsage ? usage.tokens : null);
        } else {
          this.#adopt(headerCharge(response.headers), unit, limits.bound, json && byTokens ? totalTokens(text) : null);
        }
      },
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(meter), { status, statusText, headers });
  }

  #adopt({ owed, units }, unit, bound, tokens) {
    if (unit === 'calls') {
      if (units !== 1n) throw new Error(`gateway overcharges: ${units} units for one call of a model metered in calls`);
    } else if (unit === 'tokens') {
      if (bound !== null && units > bound) {
        throw new Error(`gateway overcharges: ${units} units for a call its request bounds at ${bound} tokens`);
      }
      if (tokens !== null && units > tokens) {
        throw new Error(`gateway overcharges: ${units} units for a call that used ${tokens} tokens`);
      }
    } else {
      // Without its unit a charge cannot be checked against the call at all.
      throw new Error(`gateway charges ${units} units in an unknown unit (${unit ?? 'none given'})`);
    }
    if (owed - this.#owed !== units) {
      throw new Error(`gateway's charge does not add up: ${units} units would take owed from ${this.#owed} to ${owed}`);
    }
    this.#owed = owed;
  }
}

const NO_LIMITS = { bound: null, wantsUsage: false };

// What the gateway bounds a call's cost at before admitting it, worked out from the request as
// the gateway does. The bound is null wherever the request leaves it to the gateway's defaults,
// or is not what the gateway would admit (then no charge should come anyway).
function callLimits(input, init) {
  if (typeof init.body !== 'string') return NO_LIMITS;
  const method = init.method ?? (input instanceof Request ? input.method : 'GET');
  const endpoint = endpointOf(input);
  if (String(method).toUpperCase() !== 'POST' || !endpoint) return NO_LIMITS;
  let request;
  try {
    request = JSON.parse(init.body);
  } catch {
    return NO_LIMITS;
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return NO_LIMITS;
  const wantsUsage = request.stream === true && request.stream_options?.include_usage === true;
  const completion = endpoint === 'embeddings' ? 0n : completionLimit(request);
  const bytes = BigInt(new TextEncoder().encode(init.body).length);
  return { bound: completion === null ? null : bytes + completion, wantsUsage };
}

function endpointOf(input) {
  let path;
  try {
    path = new URL(input instanceof Request ? input.url : String(input)).pathname.replace(/\/+$/, '');
  } catch {
    return null;
  }
  if (path.endsWith('/chat/completions')) return 'chat';
  if (path.endsWith('/completions')) return 'completions';
  if (path.endsWith('/embeddings')) return 'embeddings';
  return null;
}

function completionLimit(request) {
  const limits = [request.max_tokens, request.max_completion_tokens].filter((v) => v !== undefined && v !== null);
  if (limits.length === 0 || !limits.every(isCount)) return null;
  let limit = BigInt(Math.max(...limits));
  for (const factor of [request.n, request.best_of]) {
    if (factor === undefined || factor === null) continue;
    if (!isCount(factor)) return null;
    // At least one, so a zero the gateway might read as its default cannot shrink the bound.
    limit *= BigInt(Math.max(factor, 1));
  }
  const { prompt } = request;
  const prompts =
    Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === 'string' || Array.isArray(p))
      ? prompt.length
      : 1;
  return limit * BigInt(prompts);
}

// A Number beyond the safe range has already lost its exact value: no bound is better than a
// wrong one.
function isCount(value) {
  return Number.isSafeInteger(value) && value >= 0;
}

// As the gateway reads a stream's usage: the last event whose `usage` is an object.
function streamUsage(data) {
  let usage;
  try {
    usage = JSON.parse(data)?.usage;
  } catch {
    return null;
  }
  if (usage === null || typeof usage !== 'object') return null;
  const total = usage.total_tokens;
  return { tokens: Number.isSafeInteger(total) && total >= 0 ? BigInt(total) : null };
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
