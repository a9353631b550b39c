// Starts the gateway and its deterministic stub model server for the end-to-end tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, createWriteStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './node.mjs';

const TARGET = path.join(process.env.CARGO_TARGET_DIR || '/var/tmp/tributary-target', 'debug');
/** The gateway binary: `GATEWAY_BIN`, or the shared cargo target directory's. */
export const GATEWAY_BIN = process.env.GATEWAY_BIN || path.join(TARGET, 'tributary-gateway');
/** The stub model server binary. */
export const STUB_BIN = process.env.STUB_BIN || path.join(TARGET, 'tributary-gateway-stub');

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Polls `url` until it answers 200, or throws after `timeoutMs` (or when the process died). */
async function waitFor(url, { timeoutMs = 120_000, alive, logFile }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`${url}: the process exited; log: ${logFile}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms; log: ${logFile}`);
}

function launch(bin, args, logFile) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  running.add(child);
  let exited = false;
  const done = new Promise((resolve) => child.once('exit', () => {
    exited = true;
    running.delete(child);
    resolve();
  }));
  return {
    child,
    alive: () => !exited,
    /** Stops the process with `signal` and waits for it to exit. */
    async kill(signal = 'SIGTERM') {
      if (!exited) child.kill(signal);
      await done;
    },
  };
}

/** Starts the stub model server on a free port; resolves to `{ url, stats(), stop() }`. */
export async function startStub() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-stub-'));
  const logFile = path.join(dir, 'stub.log');
  const process = launch(STUB_BIN, ['--listen', `127.0.0.1:${port}`], logFile);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/stats`, { alive: process.alive, logFile });
  return {
    url: `${url}/v1`,
    /** How many calls the stub has served. */
    async calls() {
      return (await (await fetch(`${url}/stats`)).json()).calls;
    },
    stop: () => process.kill(),
  };
}

/**
 * Starts a gateway for `provider` (a secret URI) in front of `models` (`{ name, modelId,
 * upstream, unit? }`) against the node on `rpcPort`, with `settlement` thresholds. Its journal
 * lives in `journalDir` (a new directory unless given), so a restarted gateway finds it; `port`
 * is a free one unless given (a restart keeps its address).
 */
export async function startGateway({ rpcPort, provider, models, settlement, journalDir, port }) {
  port = port || await freePort();
  const dir = journalDir || mkdtempSync(path.join(tmpdir(), 'tributary-gateway-'));
  const logFile = path.join(dir, 'gateway.log');
  const configFile = path.join(dir, 'gateway.toml');
  const toml = [
    `node_url = "ws://127.0.0.1:${rpcPort}"`,
    `listen = "127.0.0.1:${port}"`,
    `provider_suri = "${provider}"`,
    `journal = "${path.join(dir, 'journal.redb')}"`,
    '',
    '[settlement]',
    `amount = ${settlement.amount}`,
    `max_age_secs = ${settlement.maxAgeSecs}`,
    ...models.flatMap((model) => [
      '',
      '[[models]]',
      `name = "${model.name}"`,
      `model_id = ${model.modelId}`,
      `upstream = "${model.upstream}"`,
      `unit = "${model.unit || 'tokens'}"`,
    ]),
  ].join('\n');
  writeFileSync(configFile, `${toml}\n`);
  const process = launch(GATEWAY_BIN, ['--config', configFile], logFile);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, { alive: process.alive, logFile });
  return {
    url,
    journalDir: dir,
    logFile,
    log: () => readFileSync(logFile, 'utf8'),
    /** Stops the gateway: SIGTERM (a clean stop) or SIGKILL (a crash). */
    stop: (signal = 'SIGTERM') => process.kill(signal),
  };
}
