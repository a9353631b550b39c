// Deploys contracts/AiApp.sol through Ethereum JSON-RPC (`scripts/eth-rpc.sh`) with ethers and
// calls it as an Ethereum wallet would, then shows on the Tributary side (polkadot.js) that the
// app paid for the model call: the `InvocationMetering.Invoked` event with the contract as payer.
//
//   node e2e/eth-rpc-deploy.mjs [http://127.0.0.1:8545] [ws://127.0.0.1:9944]
//
// On a dev chain: Alice funds a fresh Ethereum key and sets up a model with a provider's offer.
import { ContractFactory, JsonRpcProvider, Wallet } from 'ethers';
import { connectApi } from './lib/node.mjs';
import { UNIT, MILLI, PERCENT, devAccounts, expectOk, eventOf, trib, versionSpec } from './lib/chain.mjs';
import { accountOfH160, compile, h160Of } from './lib/solidity.mjs';

const ethUrl = process.argv[2] ?? 'http://127.0.0.1:8545';
const nodeUrl = process.argv[3] ?? 'ws://127.0.0.1:9944';

const { alice, dave, eve } = await devAccounts(['Alice', 'Dave', 'Eve']);
const api = await connectApi(Number(new URL(nodeUrl).port));
const provider = new JsonRpcProvider(ethUrl);
const { chainId } = await provider.getNetwork();
console.log(`Ethereum JSON-RPC at ${ethUrl}: chain id ${chainId}, block ${await provider.getBlockNumber()}`);

// A fresh Ethereum key; its Tributary account is its address padded with twelve 0xEE.
const wallet = Wallet.createRandom().connect(provider);
await expectOk(api, api.tx.balances.transferKeepAlive(accountOfH160(wallet.address), 100n * UNIT), alice);
console.log(`funded ${wallet.address}: ${await provider.getBalance(wallet.address)} wei`);

// Dave's model, served by Eve.
let r = await expectOk(
  api,
  api.tx.modelRegistry.register('eth-demo', 'Text', versionSpec({ ownerShare: 100 * PERCENT, price: UNIT })),
  dave,
);
const model = eventOf(r.events, 'modelRegistry', 'ModelRegistered')[0].toNumber();
await expectOk(api, api.tx.invocationMetering.registerOffer(model, 500n * MILLI, 'https://eve.example/v1'), eve);

const { abi, bytecode } = compile('AiApp.sol', 'AiApp');
const app = await new ContractFactory(abi, bytecode, wallet).deploy(model, h160Of(eve.address), 10);
await app.waitForDeployment();
const address = await app.getAddress();
console.log(`AiApp deployed at ${address} (Tributary account ${accountOfH160(address)})`);

const price = await app.priceOf(2);
console.log(`priceOf(2) = ${price} wei = ${trib(price / 10n ** 6n)}`);
const receipt = await (await app.serve(2, { value: price })).wait();
console.log(`serve(2): transaction ${receipt.hash} in block ${receipt.blockNumber}, status ${receipt.status}`);

const block = await api.rpc.chain.getBlockHash(receipt.blockNumber);
const events = await (await api.at(block)).query.system.events();
const invoked = events.find(({ event }) => event.section === 'invocationMetering' && event.method === 'Invoked');
if (!invoked) throw new Error('no InvocationMetering.Invoked event in the block');
const { payer, total, royalty } = invoked.event.data;
console.log(`Invoked: payer ${payer} (the contract: ${payer.toString() === accountOfH160(address)}), total ${trib(total.toBigInt())}, royalty ${trib(royalty.toBigInt())}`);
await api.disconnect();
