//! A mock runtime for the pallet's tests, with in-memory routes and dataset share pools.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects)]

use crate as pallet_royalty_distribution;
use crate::{DatasetId, ModelId, OnSharesMinted, Shares, VersionNumber};
use frame_support::{
	derive_impl,
	traits::{fungible::Inspect, ConstU128, ConstU32},
	PalletId,
};
use pallet_data_contribution::ContributorShares;
use pallet_model_registry::{InvocationTerms, RouteEntry, RouteProvider};
use sp_runtime::BuildStorage;
use std::{cell::RefCell, collections::BTreeMap};

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
pub const MAX_ROUTE_LENGTH: u32 = 64;
pub const MAX_CLAIM_POOLS: u32 = 4;

frame_support::parameter_types! {
	pub const RoyaltyPotId: PalletId = PalletId(*b"py/rylty");
}

impl pallet_royalty_distribution::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type PalletId = RoyaltyPotId;
	type Routes = MockRoutes;
	type Datasets = MockDatasets;
	type MaxRouteLength = ConstU32<MAX_ROUTE_LENGTH>;
	type MaxClaimPools = ConstU32<MAX_CLAIM_POOLS>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockDatasets;
}

type Route = Vec<RouteEntry<AccountId>>;
/// A dataset's curator and its holders' shares.
type MockDataset = (AccountId, BTreeMap<AccountId, Shares>);

std::thread_local! {
	static ROUTES: RefCell<BTreeMap<(ModelId, VersionNumber), Route>> =
		const { RefCell::new(BTreeMap::new()) };
	/// Datasets: curator and share holdings.
	static DATASETS: RefCell<BTreeMap<DatasetId, MockDataset>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// In-memory model versions: only their routes.
pub struct MockRoutes;

impl MockRoutes {
	pub fn set(model: ModelId, version: VersionNumber, route: Route) {
		ROUTES.with(|routes| routes.borrow_mut().insert((model, version), route));
	}
}

impl RouteProvider<AccountId, Balance> for MockRoutes {
	fn invocation_terms(
		model: ModelId,
		version: Option<VersionNumber>,
	) -> Option<InvocationTerms<AccountId, Balance>> {
		let version = version.unwrap_or(1);
		ROUTES
			.with(|routes| routes.borrow().contains_key(&(model, version)))
			.then_some(InvocationTerms { version, price_per_unit: 0, owner: 0 })
	}
	fn route(model: ModelId, version: VersionNumber) -> Option<Route> {
		ROUTES.with(|routes| routes.borrow().get(&(model, version)).cloned())
	}
	fn owner(_: ModelId) -> Option<AccountId> {
		None
	}
}

/// In-memory datasets standing in for the data-contribution pallet: minting calls the shares
/// hook first, as the real pallet does.
pub struct MockDatasets;

impl MockDatasets {
	pub fn add(curator: AccountId) -> DatasetId {
		DATASETS.with(|datasets| {
			let mut datasets = datasets.borrow_mut();
			let id = datasets.keys().next_back().map_or(0, |last| last + 1);
			datasets.insert(id, (curator, BTreeMap::new()));
			id
		})
	}

	pub fn mint(dataset: DatasetId, holder: AccountId, shares: Shares) {
		let current = Self::shares_of(dataset, &holder);
		let total = Self::total_shares(dataset);
		RoyaltyDistribution::before_mint(dataset, &holder, current, total);
		DATASETS.with(|datasets| {
			let mut datasets = datasets.borrow_mut();
			let holdings = &mut datasets.get_mut(&dataset).expect("a known dataset").1;
			*holdings.entry(holder).or_default() += shares;
		});
	}
}

impl ContributorShares<AccountId> for MockDatasets {
	fn dataset_exists(dataset: DatasetId) -> bool {
		DATASETS.with(|datasets| datasets.borrow().contains_key(&dataset))
	}
	fn min_model_share(_: DatasetId) -> Option<sp_runtime::Perbill> {
		None
	}
	fn curator(dataset: DatasetId) -> Option<AccountId> {
		DATASETS.with(|datasets| datasets.borrow().get(&dataset).map(|(curator, _)| *curator))
	}
	fn total_shares(dataset: DatasetId) -> Shares {
		DATASETS.with(|datasets| {
			datasets.borrow().get(&dataset).map_or(0, |(_, holdings)| holdings.values().sum())
		})
	}
	fn shares_of(dataset: DatasetId, holder: &AccountId) -> Shares {
		DATASETS.with(|datasets| {
			datasets
				.borrow()
				.get(&dataset)
				.and_then(|(_, holdings)| holdings.get(holder).copied())
				.unwrap_or(0)
		})
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockDatasets {
	fn version_routing_to_datasets(length: u32) -> (ModelId, VersionNumber, Vec<DatasetId>) {
		let datasets: Vec<DatasetId> = (0..length).map(|_| Self::add(CURATOR)).collect();
		for dataset in &datasets {
			Self::mint(*dataset, 1_000, 1);
		}
		let model = ROUTES.with(|routes| routes.borrow().len() as ModelId);
		MockRoutes::set(model, 1, even_route(&datasets));
		(model, 1, datasets)
	}
	fn mint_shares(dataset: DatasetId, holder: &AccountId, shares: Shares) {
		Self::mint(dataset, *holder, shares);
	}
}

/// A route splitting 100% as evenly as possible among datasets, the first taking the rest.
pub fn even_route(datasets: &[DatasetId]) -> Route {
	use sp_runtime::Perbill;
	let each = 1_000_000_000 / datasets.len() as u32;
	let first = 1_000_000_000 - each * (datasets.len() as u32 - 1);
	datasets
		.iter()
		.enumerate()
		.map(|(i, d)| {
			let part = if i == 0 { first } else { each };
			(pallet_model_registry::Beneficiary::Dataset(*d), Perbill::from_parts(part))
		})
		.collect()
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
			ROUTES.with(|routes| routes.borrow_mut().clear());
			DATASETS.with(|datasets| datasets.borrow_mut().clear());
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
