// Garbage through the node's JSON-RPC over plain HTTP, where polkadot.js's type checking cannot
// stop it: every `tributary_*` method the node serves, and every method of the four Tributary
// runtime APIs through `state_call`. Each malformed input is a call that works (checked first)
// with one defect: a parameter of the wrong type, missing, out of its integer range, naming
// nothing, or SCALE bytes cut short or carrying an impossible `Option` tag. Each must be answered
// with a JSON-RPC error carrying the code its kind of defect has, within a timeout; afterwards
// the node must still answer, author a block with a transfer in it, and be running. Valid calls
// with garbage appended are answered as if it were not there (upstream's leniency, see the two
// tests' comments), which two tests check. The figures are printed at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { startDevNode, httpRpc } from '../lib/node.mjs';
import { PERBILL, UNIT, devAccounts, expectOk, eventOf, freeBalance, submit, versionSpec } from '../lib/chain.mjs';

/** Invalid params: what jsonrpsee answers when the JSON does not deserialize to the method's types. */
const INVALID_PARAMS = -32602;
/** tributary_rpc.rs: an id that names nothing. */
const UNKNOWN = 4004;
/** tributary_rpc.rs: a request the runtime refuses, named after the pallet error. */
const REFUSED = 4000;
/** tributary_rpc.rs: the runtime API call failed (here: at a block the node does not have). */
const RUNTIME_ERROR = 5000;
/** sc-rpc's `state_call` client error: the runtime trapped on input it could not decode. */
const STATE_CLIENT_ERROR = 4003;

/**
 * The parameters of every `tributary_*` method as node/src/tributary_rpc.rs declares them, name
 * to kind. The test fails on a method the node serves that is missing here, so a new method gets
 * its garbage too.
 */
const METHODS = {
  pendingRoyalties: { who: 'account', at: 'at' },
  route: { model: 'model', version: 'version', at: 'at' },
  lineage: { model: 'model', version: 'version', at: 'at' },
  undistributed: { model: 'model', version: 'version', at: 'at' },
  quote: { model: 'model', version: 'optionalVersion', units: 'units', provider: 'optionalAccount', at: 'at' },
  usage: { model: 'model', at: 'at' },
  channel: { channel: 'channel', at: 'at' },
  voucherValue: { channel: 'channel', cumulative_units: 'units', at: 'at' },
  shares: { dataset: 'dataset', holder: 'optionalAccount', at: 'at' },
};

/** The runtime APIs whose every method (read from the metadata) gets garbage through `state_call`. */
const RUNTIME_APIS = ['DataContributionApi', 'ModelRegistryApi', 'RoyaltyApi', 'MeteringApi'];

const TWO_POW = (n) => (2n ** BigInt(n)).toString();
const U32_MAX = String(2 ** 32 - 1);
const U64_MAX = (2n ** 64n - 1n).toString();
/** JSON values of the wrong type for any parameter. */
const WRONG_TYPES = ['{}', '[]', '[1]', 'true', '"x"'];
/** Numbers no u64 holds (JSON text, so they reach the node digit for digit), and wrong types. */
const NOT_U64 = [...WRONG_TYPES, '"1"', '"0x01"', '1.5', '1e3', TWO_POW(64), TWO_POW(128), `1${'0'.repeat(40)}`, '-1', `-${TWO_POW(63)}`];
/** The same for a u32, and 2^32. */
const NOT_U32 = [...NOT_U64, TWO_POW(32)];

let node;
let port;
let alice;
let charlie;
/** A valid value, as JSON text, for each parameter kind. */
let valid;
/** Every malformed input tried: its answer's kind (`error`, `result`, `hang`) and error codes. */
const tally = { inputs: 0, errors: 0, results: 0, hangs: 0, codes: {}, ignored: 0 };

