// Fault tolerance of a four-validator network (scripts/testnet.sh, the docker compose topology
// as native processes): finality survives one stopped validator, stalls with two stopped while
// blocks are still authored, and resumes when they return; restarted nodes catch up to the same
// finalized chain; a transaction sent to one node is seen by all; a validator killed with SIGKILL
// mid-production restarts on its own database, catches up, and agrees on finality.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_BIN, waitForRpc, connectApi } from '../lib/node.mjs';
import { UNIT, devKeyring, submit, freeBalance } from '../lib/chain.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAMES = ['alice', 'bob', 'charlie', 'dave'];
const dir = mkdtempSync(path.join(tmpdir(), 'tributary-testnet-'));
let env;
const apis = {};
const measured = {};
let passed = 0;

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Four consecutive free ports from a random base, for each of p2p, RPC and Prometheus. */
async function freeBases() {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = [0, 1, 2, 3].flatMap((i) => [base + i, base + 100 + i, base + 200 + i]);
    const free = await Promise.all(ports.map(portFree));
    if (free.every(Boolean)) return { p2p: base, rpc: base + 100, prometheus: base + 200 };
  }
}

function testnet(...args) {
  return execFileSync(path.join(ROOT, 'scripts', 'testnet.sh'), args, { env, encoding: 'utf8' });
}

