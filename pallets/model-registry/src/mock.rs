//! A mock runtime for the pallet's tests, with an in-memory dataset registry.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects)]

use crate as pallet_model_registry;
use crate::DatasetId;
use frame_support::{
	derive_impl,
	traits::{ConstU128, ConstU32},
};
use pallet_data_contribution::{ContributorShares, Shares};
use sp_runtime::{BuildStorage, Perbill};
use std::{cell::RefCell, collections::BTreeMap};

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

pub const EXISTENTIAL_DEPOSIT: Balance = 10;
pub const MODEL_DEPOSIT: Balance = 1_000;
pub const VERSION_DEPOSIT_BASE: Balance = 100;
pub const VERSION_DEPOSIT_PER_BYTE: Balance = 1;
pub const MAX_DATASETS: u32 = 4;
pub const MAX_PARENTS: u32 = 4;
pub const MAX_ROUTE_LENGTH: u32 = 64;
pub const MAX_VERSIONS: u32 = 3;

impl pallet_model_registry::Config for Test {
	type RuntimeEvent = RuntimeEvent;
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
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockDatasets;
}

std::thread_local! {
	/// Datasets by id, with their `min_model_share`.
	static DATASETS: RefCell<BTreeMap<DatasetId, Perbill>> = const { RefCell::new(BTreeMap::new()) };
}

/// An in-memory stand-in for the data-contribution pallet: only what the registry reads.
pub struct MockDatasets;

impl MockDatasets {
	/// Adds a dataset requiring `min_model_share` and returns its id.
	pub fn add(min_model_share: Perbill) -> DatasetId {
		DATASETS.with(|datasets| {
			let mut datasets = datasets.borrow_mut();
			let id = datasets.keys().next_back().map_or(0, |last| last + 1);
			datasets.insert(id, min_model_share);
			id
		})
	}
}

impl ContributorShares<AccountId> for MockDatasets {
	fn dataset_exists(dataset: DatasetId) -> bool {
		DATASETS.with(|datasets| datasets.borrow().contains_key(&dataset))
	}
	fn min_model_share(dataset: DatasetId) -> Option<Perbill> {
		DATASETS.with(|datasets| datasets.borrow().get(&dataset).copied())
	}
	fn curator(_: DatasetId) -> Option<AccountId> {
		None
	}
	fn total_shares(_: DatasetId) -> Shares {
		0
	}
	fn shares_of(_: DatasetId, _: &AccountId) -> Shares {
		0
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockDatasets {
	fn create_dataset(min_model_share: Perbill) -> DatasetId {
		Self::add(min_model_share)
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const EVE: AccountId = 5;
pub const POOR: AccountId = 7;
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
			DATASETS.with(|datasets| datasets.borrow_mut().clear());
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