before(async () => {
  let bob;
  let dave;
  ({ alice, bob, charlie, dave } = await devAccounts(['Alice', 'Bob', 'Charlie', 'Dave']));
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  port = node.rpcPort;
  const { api } = node;

  // Something for each id to name: a dataset, a model served by Charlie, and Dave's channel to him.
  let r = await expectOk(api, api.tx.dataContribution.createDataset('d', '0x' + '00'.repeat(32), 's', 'l', {
    minModelShare: 0, sharesPerItem: 1, contributionQuorum: 1,
  }), alice);
  const dataset = eventOf(r.events, 'dataContribution', 'DatasetCreated')[0].toNumber();
  r = await expectOk(api, api.tx.modelRegistry.register('m', 'Text', versionSpec({ ownerShare: PERBILL, price: UNIT })), bob);
  const model = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  await expectOk(api, api.tx.invocationMetering.registerOffer(model, UNIT, 'https://charlie.example'), charlie);
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  r = await expectOk(api, api.tx.invocationMetering.openChannel(charlie.address, model, null, 10n * UNIT, head + 1_000), dave);
  const channel = eventOf(r.events, 'invocationMetering', 'ChannelOpened')[0].toNumber();

  valid = {
    model: String(model),
    version: '1',
    optionalVersion: '1',
    dataset: String(dataset),
    channel: String(channel),
    units: '1',
    account: JSON.stringify(alice.address),
    optionalAccount: JSON.stringify(charlie.address),
    at: JSON.stringify((await api.rpc.chain.getBlockHash()).toHex()),
  };
});

after(async () => {
  console.log(`malformed RPC: ${tally.inputs} inputs, ${tally.errors} errors, ${tally.hangs} hangs, ${tally.results} results; codes ${JSON.stringify(tally.codes)}; ${tally.ignored} valid calls with trailing garbage answered as without it`);
  await node?.stop();
});

/** Sends one request; a `TimeoutError` is a hang, anything else an answer. */
async function ask(method, params) {
  try {
    return await httpRpc(port, method, params, { timeoutMs: 10_000 });
  } catch (error) {
    if (error.name === 'TimeoutError') return { hang: true };
    throw error;
  }
}

/**
 * Sends a malformed input and counts its answer. Returns a mismatch description when the answer
 * is not a well-formed JSON-RPC error with one of `codes`, or null.
 */
async function tryMalformed(method, params, codes) {
  const answer = await ask(method, params);
  tally.inputs += 1;
  const what = `${method} ${params ?? '(no params)'}`;
  if (answer.hang) {
    tally.hangs += 1;
    return `${what}: no answer within 10 s`;
  }
  if (!('error' in answer)) {
    tally.results += 1;
    return `${what}: answered ${JSON.stringify(answer.result)?.slice(0, 200)}`;
  }
  tally.errors += 1;
  const { code, message } = answer.error;
  tally.codes[code] = (tally.codes[code] ?? 0) + 1;
  if (answer.jsonrpc !== '2.0' || answer.id !== 1 || !Number.isInteger(code) || typeof message !== 'string' || message === '') {
    return `${what}: malformed error response ${JSON.stringify(answer)}`;
  }
  if (!codes.includes(code)) return `${what}: error ${code} (${message.slice(0, 200)}), expected ${codes.join(' or ')}`;
  return null;
}

/** Whether a parameter of this kind may be left out (an `Option`, or the block to read at). */
function isOptional(kind) {
  return kind.startsWith('optional') || kind === 'at';
}

/** Valid positional params of these kinds, as a JSON array. */
function positional(kinds) {
  return `[${kinds.map((kind) => valid[kind]).join(',')}]`;
}

/** Valid named params of these names and kinds, as a JSON object. */
function named(names, kinds) {
  return `{${names.map((name, i) => `${JSON.stringify(name)}:${valid[kinds[i]]}`).join(',')}}`;
}

