// The whole lifecycle against one fresh dev node; see lib/lifecycle.mjs for the story and its
// hand-computed expectations (checked through storage, runtime APIs and the tributary_* RPC).
import { test, before, after } from 'node:test';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from '../lib/node.mjs';
import { runLifecycle } from '../lib/lifecycle.mjs';

let node;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
});

after(async () => {
  await node?.stop();
});

test('dataset → annotation → reviews → model → fine-tune → invocations and a channel → distribution → claims', async () => {
  await runLifecycle(node.api);
});
