// A dev chain kept on disk survives a restart: instant sealing gives every block a slot of its
// own, so after a burst of transactions the chain's clock runs ahead of the wall clock; the
// restarted node must continue from the chain's last slot, not from the wall clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevNode } from '../lib/node.mjs';
import { devAccounts, submit, freeBalance } from '../lib/chain.mjs';

test('an instant-seal dev chain restarted on its base path keeps producing blocks', async () => {
  const { alice, bob } = await devAccounts(['Alice', 'Bob']);
  const basePath = mkdtempSync(path.join(tmpdir(), 'tributary-restart-'));
  const args = ['--sealing', 'instant'];
  try {
    let node = await startDevNode({ basePath, args });
    const bobBefore = await freeBalance(node.api, bob.address);
    for (let i = 0; i < 20; i++) {
      const { dispatchError } = await submit(node.api, node.api.tx.balances.transferKeepAlive(bob.address, 1_000n), alice, { until: 'inBlock' });
      assert.equal(dispatchError, null);
    }
    const height = (await node.api.rpc.chain.getHeader()).number.toNumber();
    assert.ok(height >= 20, `20 transfers sealed 20 blocks (best #${height})`);
    // The chain's clock ran ahead of the wall clock: one slot (6 s) per block.
    const chainNow = (await node.api.query.timestamp.now()).toBigInt();
    assert.ok(chainNow > BigInt(Date.now()) + 60_000n, 'the chain is more than a minute ahead');
    await node.stop();

    node = await startDevNode({ basePath, args });
    try {
      assert.equal((await node.api.rpc.chain.getHeader()).number.toNumber(), height, 'the chain was kept');
      const { dispatchError } = await submit(node.api, node.api.tx.balances.transferKeepAlive(bob.address, 1_000n), alice, { until: 'inBlock', timeoutMs: 60_000 });
      assert.equal(dispatchError, null);
      assert.equal((await node.api.rpc.chain.getHeader()).number.toNumber(), height + 1);
      assert.equal(await freeBalance(node.api, bob.address), bobBefore + 21_000n);
    } finally {
      await node.stop();
    }
  } finally {
    rmSync(basePath, { recursive: true, force: true });
  }
});