/** The malformed inputs for a `tributary_*` method: `[params JSON, expected codes]`. */
function malformedParams(params) {
  const names = Object.keys(params);
  const kinds = Object.values(params);
  const inputs = [];
  const withParam = (i, value) => `[${kinds.map((kind, j) => (j === i ? value : valid[kind])).join(',')}]`;

  // Missing: no params at all, the wrong JSON shape for them, and every prefix that stops before
  // the last required (non-Option) parameter.
  inputs.push([undefined, [INVALID_PARAMS]], ['null', [INVALID_PARAMS]], ['"x"', [INVALID_PARAMS]], ['5', [INVALID_PARAMS]]);
  const lastRequired = kinds.findLastIndex((kind) => !isOptional(kind));
  for (let length = 0; length <= lastRequired; length++) {
    inputs.push([`[${kinds.slice(0, length).map((kind) => valid[kind]).join(',')}]`, [INVALID_PARAMS]]);
  }
  // Named params: none, a wrong name, and each required one left out.
  inputs.push(['{}', [INVALID_PARAMS]], [`{"nonsense":${valid[kinds[0]]}}`, [INVALID_PARAMS]]);
  for (const [i, kind] of kinds.entries()) {
    if (isOptional(kind)) continue;
    inputs.push([named(names.filter((_, j) => j !== i), kinds.filter((_, j) => j !== i)), [INVALID_PARAMS]]);
  }

  // One parameter wrong, the others valid.
  for (const [i, kind] of kinds.entries()) {
    const bad = [];
    if (!isOptional(kind)) bad.push(['null', INVALID_PARAMS]);
    if (['model', 'version', 'optionalVersion', 'dataset'].includes(kind)) {
      bad.push(...NOT_U32.map((v) => [v, INVALID_PARAMS]));
      // Ids that name nothing: the highest u32, and version 0.
      bad.push([U32_MAX, UNKNOWN]);
      if (kind.toLowerCase().endsWith('version')) bad.push(['0', UNKNOWN]);
    } else if (kind === 'channel') {
      bad.push(...NOT_U64.map((v) => [v, INVALID_PARAMS]), [U64_MAX, UNKNOWN]);
    } else if (kind === 'units') {
      // Zero units is refused: a quote of nothing, a voucher that settles nothing new.
      bad.push(...NOT_U64.map((v) => [v, INVALID_PARAMS]), ['0', REFUSED]);
    } else if (kind === 'account' || kind === 'optionalAccount') {
      const ss58 = JSON.parse(valid[kind]);
      const badChecksum = ss58.slice(0, -1) + (ss58.endsWith('A') ? 'B' : 'A');
      bad.push(...[...WRONG_TYPES, '5', '""', '"0x1234"', `"0x${'00'.repeat(32)}"`, '"not an address"', JSON.stringify(badChecksum)]
        .map((v) => [v, INVALID_PARAMS]));
    } else if (kind === 'at') {
      bad.push(...[...WRONG_TYPES, '5', '""', '"0x12"', `"0x${'zz'.repeat(32)}"`, `"0x${'00'.repeat(33)}"`].map((v) => [v, INVALID_PARAMS]));
      // A well-formed hash of a block the node does not have.
      bad.push([`"0x${'00'.repeat(32)}"`, RUNTIME_ERROR]);
    } else {
      throw new Error(`no garbage for parameter kind ${kind}`);
    }
    for (const [value, code] of bad) inputs.push([withParam(i, value), [code]]);
  }
  return inputs;
}

/**
 * The runtime API methods of `RUNTIME_APIS` as the metadata lists them, each with a valid SCALE
 * encoding of its arguments and the byte offsets of its `Option` tags.
 */
