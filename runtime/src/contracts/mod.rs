//! Contracts: `pallet-revive` runs EVM bytecode compiled by plain `solc` (and PolkaVM
//! programs), takes Ethereum transactions through `Revive::eth_transact`, and gives contracts
//! the Tributary precompile.
//!
//! Addresses: an account's H160 is the last 20 bytes of the keccak-256 of its 32-byte
//! `AccountId` (`Revive::map_account` records the way back, against a deposit); an H160 without
//! such a record belongs to the account `H160 ++ [0xEE; 12]`, which is where an Ethereum wallet's
//! key and every contract live.

use crate::{
	configs::TreasuryAccount, deposit, AccountId, Balance, Balances, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Timestamp,
};
use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstBool, ConstU32, ConstU64, OnRuntimeUpgrade},
	weights::Weight,
};
use frame_system::EnsureSigned;

pub mod precompile;
#[cfg(test)]
mod tests;
use sp_runtime::{FixedU128, Perbill};

/// The chain id Ethereum transactions and wallets name (EIP-155): unregistered, for the dev
/// chain and testnets; a public network takes its own.
pub const EVM_CHAIN_ID: u64 = 87_420;

parameter_types! {
	/// Per storage item a contract writes (and per code blob): as for every other record.
	pub const ContractDepositPerItem: Balance = deposit(1, 0);
	/// Per byte a contract stores (and per byte of code).
	pub const ContractDepositPerByte: Balance = deposit(0, 1);
	/// Per child-trie item: a contract's own storage costs a hundredth of a record.
	pub const ContractDepositPerChildTrieItem: Balance = deposit(1, 0) / 100;
	/// A contract instantiated from someone else's code locks this share of that code's deposit,
	/// so the uploader cannot remove code that contracts still run.
	pub const CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(30);
	/// An Ethereum transaction may use up to nine tenths of an extrinsic's weight.
	pub MaxEthExtrinsicWeight: FixedU128 = FixedU128::from_rational(9, 10);
}

impl pallet_revive::Config for Runtime {
	type Time = Timestamp;
	type Balance = Balance;
	type Currency = Balances;
	/// Rounding differences of the gas accounting go to the treasury: nothing is destroyed.
	type OnBurn = ResolveTo<TreasuryAccount, Balances>;
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// The release's own weights (measured on Parity's reference machine): the pallet's benchmarks
	/// need its RISC-V fixtures, which this build does not produce.
	type WeightInfo = pallet_revive::weights::SubstrateWeight<Runtime>;
	/// Contracts pay for and read model invocations (`contracts/ITributary.sol`).
	type Precompiles = (precompile::TributaryPrecompile,);
	/// `block.coinbase` is the zero address: aura's authorities are not accounts.
	type FindAuthor = ();
	type DepositPerByte = ContractDepositPerByte;
	type DepositPerItem = ContractDepositPerItem;
	type DepositPerChildTrieItem = ContractDepositPerChildTrieItem;
	type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
	type AddressMapper = pallet_revive::AccountId32Mapper<Runtime>;
	/// Contracts compiled by plain `solc` run as they are.
	type AllowEVMBytecode = ConstBool<true>;
	type UploadOrigin = EnsureSigned<AccountId>;
	type InstantiateOrigin = EnsureSigned<AccountId>;
	/// What a contract call stack may use of the runtime's memory (half of it is theirs).
	type RuntimeMemory = ConstU32<{ 128 * 1024 * 1024 }>;
	/// What an importing node may spend on a block: the runtime's memory and twice the storage a
	/// block can write. The pallet's integrity test holds a block's writes to that; with this
	/// chain's block (1.5 s of normal compute, no proof-size limit: no relay chain) they reach
	/// 244 MiB, so 640 MiB rather than a parachain's 512. A node keeps that overlay in its own
	/// memory, not in the runtime's.
	type PVFMemory = ConstU32<{ 640 * 1024 * 1024 }>;
	type ChainId = ConstU64<EVM_CHAIN_ID>;
	/// TRIB has 12 decimals, Ether 18: one planck is 10⁶ wei.
	type NativeToEthRatio = ConstU32<1_000_000>;
	type FeeInfo =
		pallet_revive::evm::fees::Info<crate::Address, crate::Signature, crate::EthExtraImpl>;
	type Deposit = ();
	type MaxEthExtrinsicWeight = MaxEthExtrinsicWeight;
	type DebugEnabled = ConstBool<false>;
	/// Accounts are not mapped when created: `Revive::map_account` maps one against a deposit
	/// (returned by `unmap_account`), so the mapping is paid for like every other record.
	type AutoMap = ConstBool<false>;
	/// Gas figures close to Ethereum's, so tools' default gas limits suffice.
	type GasScale = ConstU32<50_000>;
}

/// Gives the contracts pallet's own account its existential deposit on a chain that existed
/// before the pallet (genesis does it for a new chain): the account holds code and storage
/// deposits and must exist before it can.
pub struct CreateContractsAccount;

impl OnRuntimeUpgrade for CreateContractsAccount {
	fn on_runtime_upgrade() -> Weight {
		use frame_support::traits::fungible::Mutate;
		let account = pallet_revive::Pallet::<Runtime>::account_id();
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if frame_system::Pallet::<Runtime>::account_exists(&account) {
			return db.reads(1);
		}
		if let Err(error) = Balances::mint_into(&account, crate::EXISTENTIAL_DEPOSIT) {
			frame_support::defensive!("minting the contracts account's existential deposit", error);
		}
		// The account read, the mint's account and total-issuance writes.
		db.reads_writes(2, 2)
	}
}
