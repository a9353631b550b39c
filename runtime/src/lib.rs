//! The Tributary runtime.
//!
//! A standalone chain (aura block production, grandpa finality) for a collaborative AI economy:
//! data contributors, reviewers, model developers, fine-tuners and compute providers are paid
//! automatically from every invocation of the models built on their work.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`/`impl_runtime_apis` expand to large nested types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

// Declared before `apis`: `define_benchmarks!` creates the `list_benchmarks!`/`add_benchmarks!`
// macros that the benchmark runtime API uses, and macros are visible only after their module.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod contracts;
pub mod genesis_config_presets;
#[cfg(all(feature = "std", any(test, feature = "runtime-benchmarks")))]
pub mod load;
pub mod weights;

#[cfg(test)]
mod economy_tests;
#[cfg(test)]
mod fee_tests;
#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod scaling_tests;
#[cfg(test)]
mod test_chain;
#[cfg(test)]
mod tests;
#[cfg(all(test, feature = "try-runtime"))]
mod upgrade_tests;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
pub use sp_runtime::{Perbill, Permill};

/// Opaque types: what the node needs to know about blocks without knowing the runtime's calls.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: one aura key, one grandpa key.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's `spec_version`, raised with every change of behaviour (and the literals below
/// with it: a compile-time check holds them to this).
const SPEC_VERSION: u32 = 104;

/// Declares the runtime's identity. `runtime_version` reads `spec_version` from a literal (it
/// writes the version into a wasm section at compile time), so the literal is passed in.
macro_rules! runtime_version {
	($spec_version:tt) => {
		/// The runtime's identity.
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("tributary"),
			impl_name: alloc::borrow::Cow::Borrowed("tributary"),
			authoring_version: 1,
			spec_version: $spec_version,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 4,
			system_version: 1,
		};
	};
}

#[cfg(not(feature = "upgrade-test"))]
runtime_version!(104);
#[cfg(not(feature = "upgrade-test"))]
const _: () = assert!(VERSION.spec_version == SPEC_VERSION, "runtime_version!(SPEC_VERSION)");

// The same runtime as its own next version: the wasm the forkless-upgrade test installs.
#[cfg(feature = "upgrade-test")]
runtime_version!(105);
#[cfg(feature = "upgrade-test")]
const _: () = assert!(
	matches!(SPEC_VERSION.checked_add(1), Some(next) if next == VERSION.spec_version),
	"runtime_version!(SPEC_VERSION + 1)"
);

mod block_times {
	/// Target block time. Slot duration follows it: aura authors one block per slot.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// Slot duration in milliseconds.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
}
pub use block_times::*;

/// Block counts for common durations at the target block time.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// One TRIB in plancks: the token has 12 decimals.
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a TRIB.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of a TRIB.
pub const MICRO_UNIT: Balance = 1_000_000;
/// The smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Token symbol shown by wallets.
pub const TOKEN_SYMBOL: &str = "TRIB";
/// Token decimals shown by wallets.
pub const TOKEN_DECIMALS: u8 = 12;
/// SS58 address format: the generic substrate prefix.
pub const SS58_PREFIX: u16 = 42;

/// Storage deposit for `items` records of `bytes` encoded bytes in total: 0.1 TRIB per record and
/// 1 milli-TRIB per byte, so a deposit tracks the state a record occupies.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	(items as Balance)
		.saturating_mul(100 * MILLI_UNIT)
		.saturating_add((bytes as Balance).saturating_mul(MILLI_UNIT))
}

/// Signature type used by accounts: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// Account identifier derived from the signer's public key.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account, in plancks.
pub type Balance = u128;
/// Transaction index of an account.
pub type Nonce = u32;
/// Block and extrinsic hash.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// Address format of call targets.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A signed block with justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions every signed extrinsic carries.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	// Marks a call that came from an Ethereum transaction (`Revive::eth_transact`) so the
	// contracts pallet charges it as such; after every extension that needs the signed origin.
	pallet_revive::evm::tx_extension::SetOrigin<Runtime>,
	// Last: it refunds what the extensions before it did not use.
	frame_system::WeightReclaim<Runtime>,
);

/// How an Ethereum transaction, once its signature is checked, becomes a Substrate extrinsic:
/// the same extensions, immortal, with the Ethereum transaction's nonce and tip.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EthExtraImpl;

impl pallet_revive::evm::runtime::EthExtra for EthExtraImpl {
	type Config = Runtime;
	type ExtensionV0 = TxExtension;
	type ExtensionOtherVersions = sp_runtime::traits::InvalidVersion;

	fn get_eth_extension(nonce: Nonce, tip: Balance) -> Self::ExtensionV0 {
		(
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(generic::Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
			pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::new_from_eth_transaction(),
			frame_system::WeightReclaim::<Runtime>::new(),
		)
	}
}

/// Unchecked extrinsic type as expected by this runtime: a Substrate extrinsic, or an Ethereum
/// transaction wrapped in `Revive::eth_transact` (unsigned, its signature checked by the pallet).
/// It encodes exactly as `generic::UncheckedExtrinsic`.
pub type UncheckedExtrinsic =
	pallet_revive::evm::runtime::UncheckedExtrinsic<Address, Signature, EthExtraImpl>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on the next runtime upgrade.
type Migrations = (
	pallet_data_contribution::migrations::MigrateToV1<Runtime>,
	pallet_royalty_distribution::migrations::MigrateToV1<Runtime>,
	contracts::CreateContractsAccount,
);

/// Executive: dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(20)]
	pub type DataContribution = pallet_data_contribution;

	#[runtime::pallet_index(21)]
	pub type ModelRegistry = pallet_model_registry;

	#[runtime::pallet_index(22)]
	pub type RoyaltyDistribution = pallet_royalty_distribution;

	#[runtime::pallet_index(23)]
	pub type InvocationMetering = pallet_invocation_metering;

	#[runtime::pallet_index(24)]
	pub type Treasury = pallet_treasury;

	#[runtime::pallet_index(30)]
	pub type Revive = pallet_revive;
}