function runtimeApiMethods(api) {
  // Any value of the right type will do: an id that names nothing is answered with `None`.
  const values = { u32: 1, u64: 1, AccountId32: alice.address };
  const methods = [];
  for (const runtimeApi of api.runtimeMetadata.asLatest.apis) {
    const apiName = runtimeApi.name.toString();
    if (!RUNTIME_APIS.includes(apiName)) continue;
    for (const method of runtimeApi.methods) {
      const parts = [];
      const optionTags = [];
      let offset = 0;
      for (const input of method.inputs) {
        const type = api.registry.lookup.getTypeDef(input.type).type;
        const inner = type.match(/^Option<(.+)>$/)?.[1];
        if (!((inner ?? type) in values)) throw new Error(`no valid value for ${apiName}_${method.name} argument of type ${type}`);
        // An Option is given as Some, so that it has both a tag and a payload to cut.
        if (inner) optionTags.push(offset);
        const bytes = api.createType(type, values[inner ?? type]).toU8a();
        parts.push(bytes);
        offset += bytes.length;
      }
      methods.push({ name: `${apiName}_${method.name}`, args: u8aConcat(...parts), optionTags });
    }
  }
  return methods;
}

test('every tributary_* method answers malformed params with JSON-RPC errors', { timeout: 300_000 }, async () => {
  const listed = (await ask('rpc_methods', '[]')).result.methods.filter((m) => m.startsWith('tributary_'));
  assert.ok(listed.length > 0, 'the node serves tributary_* methods');
  assert.deepEqual(listed.toSorted(), Object.keys(METHODS).map((m) => `tributary_${m}`).toSorted(), 'every tributary_* method is covered');

  const mismatches = [];
  for (const [method, params] of Object.entries(METHODS)) {
    // The calls the garbage is made from work, positional and named.
    for (const form of [positional(Object.values(params)), named(Object.keys(params), Object.values(params))]) {
      const answer = await ask(`tributary_${method}`, form);
      assert.ok('result' in answer, `tributary_${method} ${form} works: ${JSON.stringify(answer)}`);
    }
    for (const [input, codes] of malformedParams(params)) {
      const mismatch = await tryMalformed(`tributary_${method}`, input, codes);
      if (mismatch) mismatches.push(mismatch);
    }
  }
  assert.equal(mismatches.length, 0, mismatches.join('\n'));
});

test('every Tributary runtime API answers garbage through state_call with JSON-RPC errors', { timeout: 300_000 }, async () => {
  const methods = runtimeApiMethods(node.api);
  assert.deepEqual([...new Set(methods.map(({ name }) => name.split('_')[0]))].toSorted(), RUNTIME_APIS.toSorted(), 'the metadata lists the four runtime APIs');

  const mismatches = [];
  const call = async (params, codes) => {
    const mismatch = await tryMalformed('state_call', params, codes);
    if (mismatch) mismatches.push(mismatch);
  };
  for (const { name, args, optionTags } of methods) {
    const answer = await ask('state_call', JSON.stringify([name, u8aToHex(args)]));
    assert.ok('result' in answer, `${name} ${u8aToHex(args)} works: ${JSON.stringify(answer)}`);

    // Every cut of the arguments short of their end, the empty one included.
    for (let length = 0; length < args.length; length++) {
      await call(JSON.stringify([name, u8aToHex(args.subarray(0, length))]), [STATE_CLIENT_ERROR]);
    }
    // An Option tag that is neither None (0) nor Some (1).
    for (const at of optionTags) {
      for (const tag of [2, 0xff]) {
        const bytes = args.slice();
        bytes[at] = tag;
        await call(JSON.stringify([name, u8aToHex(bytes)]), [STATE_CLIENT_ERROR]);
      }
    }
    // Not hex, odd-length hex, and other types where the bytes belong: refused as params, or
    // read as bytes too short for the arguments.
    for (const data of ['"zz"', '"0x123"', '"hello"', '5', 'null', '{}', '[]']) {
      await call(`[${JSON.stringify(name)},${data}]`, [INVALID_PARAMS, STATE_CLIENT_ERROR]);
    }
    // The bytes at a block the node does not have, and a block hash that is not one.
    await call(JSON.stringify([name, u8aToHex(args), '0x' + '00'.repeat(32)]), [STATE_CLIENT_ERROR]);
    await call(JSON.stringify([name, u8aToHex(args), '0x12']), [INVALID_PARAMS]);
  }
  // Methods that do not exist, and a method name that is not a string.
  for (const name of ['MeteringApi_nonsense', 'NonsenseApi_quote', '', 'MeteringApi_quote\u0000']) {
    await call(JSON.stringify([name, '0x']), [STATE_CLIENT_ERROR]);
  }
  await call('[5,"0x"]', [INVALID_PARAMS]);
  await call('["MeteringApi_usage"]', [INVALID_PARAMS]);
  assert.equal(mismatches.length, 0, mismatches.join('\n'));
});

