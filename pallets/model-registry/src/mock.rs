//! A mock runtime for the pallet's tests, with the shared in-memory datasets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects)]

use crate as pallet_model_registry;
use crate::DatasetId;
use frame_support::{
	derive_impl,
	traits::{ConstU128, ConstU32, ConstU64},
};
use sp_runtime::{BuildStorage, Perbill};
use tributary_primitives::test_utils::{self, MockDatasets};

pub type AccountId = u64;
pub type Balance = u128;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ModelRegistry: pallet_model_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

frame_support::parameter_types! {
	/// How many of the pallet's events `events_since_last_call` has returned so far.
	storage RegistryEvents: u32 = 0;
}

pub const EXISTENTIAL_DEPOSIT: Balance = 10;
pub const MODEL_DEPOSIT: Balance = 1_000;
pub const VERSION_DEPOSIT_BASE: Balance = 100;
pub const VERSION_DEPOSIT_PER_BYTE: Balance = 1;
pub const MAX_DATASETS: u32 = 4;
pub const MAX_PARENTS: u32 = 4;
pub const MAX_ROUTE_LENGTH: u32 = 64;
pub const MAX_VERSIONS: u32 = 3;
pub const DISPUTE_BOND: Balance = 500;
pub const MAX_OPEN_DISPUTES: u32 = 2;
pub const DISPUTE_TIMEOUT: u64 = 20;

impl pallet_model_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = MockDatasets;
	type ModelDeposit = ConstU128<MODEL_DEPOSIT>;
	type VersionDepositBase = ConstU128<VERSION_DEPOSIT_BASE>;
	type VersionDepositPerByte = ConstU128<VERSION_DEPOSIT_PER_BYTE>;
	type MaxNameLength = ConstU32<32>;
	type MaxVersionLabelLength = ConstU32<16>;
	type MaxDatasets = ConstU32<MAX_DATASETS>;
	type MaxParents = ConstU32<MAX_PARENTS>;
	type MaxRouteLength = ConstU32<MAX_ROUTE_LENGTH>;
	type MaxVersions = ConstU32<MAX_VERSIONS>;
	type DisputeOrigin = frame_system::EnsureRoot<AccountId>;
	type DisputeBond = ConstU128<DISPUTE_BOND>;
	type MaxOpenDisputes = ConstU32<MAX_OPEN_DISPUTES>;
	type DisputeTimeout = ConstU64<DISPUTE_TIMEOUT>;
	type Treasury = ConstU64<TREASURY>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockDatasets;
}

/// Adds a dataset requiring `min_model_share` to the in-memory datasets; returns its id.
pub fn add_dataset(min_model_share: Perbill) -> DatasetId {
	MockDatasets::add(CURATOR, min_model_share)
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockDatasets {
	fn create_dataset(min_model_share: Perbill) -> DatasetId {
		add_dataset(min_model_share)
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const EVE: AccountId = 5;
pub const POOR: AccountId = 7;
/// Receives rejected disputes' bonds.
pub const TREASURY: AccountId = 9;
/// Curates the in-memory datasets; the registry never pays it.
pub const CURATOR: AccountId = 8;
pub const INITIAL_BALANCE: Balance = 1_000_000;

pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		let mut balances: Vec<_> = (1..=6).map(|who| (who, INITIAL_BALANCE)).collect();
		balances.push((POOR, 500));
		Self { balances }
	}
}

impl ExtBuilder {
	/// Funds the accounts `first..=last` (the long-lineage tests give every model its owner).
	pub fn with_funded_range(mut self, first: AccountId, last: AccountId) -> Self {
		self.balances.retain(|(who, _)| *who < first || *who > last);
		self.balances.extend((first..=last).map(|who| (who, INITIAL_BALANCE)));
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext: sp_io::TestExternalities = storage.into();
		ext.execute_with(|| {
			System::set_block_number(1);
			test_utils::reset();
		});
		ext
	}

	/// Runs the test, then checks every storage invariant and that no funds appeared or vanished.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		let issuance: Balance = self.balances.iter().map(|(_, b)| b).sum();
		self.build().execute_with(|| {
			test();
			ModelRegistry::do_try_state().expect("storage invariants hold after the test");
			assert_eq!(
				pallet_balances::TotalIssuance::<Test>::get(),
				issuance,
				"issuance unchanged"
			);
		});
	}
}

/// The pallet's events deposited since the last call, oldest first.
pub fn events_since_last_call() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.map(|record| record.event)
		.filter_map(|e| if let RuntimeEvent::ModelRegistry(inner) = e { Some(inner) } else { None })
		.collect::<Vec<_>>();
	let already_seen = RegistryEvents::get();
	RegistryEvents::set(&(events.len() as u32));
	events.into_iter().skip(already_seen as usize).collect()
}
