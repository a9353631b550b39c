// The Tributary story on a fresh dev node, with readable output: `scripts/demo.sh`.
import { startDevNode } from './lib/node.mjs';
import { runLifecycle } from './lib/lifecycle.mjs';
import { runDisputes } from './lib/disputes.mjs';

console.log('starting a fresh development node (instant sealing)…');
const node = await startDevNode({ args: ['--sealing', 'instant'] });
let failed = false;
try {
  let step = 0;
  const log = (line) => console.log(`${String(++step).padStart(2)}. ${line}`);
  await runLifecycle(node.api, log);
  console.log('\nA model that hides its training data:');
  await runDisputes(node.api, log);
  console.log('\nEvery amount above was checked against a hand computation, through storage, the runtime APIs and the tributary_* RPC.');
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await node.stop();
}
process.exit(failed ? 1 : 0);
