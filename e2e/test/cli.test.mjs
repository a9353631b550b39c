// The node's subcommands: build-spec, key, export-blocks, purge-chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NODE_BIN } from '../lib/node.mjs';

const run = (...args) => execFileSync(NODE_BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });

test('build-spec emits the local testnet with four authorities and the chain properties', () => {
  const spec = JSON.parse(run('build-spec', '--chain', 'local'));
  assert.equal(spec.name, 'Tributary Local Testnet');
  assert.equal(spec.chainType, 'Local');
  assert.deepEqual(spec.properties, { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'TRIB' });
  const patch = spec.genesis.runtimeGenesis.patch;
  assert.equal(patch.aura.authorities.length, 4);
  assert.equal(patch.grandpa.authorities.length, 4);
  const raw = JSON.parse(run('build-spec', '--chain', 'dev', '--raw'));
  assert.ok(Object.keys(raw.genesis.raw.top).length > 10, 'the raw spec holds the genesis storage');
});

test('key inspect derives the well-known dev account', () => {
  const out = run('key', 'inspect', '//Alice');
  assert.match(out, /SS58 Address:\s+5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY/);
});

test('export-blocks writes the chain and purge-chain removes it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-cli-'));
  try {
    const out = path.join(dir, 'blocks.bin');
    run('export-blocks', '--chain', 'dev', '--base-path', dir, '--from', '0', '--to', '0', '--binary', out);
    assert.ok(statSync(out).size > 0, 'the genesis block was exported');
    const db = path.join(dir, 'chains', 'tributary_dev', 'paritydb');
    assert.ok(existsSync(db), 'the database is ParityDB');
    run('purge-chain', '--chain', 'dev', '--base-path', dir, '-y');
    assert.ok(!existsSync(path.join(db, 'full')), 'purge-chain removed the database');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
