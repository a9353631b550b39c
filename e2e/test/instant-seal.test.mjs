// `--sealing instant`: a block is authored and finalized for each transaction, which is what the
// longer end-to-end suites use to stay fast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from '../lib/node.mjs';
import { submit, feePaid, freeBalance } from '../lib/tx.mjs';

let node;
let keyring;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode({ args: ['--sealing', 'instant'] });
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
});

after(async () => {
  await node?.stop();
});

test('each transaction is sealed and finalized at once, in consecutive blocks', async () => {
  const { api } = node;
  const charlie = keyring.addFromUri('//Charlie');
  const fresh = keyring.addFromUri('//TributaryInstantSeal');
  const amount = 5n * 10n ** 12n;

  const startNumber = (await api.rpc.chain.getHeader()).number.toNumber();
  const charlieBefore = await freeBalance(api, charlie.address);
  assert.equal(await freeBalance(api, fresh.address), 0n);

  let fees = 0n;
  let lastNumber = startNumber;
  for (let i = 0; i < 3; i += 1) {
    const { blockHash, events, dispatchError } = await submit(
      api,
      api.tx.balances.transferKeepAlive(fresh.address, amount),
      charlie,
    );
    assert.equal(dispatchError, null);
    fees += feePaid(events);
    const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
    assert.equal(number, lastNumber + 1, 'one block per transaction');
    lastNumber = number;
    const finalized = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
    assert.equal(finalized.number.toNumber(), number, 'finalized at once');
  }

  assert.equal(await freeBalance(api, fresh.address), 3n * amount);
  assert.equal(await freeBalance(api, charlie.address), charlieBefore - 3n * amount - fees);
});
