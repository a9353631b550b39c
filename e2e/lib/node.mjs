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

async function rpcReady(rpcPort) {
  try {
    const response = await fetch(`http://127.0.0.1:${rpcPort}`, {
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

  const started = Date.now();
  while (!(await rpcReady(rpcPort))) {
    if (exited) {
      throw new Error(`the node exited before its RPC answered (${JSON.stringify(exited)}); log: ${logFile}`);
    }
    if (Date.now() - started > readyTimeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the node's RPC did not answer within ${readyTimeoutMs} ms; log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  const provider = new WsProvider(`ws://127.0.0.1:${rpcPort}`, false);
  await provider.connect();
  const api = await ApiPromise.create({ provider, noInitWarn: true });

  return {
    api,
    rpcPort,
    logFile,
    startupMs: Date.now() - started,
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
