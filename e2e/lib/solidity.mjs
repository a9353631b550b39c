// Solidity on Tributary: compiling `contracts/` with the npm `solc`, the address mapping between
// SS58 accounts and H160 addresses, and deploying and calling contracts with `Revive` extrinsics
// from polkadot.js (what `scripts/eth-rpc-deploy.mjs` does through Ethereum JSON-RPC instead).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import { Interface } from 'ethers';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { decodeAddress, encodeAddress, keccakAsU8a } from '@polkadot/util-crypto';
import { expectOk, eventOf, submit } from './chain.mjs';

/** The repository's `contracts/` directory. */
export const CONTRACTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'contracts');

/** The Tributary precompile's address (`ITributary.sol`'s `TRIBUTARY`). */
export const TRIBUTARY_PRECOMPILE = '0x0000000000000000000000000000000074720000';

/** Wei per planck: TRIB has 12 decimals, Ethereum's units 18. */
export const WEI_PER_PLANCK = 10n ** 6n;

/**
 * Compiles `file` (and what it imports) from `contracts/` with solc's default settings plus the
 * optimizer; resolves to `{ abi, bytecode, iface }` of `contract`.
 */
export function compile(file, contract) {
  const read = (name) => readFileSync(path.join(CONTRACTS_DIR, name), 'utf8');
  const input = {
    language: 'Solidity',
    sources: { [file]: { content: read(file) } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), { import: (name) => ({ contents: read(path.basename(name)) }) }),
  );
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const compiled = output.contracts[file][contract];
  return {
    abi: compiled.abi,
    bytecode: `0x${compiled.evm.bytecode.object}`,
    iface: new Interface(compiled.abi),
  };
}

/** The interface of the precompile, from `ITributary.sol`. */
export function tributaryInterface() {
  return compile('ITributary.sol', 'ITributary').iface;
}

// ------------------------------------------------------------------ addresses

/**
 * The H160 address of an SS58 account: the last 20 bytes of the keccak-256 of its 32-byte id; an
 * account derived from an Ethereum address (its 20 bytes, then twelve 0xEE) maps back to those.
 */
export function h160Of(ss58) {
  const id = decodeAddress(ss58);
  if (id.slice(20).every((byte) => byte === 0xee)) return u8aToHex(id.slice(0, 20));
  return u8aToHex(keccakAsU8a(id).slice(12));
}

/**
 * The SS58 account of an H160 address that no account has mapped (`Revive.mapAccount`): the
 * address's 20 bytes, then twelve 0xEE. Contracts and Ethereum-keyed wallets live there.
 */
export function accountOfH160(h160, ss58Format = 42) {
  return encodeAddress(u8aConcat(hexToU8a(h160), new Uint8Array(12).fill(0xee)), ss58Format);
}

// ------------------------------------------------------------------ extrinsics

/**
 * Generous limits for a contract call from polkadot.js: 200 ms of compute, 100 TRIB of storage
 * deposits (code costs 1 milli-TRIB a byte). Unused weight is refunded; only the storage used is
 * held.
 */
export const CALL_LIMITS = { weightLimit: { refTime: 200_000_000_000n, proofSize: 2_000_000n }, storageDepositLimit: 100n * 10n ** 12n };

/** Maps `signer`'s account to its H160 (once; a deposit is held until `unmapAccount`). */
export async function mapAccount(api, signer) {
  const mapped = await api.query.revive.originalAccount(h160Of(signer.address));
  if (mapped.isSome) return null;
  return expectOk(api, api.tx.revive.mapAccount(), signer);
}

/**
 * Deploys EVM `bytecode` with the constructor arguments `args` (ABI-encoded after the code:
 * `Revive.instantiateWithCode` takes no separate constructor data for EVM code); resolves to the
 * contract's H160 address and the extrinsic's events and fee.
 */
export async function deploy(api, signer, { bytecode, iface }, args = []) {
  const code = u8aToHex(u8aConcat(hexToU8a(bytecode), hexToU8a(iface.encodeDeploy(args))));
  const { weightLimit, storageDepositLimit } = CALL_LIMITS;
  const { events, fee } = await expectOk(
    api,
    api.tx.revive.instantiateWithCode(0, weightLimit, storageDepositLimit, code, '0x', null),
    signer,
  );
  const [, contract] = eventOf(events, 'revive', 'Instantiated');
  return { address: contract.toHex(), events, fee };
}

/** `Revive.call` of `method(args)` on `address`, sending `value` plancks; does not assert success. */
export function callTx(api, address, iface, method, args = [], value = 0n) {
  const { weightLimit, storageDepositLimit } = CALL_LIMITS;
  return api.tx.revive.call(address, value, weightLimit, storageDepositLimit, iface.encodeFunctionData(method, args));
}

/**
 * Reads `method(args)` of `address` as `origin` without a transaction (the `ReviveApi.call`
 * runtime API, as `eth_call` does); resolves to the decoded result, or throws with the revert.
 */
export async function view(api, origin, address, iface, method, args = []) {
  const result = await api.call.reviveApi.call(
    origin,
    address,
    0,
    null,
    null,
    iface.encodeFunctionData(method, args),
  );
  if (result.result.isErr) throw new Error(`${method} failed: ${result.result.asErr.toString()}`);
  const { flags, data } = result.result.asOk;
  // ReturnFlags: bit 0 is REVERT.
  if (flags.bits.toNumber() & 1) {
    throw new Error(`${method} reverted: ${iface.parseError(data.toHex())?.args?.[0] ?? data.toHex()}`);
  }
  return iface.decodeFunctionResult(method, data.toHex());
}

// ------------------------------------------------------------------ Ethereum transactions

/**
 * Signs `request` (`to`, `data`, `value` in wei) with the ethers `wallet` as an Ethereum wallet
 * does (EIP-1559, this chain's id, the account's nonce and the chain's gas price from
 * `ReviveApi`, gas worth at most `maxCost` plancks) and submits it as the `eth-rpc` proxy does:
 * wrapped in the unsigned `Revive.ethTransact`. Resolves once finalized with the events and the
 * dispatch error, if any (a reverted Ethereum transaction still succeeds as an extrinsic: look
 * for `Revive.EthExtrinsicRevert`).
 */
export async function sendEthTransaction(api, wallet, { to = null, data = '0x', value = 0n, maxCost = 50n * 10n ** 12n }) {
  const [nonce, gasPrice, chainId] = await Promise.all([
    api.call.reviveApi.nonce(wallet.address),
    api.call.reviveApi.gasPrice(),
    api.consts.revive.chainId,
  ]);
  const raw = await wallet.signTransaction({
    type: 2,
    chainId: chainId.toBigInt(),
    nonce: nonce.toNumber(),
    maxFeePerGas: gasPrice.toBigInt(),
    maxPriorityFeePerGas: 0n,
    // Gas pays for the compute and the storage deposits alike: enough for `maxCost` plancks;
    // what is not used is refunded.
    gasLimit: (maxCost * WEI_PER_PLANCK) / gasPrice.toBigInt(),
    to,
    value,
    data,
  });
  return submit(api, api.tx.revive.ethTransact(raw), null);
}
