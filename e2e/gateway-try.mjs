// Tries the gateway by hand (scripts/gateway.sh runs it):
//   node gateway-try.mjs setup <node ws url> <state file>
//       Bob registers the model `stub-chat` (1 milli-TRIB a token), Charlie offers to serve it
//       (0.2 milli-TRIB a token), Alice opens a 100 TRIB channel with Charlie; the channel is
//       written to the state file and its id, nonce and the genesis hash printed.
//   node gateway-try.mjs call <gateway url> <state file> <prompt> [--stream]
//       One chat completion through the official openai client, paid with Alice's vouchers; the
//       units owed are kept in the state file between calls.
import { readFileSync, writeFileSync } from 'node:fs';
import OpenAI from 'openai';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { TributaryClient, openChannel } from '@tributary/gateway-client';
import { devAccounts, expectOk, eventOf, versionSpec, MILLI, PERBILL, UNIT } from './lib/chain.mjs';

const [command, url, stateFile, ...rest] = process.argv.slice(2);

if (command === 'setup') {
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  const { alice, bob, charlie } = await devAccounts();
  const spec = versionSpec({ ownerShare: PERBILL, price: MILLI, derivatives: 'Forbidden', artifactHash: '0x' + '5a'.repeat(32) });
  const r = await expectOk(api, api.tx.modelRegistry.register('stub-chat', 'Text', spec), bob);
  const model = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
  await expectOk(api, api.tx.invocationMetering.registerOffer(model, 200_000_000n, 'http://127.0.0.1:8080/v1'), charlie);
  const channel = await openChannel(api, alice, { provider: charlie.address, model, deposit: 100n * UNIT, expiresIn: 100_000 });
  writeFileSync(stateFile, JSON.stringify({ model, ...channel, owed: '0' }, null, 2));
  console.log(JSON.stringify({ model, channel: channel.channel, nonce: channel.nonce, genesisHash: channel.genesisHash, provider: charlie.address }));
  await api.disconnect();
} else if (command === 'call') {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const { alice } = await devAccounts(['Alice']);
  const client = new TributaryClient({ gateway: url, ...state, owed: BigInt(state.owed), signer: alice });
  // Calls made with curl in between advanced the count: take it from the gateway (a caller that
  // only uses this client would keep its own).
  // Trusted, as the curl calls were made on this very channel: a plain resync refuses any raise.
  await client.resync({ trust: true });
  const ai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'tributary', fetch: client.fetch });
  const request = { model: 'stub-chat', messages: [{ role: 'user', content: rest[0] || 'Hello' }], max_tokens: 8 };
  if (rest.includes('--stream')) {
    for await (const chunk of await ai.chat.completions.create({ ...request, stream: true })) {
      process.stdout.write(chunk.choices[0]?.delta?.content ?? '');
    }
    process.stdout.write('\n');
  } else {
    const reply = await ai.chat.completions.create(request);
    console.log(reply.choices[0].message.content, `(${reply.usage.total_tokens} tokens)`);
  }
  writeFileSync(stateFile, JSON.stringify({ ...state, owed: String(client.owed) }, null, 2));
  console.log(`units owed on channel ${state.channel}: ${client.owed}`);
} else {
  console.error('usage: gateway-try.mjs setup <ws url> <state file> | call <gateway url> <state file> <prompt> [--stream]');
  process.exit(2);
}