// jsonrpsee, which serves the `tributary_*` methods from the `#[rpc(server)]` trait in
// node/src/tributary_rpc.rs (as it serves every Substrate method), reads a method's positional
// params one by one without checking that none are left over, and deserializes named params with
// serde, which skips unknown fields. The node keeps that leniency, common to every method it
// serves; this test holds it to its one safe form: a valid call with extra params is answered
// exactly as without them.
test('tributary_* methods answer as if params beyond their last were not there', { timeout: 120_000 }, async () => {
  for (const [method, params] of Object.entries(METHODS)) {
    const array = positional(Object.values(params));
    const object = named(Object.keys(params), Object.values(params));
    const baseline = await ask(`tributary_${method}`, array);
    assert.ok('result' in baseline, `tributary_${method} ${array}: ${JSON.stringify(baseline)}`);
    for (const extra of [`${array.slice(0, -1)},1]`, `${array.slice(0, -1)},null,"garbage"]`, `${object.slice(0, -1)},"nonsense":1}`]) {
      const answer = await ask(`tributary_${method}`, extra);
      tally.ignored += 1;
      assert.deepEqual(answer.result, baseline.result, `tributary_${method} ${extra}: ${JSON.stringify(answer)}`);
    }
  }
});

// The runtime API entry points sp-api's `impl_runtime_apis!` generates decode their arguments
// with `Decode::decode`, which reads from the front of the input and leaves the rest (methods
// without arguments do refuse any input). That is upstream's code, not Tributary's; this test
// holds it to its safe form: valid arguments with bytes appended are answered exactly as without.
test('state_call answers as if bytes after a runtime API method\'s arguments were not there', { timeout: 120_000 }, async () => {
  for (const { name, args } of runtimeApiMethods(node.api)) {
    const baseline = await ask('state_call', JSON.stringify([name, u8aToHex(args)]));
    assert.ok('result' in baseline, `${name}: ${JSON.stringify(baseline)}`);
    for (const tail of ['00', 'ff'.repeat(32)]) {
      const answer = await ask('state_call', JSON.stringify([name, u8aToHex(args) + tail]));
      tally.ignored += 1;
      assert.deepEqual(answer.result, baseline.result, `${name} + ${tail}: ${JSON.stringify(answer)}`);
    }
  }
});

test('after the garbage the node answers, authors a block with a transfer, and runs', { timeout: 120_000 }, async () => {
  assert.ok(node.alive(), 'the node process is running');
  const health = await ask('system_health', '[]');
  assert.ok('result' in health, `system_health answers: ${JSON.stringify(health)}`);
  const { api } = node;
  const balance = await freeBalance(api, alice.address);
  const height = (await api.rpc.chain.getHeader()).number.toNumber();
  const tx = api.tx.balances.transferKeepAlive(alice.address, UNIT);
  const { blockHash, dispatchError } = await submit(api, tx, charlie, { until: 'inBlock', timeoutMs: 60_000 });
  assert.equal(dispatchError, null);
  const block = await api.rpc.chain.getBlock(blockHash);
  assert.equal(block.block.header.number.toNumber(), height + 1, 'a new block');
  assert.ok(block.block.extrinsics.some((x) => x.hash.eq(tx.hash)), 'the transfer is in it');
  assert.equal(await freeBalance(api, alice.address), balance + UNIT);
  assert.ok(node.alive(), 'the node process is still running');
});
