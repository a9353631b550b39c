//! A mock runtime for the pallet's tests: in-memory model versions, and the real royalty
//! distribution (with in-memory datasets) taking the payments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects)]

use crate as pallet_invocation_metering;
use crate::{ModelId, VersionNumber};
use frame_support::{
	derive_impl,
	traits::{ConstU128, ConstU32, ConstU64},
	PalletId,
};
use pallet_data_contribution::{ContributorShares, DatasetId, Shares};
use pallet_model_registry::{Beneficiary, InvocationTerms, RouteEntry, RouteProvider};
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	BuildStorage, Perbill, Permill,
};
use std::{cell::RefCell, collections::BTreeMap};

pub type AccountId = u64;
pub type Balance = u128;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		RoyaltyDistribution: pallet_royalty_distribution,
		InvocationMetering: pallet_invocation_metering,
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
pub const OFFER_DEPOSIT: Balance = 500;
pub const CHANNEL_DEPOSIT: Balance = 50;
pub const CHALLENGE_PERIOD: u64 = 10;
pub const MAX_CHANNEL_DURATION: u64 = 1_000;
pub const TREASURY: AccountId = 99;

frame_support::parameter_types! {
	pub const RoyaltyPotId: PalletId = PalletId(*b"py/rylty");
	pub const Treasury: AccountId = TREASURY;
	pub const ProtocolFee: Permill = Permill::from_percent(5);
}

impl pallet_royalty_distribution::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type PalletId = RoyaltyPotId;
	type Routes = MockModels;
	type Datasets = NoDatasets;
	type MaxRouteLength = ConstU32<64>;
	type MaxClaimPools = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = NoDatasets;
}

impl pallet_invocation_metering::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Routes = MockModels;
	type Royalties = RoyaltyDistribution;
	type TreasuryAccount = Treasury;
	type ProtocolFee = ProtocolFee;
	type OfferDeposit = ConstU128<OFFER_DEPOSIT>;
	type MaxEndpointLength = ConstU32<32>;
	type OffchainSignature = TestSignature;
	type OffchainPublic = UintAuthorityId;
	type ChannelDeposit = ConstU128<CHANNEL_DEPOSIT>;
	type ChallengePeriod = ConstU64<CHALLENGE_PERIOD>;
	type MaxChannelDuration = ConstU64<MAX_CHANNEL_DURATION>;
	type MaxSettleBatch = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockModels;
}

/// A model version: owner, price per unit, route.
type MockVersion = (AccountId, Balance, Vec<RouteEntry<AccountId>>);

std::thread_local! {
	static MODELS: RefCell<BTreeMap<(ModelId, VersionNumber), MockVersion>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// In-memory model versions standing in for the model registry.
pub struct MockModels;

impl MockModels {
	/// Adds version `version` of `model`, owned by `owner`, whose route pays `owner` 100%.
	pub fn add(model: ModelId, version: VersionNumber, owner: AccountId, price: Balance) {
		let route = vec![(Beneficiary::Account(owner), Perbill::one())];
		MODELS.with(|models| models.borrow_mut().insert((model, version), (owner, price, route)));
	}

	fn latest(model: ModelId) -> Option<VersionNumber> {
		MODELS.with(|models| {
			models.borrow().keys().filter(|(m, _)| *m == model).map(|(_, v)| *v).max()
		})
	}
}

impl RouteProvider<AccountId, Balance> for MockModels {
	fn invocation_terms(
		model: ModelId,
		version: Option<VersionNumber>,
	) -> Option<InvocationTerms<AccountId, Balance>> {
		let version = version.or_else(|| Self::latest(model))?;
		MODELS.with(|models| {
			models.borrow().get(&(model, version)).map(|(owner, price, _)| InvocationTerms {
				version,
				price_per_unit: *price,
				owner: *owner,
			})
		})
	}
	fn route(model: ModelId, version: VersionNumber) -> Option<Vec<RouteEntry<AccountId>>> {
		MODELS.with(|models| models.borrow().get(&(model, version)).map(|(_, _, r)| r.clone()))
	}
	fn owner(model: ModelId) -> Option<AccountId> {
		Self::latest(model).and_then(|version| {
			MODELS.with(|models| models.borrow().get(&(model, version)).map(|(owner, _, _)| *owner))
		})
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<Balance, AccountId, TestSignature> for MockModels {
	fn invocable_model(price_per_unit: Balance) -> ModelId {
		let model = MODELS.with(|models| models.borrow().len() as ModelId);
		Self::add(model, 1, OWNER, price_per_unit);
		model
	}
	fn consumer_signing(payload: &[u8]) -> (AccountId, TestSignature) {
		std::thread_local! {
			static NEXT: core::cell::Cell<AccountId> = const { core::cell::Cell::new(10_000) };
		}
		let consumer = NEXT.with(|next| next.replace(next.get() + 1));
		(consumer, TestSignature(consumer, payload.to_vec()))
	}
}

/// No datasets: the routes of these tests pay accounts only.
pub struct NoDatasets;

impl ContributorShares<AccountId> for NoDatasets {
	fn dataset_exists(_: DatasetId) -> bool {
		false
	}
	fn min_model_share(_: DatasetId) -> Option<Perbill> {
		None
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
impl pallet_royalty_distribution::BenchmarkHelper<AccountId> for NoDatasets {
	fn version_routing_to_datasets(_: u32) -> (ModelId, VersionNumber, Vec<DatasetId>) {
		unimplemented!("the royalty distribution is benchmarked in its own crate")
	}
	fn mint_shares(_: DatasetId, _: &AccountId, _: Shares) {}
}

pub const OWNER: AccountId = 1;
pub const PAYER: AccountId = 2;
pub const PROVIDER: AccountId = 3;
pub const OTHER_PROVIDER: AccountId = 4;
pub const POOR: AccountId = 5;
pub const INITIAL_BALANCE: Balance = 1_000_000_000;

#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances: Vec<_> = (1..=4).map(|who| (who, INITIAL_BALANCE)).collect();
		balances.push((POOR, 600));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_royalty_distribution::GenesisConfig::<Test>::default()
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext: sp_io::TestExternalities = storage.into();
		ext.execute_with(|| {
			System::set_block_number(1);
			MODELS.with(|models| models.borrow_mut().clear());
		});
		ext
	}

	/// Runs the test, then checks both pallets' invariants and that no funds appeared or
	/// vanished.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			let issuance = pallet_balances::TotalIssuance::<Test>::get();
			test();
			InvocationMetering::do_try_state().expect("metering invariants hold");
			RoyaltyDistribution::do_try_state().expect("royalty invariants hold");
			assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance");
		});
	}
}