/** Waits, with the dev node's readiness probe, until `name`'s RPC answers; connects to it. */
async function connect(name) {
  const port = Number(env.RPC_BASE) + NAMES.indexOf(name);
  try {
    await waitForRpc(port, { timeoutMs: 120_000, name, alive: () => testnet('status').includes(`${name}: running`) });
  } catch (error) {
    let log = '(no log)';
    try {
      log = readFileSync(path.join(dir, name, 'node.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      // the node never wrote one
    }
    throw new Error(`${error.message}:\n${log}`);
  }
  apis[name] = await connectApi(port);
  return apis[name];
}

async function disconnect(name) {
  await apis[name]?.disconnect().catch(() => {});
  delete apis[name];
}

/**
 * Kills `name` with SIGKILL, which gives it no chance to close its database, unlike
 * `testnet.sh stop`; waits until testnet.sh sees it stopped, so that it can be started again.
 */
async function kill(name) {
  await disconnect(name);
  const pid = Number(readFileSync(path.join(dir, name, 'node.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  for (const killed = Date.now(); testnet('status').includes(`${name}: running`);) {
    if (Date.now() - killed > 10_000) throw new Error(`${name} (pid ${pid}) still runs 10 s after SIGKILL`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function heads(api) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  return { best, finalized };
}

/** Polls until `predicate(heads)` holds; returns the elapsed milliseconds. */
async function waitFor(api, predicate, timeoutMs, what) {
  const started = Date.now();
  for (;;) {
    const h = await heads(api);
    if (predicate(h)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; heads ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Average best−finalized gap over `samples` observations a block apart. */
async function finalityLag(api, samples = 5) {
  let total = 0;
  for (let i = 0; i < samples; i += 1) {
    const h = await heads(api);
    total += h.best - h.finalized;
    await new Promise((r) => setTimeout(r, 6_000));
  }
  return total / samples;
}

before(async () => {
  const bases = await freeBases();
  env = {
    ...process.env,
    NODE_BIN,
    SKIP_BUILD: '1',
    TESTNET_DIR: dir,
    P2P_BASE: String(bases.p2p),
    RPC_BASE: String(bases.rpc),
    PROMETHEUS_BASE: String(bases.prometheus),
  };
});

after(async () => {
  for (const name of Object.keys(apis)) await disconnect(name);
  try {
    testnet('stop');
  } finally {
    console.log('measured:', JSON.stringify(measured));
    // Keep the chain data and logs of a failed run for diagnosis.
    if (passed === 3) rmSync(dir, { recursive: true, force: true });
    else console.log(`testnet logs kept in ${dir}`);
  }
});

test('finality survives one failure, stalls with two, and recovers', { timeout: 900_000 }, async () => {
  const started = Date.now();
  testnet('start');
  for (const name of NAMES) await connect(name);
  const alice = apis.alice;
  await waitFor(alice, (h) => h.finalized >= 1, 180_000, 'the first finalized block');
  measured.firstFinalizedMs = Date.now() - started;
  await waitFor(alice, (h) => h.finalized >= 3, 120_000, 'three finalized blocks');
  measured.lagWith4 = await finalityLag(alice);

  // One validator down: 3 of 4 is more than two thirds, finality continues.
  await disconnect('dave');
  testnet('stop', 'dave');
  const withThree = (await heads(alice)).finalized;
  await waitFor(alice, (h) => h.finalized >= withThree + 3, 120_000, 'finality with three validators');
  measured.lagWith3 = await finalityLag(alice);

  // Two down: 2 of 4 cannot finalize; alice and bob still author in their slots.
  await disconnect('charlie');
  testnet('stop', 'charlie');
  // A round already under way may still conclude: let it settle first.
  await new Promise((r) => setTimeout(r, 12_000));
  const stalled = await heads(alice);
  await new Promise((r) => setTimeout(r, 30_000));
  const later = await heads(alice);
  assert.equal(later.finalized, stalled.finalized, 'finality stalls with two validators down');
  assert.ok(later.best > stalled.best, 'blocks are still authored');

  // Both return: finality resumes and they catch up to the same finalized chain.
  const restarted = Date.now();
  testnet('start', 'charlie', 'dave');
  await connect('charlie');
  await connect('dave');
  await waitFor(alice, (h) => h.finalized > later.best, 240_000, 'finality to resume past the stalled blocks');
  measured.resumeMs = Date.now() - restarted;
  const target = (await heads(alice)).finalized;
  for (const name of ['charlie', 'dave']) {
    await waitFor(apis[name], (h) => h.finalized >= target, 240_000, `${name} to catch up`);
  }
  measured.catchUpMs = Date.now() - restarted;
  const hashes = await Promise.all(NAMES.map(async (name) => (await apis[name].rpc.chain.getBlockHash(target)).toHex()));
  assert.equal(new Set(hashes).size, 1, `all nodes agree on finalized block #${target}`);
  passed += 1;
});

test('a transaction sent to one node is included and seen by all', { timeout: 300_000 }, async () => {
  const keyring = await devKeyring();
  const sender = keyring.addFromUri('//Eve');
  const receiver = keyring.addFromUri('//TributaryTestnetReceiver');
  const amount = 7n * UNIT;
  const { blockHash, dispatchError } = await submit(
    apis.bob,
    apis.bob.tx.balances.transferKeepAlive(receiver.address, amount),
    sender,
    { timeoutMs: 240_000 },
  );
  assert.equal(dispatchError, null);
  const number = (await apis.bob.rpc.chain.getHeader(blockHash)).number.toNumber();
  for (const name of NAMES) {
    await waitFor(apis[name], (h) => h.finalized >= number, 120_000, `${name} to finalize the transfer`);
    assert.equal((await apis[name].rpc.chain.getBlockHash(number)).toHex(), blockHash.toHex());
    assert.equal(await freeBalance(apis[name], receiver.address, blockHash), amount, `${name} sees the transfer`);
  }
  passed += 1;
});

test('a validator killed with SIGKILL mid-production restarts on its data and agrees on finality', { timeout: 600_000 }, async () => {
  const alice = apis.alice;
  // Kill bob just after a block was authored, with the next slots to come.
  const { best } = await heads(alice);
  await waitFor(alice, (h) => h.best > best, 60_000, 'a new block');
  const beforeKill = await heads(apis.bob);
  await kill('bob');
  const killed = await heads(alice);
  // Three of four finalize without it.
  await waitFor(alice, (h) => h.finalized >= killed.finalized + 2, 120_000, 'finality without bob');

  // Restarted on the same base path, it resumes from the chain its database kept through the
  // kill, every block it had finalized included: the best block substrate logs at startup.
  const restarted = Date.now();
  const restartedAt = (await heads(alice)).best;
  testnet('start', 'bob');
  await connect('bob');
  const log = readFileSync(path.join(dir, 'bob', 'node.log'), 'utf8');
  const kept = Number([...log.matchAll(/Highest known block at #(\d+)/g)].at(-1)?.[1]);
  measured.sigkill = { finalizedBeforeKill: beforeKill.finalized, bestAtRestart: kept };
  assert.ok(kept >= beforeKill.finalized, `bob's database kept its finalized blocks through SIGKILL (best #${kept} at restart, #${beforeKill.finalized} finalized before)`);

  // It catches up, and every node finalizes past the restart.
  for (const name of NAMES) {
    await waitFor(apis[name], (h) => h.finalized > restartedAt, 240_000, `${name} to finalize past #${restartedAt}`);
  }
  measured.sigkillCatchUpMs = Date.now() - restarted;
  const finalized = await Promise.all(NAMES.map(async (name) => (await heads(apis[name])).finalized));
  const common = Math.min(...finalized);
  const hashes = await Promise.all(NAMES.map(async (name) => (await apis[name].rpc.chain.getBlockHash(common)).toHex()));
  assert.equal(new Set(hashes).size, 1, `all nodes agree on finalized block #${common}: ${hashes.join(', ')}`);
  passed += 1;
});
