// The docker compose testnet (docker/docker-compose.yml) as scripts/compose-test.sh starts it:
// four validators whose RPC stays inside their containers and one RPC node on the host. Every
// node starts and stays up; the network finalizes; finality continues with a validator stopped,
// which catches up to the same finalized hash once restarted; a transfer sent through the RPC
// node is in every node's finalized chain with the same state.
//
// Environment (set by scripts/compose-test.sh): TESTNET_COMPOSE and TESTNET_DOCKER, the compose
// and docker commands as JSON arrays (compose with its project and file), TESTNET_RPC_PORT, the
// RPC node's port on the host.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { submit } from '../lib/chain.mjs';

const COMPOSE = JSON.parse(process.env.TESTNET_COMPOSE ?? '["docker-compose","-f","../docker/docker-compose.yml"]');
const DOCKER = JSON.parse(process.env.TESTNET_DOCKER ?? '["docker"]');
const RPC_PORT = Number(process.env.TESTNET_RPC_PORT ?? 9944);
const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];
const NODES = [...VALIDATORS, 'rpc'];
const GATEWAY_PROFILE = ['model-stub', 'gateway'];
const containers = {};
const measured = {};
let api;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function run([command, ...fixed], args, timeout = 120_000) {
  const { stdout } = await promisify(execFile)(command, [...fixed, ...args], { encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  return stdout;
}
const compose = (...args) => run(COMPOSE, args);
const docker = (...args) => run(DOCKER, args);

/** Calls a JSON-RPC method on a node: the RPC node from the host, a validator inside its container. */
async function call(node, method, params = []) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
  let reply;
  if (node === 'rpc') {
    const response = await fetch(`http://127.0.0.1:${RPC_PORT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    reply = await response.json();
  } else {
    const args = ['exec', containers[node], 'curl', '-sS', '--max-time', '10',
      '-H', 'Content-Type: application/json', '-d', body, 'http://127.0.0.1:9944'];
    reply = JSON.parse(await run(DOCKER, args, 30_000));
  }
  if (reply.error) throw new Error(`${node} ${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

async function heads(node) {
  const best = Number.parseInt((await call(node, 'chain_getHeader')).number, 16);
  const finalizedHash = await call(node, 'chain_getFinalizedHead');
  const finalized = Number.parseInt((await call(node, 'chain_getHeader', [finalizedHash])).number, 16);
  return { best, finalized };
}

/** Fails with the end of the node's log when its container is not running or has restarted. */
async function assertUp(node) {
  const [status, restarts] = (await docker('inspect', '-f', '{{.State.Status}} {{.RestartCount}}', containers[node])).trim().split(' ');
  if (status !== 'running' || restarts !== '0') {
    const log = await compose('logs', '--no-color', '--tail=15', node).catch((e) => String(e));
    throw new Error(`${node} is ${status} after ${restarts} restart(s); its log ends:\n${log}`);
  }
}

/** Polls until `predicate(heads(node))` holds, checking the node stays up; returns the elapsed ms. */
async function waitFor(node, predicate, timeoutMs, what) {
  const started = Date.now();
  let last;
  for (;;) {
    await assertUp(node);
    try {
      last = await heads(node);
      if (predicate(last)) return Date.now() - started;
    } catch (error) {
      last = error.message; // not answering yet
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${node}: ${JSON.stringify(last)}`);
    }
    await sleep(1_000);
  }
}

async function blockHash(node, number) {
  return call(node, 'chain_getBlockHash', [number]);
}

/** A test that is skipped once an earlier one failed: each step builds on the previous one. */
let failed = null;
function step(name, options, fn) {
  test(name, options, async (t) => {
    if (failed) {
      t.skip(`"${failed}" failed`);
      return;
    }
    try {
      await fn(t);
    } catch (error) {
      failed = name;
      throw error;
    }
  });
}

after(async () => {
  await api?.disconnect().catch(() => {});
  console.log('measured:', JSON.stringify(measured));
});

step('every node starts, stays up and the network finalizes', { timeout: 720_000 }, async () => {
  // The `gateway` profile's services start later (scripts/compose-test.sh); some Compose
  // versions list them here all the same.
  const services = (await compose('config', '--services')).trim().split('\n')
    .filter((service) => !GATEWAY_PROFILE.includes(service));
  for (const service of services) containers[service] = (await compose('ps', '-q', service)).trim();
  const started = Date.now();
  // Each service's RPC answers (a debug build compiles the runtime at start-up for a while).
  for (const service of services) {
    await waitFor(service, () => true, 300_000, `${service}'s RPC`);
  }
  measured.rpcReadyMs = Date.now() - started;
  assert.deepEqual([...services].sort(), [...NODES].sort(), 'four validators and the RPC node');

  // Only the RPC node publishes its RPC port; the validators publish Prometheus alone.
  for (const node of NODES) {
    const published = await docker('port', containers[node]);
    assert.match(published, /^9615\/tcp -> 127\.0\.0\.1:\d+$/m, `${node}'s Prometheus is on the host`);
    assert.equal(/^9944\/tcp/m.test(published), node === 'rpc', `${node}: RPC published only by the RPC node`);
  }
  // The public RPC node serves safe methods only.
  await assert.rejects(call('rpc', 'author_rotateKeys'), /unsafe/i);

  await waitFor('rpc', (h) => h.finalized >= 1, 240_000, 'the first finalized block');
  measured.firstFinalizedMs = Date.now() - started;
  const health = await call('rpc', 'system_health');
  assert.ok(health.peers >= 4, `the RPC node is connected to the validators: ${JSON.stringify(health)}`);
});

step('finality continues with a validator stopped, which then catches up', { timeout: 600_000 }, async () => {
  await compose('stop', 'dave');
  const [status] = (await docker('inspect', '-f', '{{.State.Status}}', containers.dave)).trim().split(' ');
  assert.equal(status, 'exited', 'dave is stopped');
  const before = (await heads('rpc')).finalized;
  measured.threeValidatorsMs = await waitFor('rpc', (h) => h.finalized >= before + 3, 150_000, 'finality with three validators');

  await compose('start', 'dave');
  const restarted = Date.now();
  // `start` resets nothing: dave's restart count stays 0 and its chain data is kept.
  await waitFor('dave', () => true, 180_000, "dave's RPC after the restart");
  const target = (await heads('rpc')).finalized;
  await waitFor('dave', (h) => h.finalized >= target, 240_000, `dave to finalize #${target}`);
  measured.catchUpMs = Date.now() - restarted;
  const hashes = await Promise.all(NODES.map((node) => blockHash(node, target)));
  assert.equal(new Set(hashes).size, 1, `every node has the same finalized block #${target}: ${hashes}`);
});

step('a transfer sent through the RPC node is seen by every node', { timeout: 420_000 }, async () => {
  await cryptoWaitReady();
  const provider = new WsProvider(`ws://127.0.0.1:${RPC_PORT}`, false);
  await provider.connect();
  api = await ApiPromise.create({ provider, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const sender = keyring.addFromUri('//Eve');
  const receiver = keyring.addFromUri('//TributaryComposeReceiver');
  const amount = 7n * 10n ** 12n;

  const sent = Date.now();
  const { blockHash: hash, dispatchError } = await submit(
    api,
    api.tx.balances.transferKeepAlive(receiver.address, amount),
    sender,
    { timeoutMs: 240_000 },
  );
  assert.equal(dispatchError, null);
  measured.transferFinalizedMs = Date.now() - sent;
  const number = (await api.rpc.chain.getHeader(hash)).number.toNumber();
  const key = api.query.system.account.key(receiver.address);
  const expected = (await api.rpc.state.getStorage(key, hash)).toHex();
  assert.equal(api.createType('FrameSystemAccountInfo', expected).data.free.toBigInt(), amount);

  for (const node of NODES) {
    await waitFor(node, (h) => h.finalized >= number, 120_000, `${node} to finalize #${number}`);
    assert.equal(await blockHash(node, number), hash.toHex(), `${node} has the transfer's block at #${number}`);
    assert.equal(await call(node, 'state_getStorage', [key, hash.toHex()]), expected, `${node} sees the transfer`);
  }
});
