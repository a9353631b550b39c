// The docker compose testnet and scripts/testnet.sh describe the same network: four validators,
// fixed node keys whose peer ids match every bootnode, alice's RPC on the host. Checked without
// a Docker engine (none runs on the CI machine): the YAML is parsed and cross-checked, and peer
// ids are derived from the node keys by the node binary itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { NODE_BIN } from '../lib/node.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAMES = ['alice', 'bob', 'charlie', 'dave'];

function peerIdOf(nodeKey) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-key-'));
  try {
    const file = path.join(dir, 'key');
    writeFileSync(file, nodeKey);
    return execFileSync(NODE_BIN, ['key', 'inspect-node-key', '--file', file], { encoding: 'utf8' }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function flag(command, name) {
  const prefix = `--${name}=`;
  const found = command.find((arg) => arg.startsWith(prefix));
  return found?.slice(prefix.length);
}

test('docker-compose.yml runs four validators that find each other', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker', 'docker-compose.yml'), 'utf8'), { merge: true });
  assert.deepEqual(Object.keys(compose.services).sort(), [...NAMES].sort());

  const peerIds = {};
  for (const name of NAMES) {
    const command = compose.services[name].command;
    assert.equal(flag(command, 'chain'), 'local');
    assert.ok(command.includes(`--${name}`), `${name} runs with its dev keys`);
    assert.ok(command.includes('--validator'));
    assert.equal(flag(command, 'base-path'), '/data');
    const key = flag(command, 'node-key');
    assert.match(key, /^[0-9a-f]{64}$/);
    peerIds[name] = peerIdOf(key);
    assert.equal(compose.services[name].image, 'tributary-node:local');
    assert.deepEqual(compose.services[name].volumes, [`${name}-data:/data`]);
    assert.ok(`${name}-data` in compose.volumes, `${name} has a named volume`);
  }
  assert.equal(new Set(Object.values(peerIds)).size, 4, 'distinct peer ids');

  for (const name of NAMES) {
    const bootnodes = compose.services[name].command.filter((arg) => arg.startsWith('--bootnodes='));
    assert.ok(bootnodes.length > 0, `${name} has a bootnode`);
    for (const bootnode of bootnodes) {
      const [, host, port, peerId] = bootnode.match(/^--bootnodes=\/dns\/(\w+)\/tcp\/(\d+)\/p2p\/(\w+)$/);
      assert.notEqual(host, name, 'no node boots from itself');
      assert.equal(port, '30333');
      assert.equal(peerId, peerIds[host], `${name}'s bootnode ${host} has ${host}'s peer id`);
    }
  }
  assert.ok(compose.services.alice.build, 'alice builds the image');
  assert.ok(compose.services.alice.ports.includes('127.0.0.1:9944:9944'), "alice's RPC is on the host");
});

test('the Dockerfile builds in stages and runs unprivileged with a healthcheck', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'docker', 'Dockerfile'), 'utf8');
  assert.equal((dockerfile.match(/^FROM /gm) || []).length, 2, 'a builder and a runtime stage');
  assert.match(dockerfile, /COPY --from=builder/);
  assert.match(dockerfile, /^USER tributary$/m);
  assert.match(dockerfile, /^EXPOSE 30333 9944 9615$/m);
  assert.match(dockerfile, /^VOLUME \["\/data"\]$/m);
  assert.match(dockerfile, /HEALTHCHECK[\s\S]*system_health/);
  assert.match(dockerfile, /protobuf-compiler/);
  assert.match(dockerfile, /wasm32v1-none/);
});

test('scripts/testnet.sh uses the same node keys and peer ids', () => {
  const script = readFileSync(path.join(ROOT, 'scripts', 'testnet.sh'), 'utf8');
  const compose = parse(readFileSync(path.join(ROOT, 'docker', 'docker-compose.yml'), 'utf8'), { merge: true });
  for (const name of NAMES) {
    const key = script.match(new RegExp(`\\[${name}\\]=([0-9a-f]{64})`))[1];
    const peerId = script.match(new RegExp(`\\[${name}\\]=(12D3Koo\\w+)`))[1];
    assert.equal(key, flag(compose.services[name].command, 'node-key'));
    assert.equal(peerId, peerIdOf(key));
  }
});
