// Starts and stops throwaway Tributary dev nodes for the end-to-end tests.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';

/** The node binary the tests run: `NODE_BIN`, or the shared cargo target directory's. */
export const NODE_BIN = process.env.NODE_BIN || path.join(
  process.env.CARGO_TARGET_DIR || '/var/tmp/tributary-target',
  'debug',
  'tributary-node',
);

/** Every node started and not yet stopped, so an aborted test run still cleans up. */
const running = new Set();
for (const signal of ['exit', 'SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    if (signal !== 'exit') process.exit(1);
  });
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether the node's RPC on 127.0.0.1:`port` answers `system_health`. */
async function rpcAnswers(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * One JSON-RPC request over HTTP to the node on 127.0.0.1:`port`, its params given as JSON text
 * (or `undefined` to leave them out) so that a test can send what `JSON.stringify` cannot write,
 * such as integers beyond 2^53. Resolves to the response object, `{ result }` or `{ error }`;
 * rejects with a `TimeoutError` when no answer came within `timeoutMs`.
 * @param {number} port
 * @param {string} method
 * @param {string | undefined} params
 * @param {{ timeoutMs?: number }} options
 */
export async function httpRpc(port, method, params, { timeoutMs = 10_000 } = {}) {
  const body = `{"jsonrpc":"2.0","id":1,"method":${JSON.stringify(method)}${params === undefined ? '' : `,"params":${params}`}}`;
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return response.json();
}

/**
 * The readiness probe: polls the RPC on 127.0.0.1:`port` every 250 ms until it answers, and
 * returns the milliseconds it waited. Between polls `alive()` says whether the node is still
 * running (a node that exited throws at once); after `timeoutMs` it throws.
 * @param {number} port
 * @param {{ timeoutMs: number, alive?: () => boolean, name?: string }} options
 */
export async function waitForRpc(port, { timeoutMs, alive = () => true, name = 'the node' }) {
  const started = Date.now();
  while (!(await rpcAnswers(port))) {
    if (!alive()) throw new Error(`${name} exited before its RPC answered`);
    if (Date.now() - started > timeoutMs) throw new Error(`${name}'s RPC did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - started;
}

/** A polkadot.js API connected to the node's RPC on 127.0.0.1:`port`. */
export async function connectApi(port) {
  const provider = new WsProvider(`ws://127.0.0.1:${port}`, false);
  await provider.connect();
  return ApiPromise.create({ provider, noInitWarn: true });
}

/**
 * Starts `tributary-node --dev` on free ports, with a throwaway database (`--tmp`) unless a
 * `basePath` is given, and waits until its RPC answers.
 * @param {{ args?: string[], basePath?: string, readyTimeoutMs?: number }} options
 */
export async function startDevNode({ args = [], basePath, readyTimeoutMs = 180_000 } = {}) {
  const [rpcPort, p2pPort, prometheusPort] = [await freePort(), await freePort(), await freePort()];
  const logDir = mkdtempSync(path.join(tmpdir(), 'tributary-e2e-'));
  const logFile = path.join(logDir, 'node.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    NODE_BIN,
    [
      '--dev',
      ...(basePath ? ['--base-path', basePath] : ['--tmp']),
      '--rpc-port', String(rpcPort),
      '--port', String(p2pPort),
      '--prometheus-port', String(prometheusPort),
      '--no-mdns',
      '--no-telemetry',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    running.delete(child);
  });

  let startupMs;
  try {
    startupMs = await waitForRpc(rpcPort, { timeoutMs: readyTimeoutMs, alive: () => !exited });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}${exited ? ` (${JSON.stringify(exited)})` : ''}; log: ${logFile}`);
  }
  const api = await connectApi(rpcPort);

  return {
    api,
    rpcPort,
    logFile,
    startupMs,
    /** Whether the node's process is still running. */
    alive: () => !exited,
    /** Disconnects and stops the node: SIGINT, then SIGKILL after 10 s. */
    async stop() {
      await api.disconnect().catch(() => {});
      if (exited) return;
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
