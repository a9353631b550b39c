//! A mock runtime for the pallet's tests, with the shared in-memory routes and share pools.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects)]

use crate as pallet_royalty_distribution;
use crate::{DatasetId, ModelId, Shares, VersionNumber};
use frame_support::{
	derive_impl,
	traits::{fungible::Inspect, ConstU128, ConstU32, ConstU64},
	PalletId,
};
use sp_runtime::{BuildStorage, Perbill};
use tributary_primitives::test_utils::{self, MockDatasets, MockModels};
pub use tributary_primitives::test_utils::{even_route, Route};

pub type AccountId = u64;
pub type Balance = u128;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		RoyaltyDistribution: pallet_royalty_distribution,
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
}

pub const EXISTENTIAL_DEPOSIT: Balance = 10;
pub const MAX_CLAIM_POOLS: u32 = 4;
pub const AUTO_DISTRIBUTE_AFTER: u64 = 10;
pub const MAX_PENDING_COHORTS: u32 = 3;

frame_support::parameter_types! {
	pub const RoyaltyPotId: PalletId = PalletId(*b"py/rylty");
	/// How many of the pallet's events `events_since_last_call` has returned so far.
	storage RoyaltyEvents: u32 = 0;
}

impl pallet_royalty_distribution::Config for Test {
	type Currency = Balances;
	type PalletId = RoyaltyPotId;
	type Routes = MockModels;
	type Datasets = MockDatasets;
	type MaxClaimPools = ConstU32<MAX_CLAIM_POOLS>;
	type AutoDistributeAfter = ConstU64<AUTO_DISTRIBUTE_AFTER>;
	type MaxPendingCohorts = ConstU32<MAX_PENDING_COHORTS>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockDatasets;
}

/// Gives `version` of `model` the route `route`.
pub fn set_route(model: ModelId, version: VersionNumber, route: Route) {
	MockModels::add_with_route(model, version, 0, 0, route);
}

/// Adds a dataset curated by `curator`; returns its id.
pub fn add_dataset(curator: AccountId) -> DatasetId {
	MockDatasets::add(curator, Perbill::zero())
}

/// Mints shares as an accepted contribution does: the distribution's hook runs first.
pub fn mint(dataset: DatasetId, holder: AccountId, shares: Shares) {
	MockDatasets::mint::<RoyaltyDistribution>(dataset, holder, shares);
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockDatasets {
	fn version_routing_to_datasets(length: u32) -> (ModelId, VersionNumber, Vec<DatasetId>) {
		let datasets: Vec<DatasetId> = (0..length).map(|_| add_dataset(CURATOR)).collect();
		for dataset in &datasets {
			mint(*dataset, 1_000, 1);
		}
		let model = MockModels::count();
		set_route(model, 1, even_route(&datasets));
		(model, 1, datasets)
	}
	fn mint_shares(dataset: DatasetId, holder: &AccountId, shares: Shares) {
		mint(dataset, *holder, shares);
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const PAYER: AccountId = 5;
pub const PROVIDER: AccountId = 6;
pub const TREASURY: AccountId = 7;
pub const CURATOR: AccountId = 8;
pub const NOBODY: AccountId = 99;
pub const INITIAL_BALANCE: Balance = 1_000_000_000;

#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let balances = (1..=8).map(|who| (who, INITIAL_BALANCE)).collect();
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_royalty_distribution::GenesisConfig::<Test>::default()
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext: sp_io::TestExternalities = storage.into();
		ext.execute_with(|| {
			System::set_block_number(1);
			test_utils::reset();
		});
		ext
	}

	/// Runs the test, then checks every invariant, that the pot holds exactly its existential
	/// deposit plus what it owes, and that no funds appeared or vanished.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			let issuance = pallet_balances::TotalIssuance::<Test>::get();
			test();
			check_conservation();
			assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance");
		});
	}
}

/// The invariants, and the pot's balance to the unit.
pub fn check_conservation() {
	RoyaltyDistribution::do_try_state().expect("storage invariants hold");
	assert_eq!(
		Balances::balance(&RoyaltyDistribution::pot()),
		EXISTENTIAL_DEPOSIT + RoyaltyDistribution::obligations(),
		"the pot holds exactly its existential deposit and what it owes"
	);
}

/// The pallet's events deposited since the last call, oldest first.
pub fn events_since_last_call() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.map(|record| record.event)
		.filter_map(|e| {
			if let RuntimeEvent::RoyaltyDistribution(inner) = e {
				Some(inner)
			} else {
				None
			}
		})
		.collect::<Vec<_>>();
	let already_seen = RoyaltyEvents::get();
	RoyaltyEvents::set(&(events.len() as u32));
	events.into_iter().skip(already_seen as usize).collect()
}
