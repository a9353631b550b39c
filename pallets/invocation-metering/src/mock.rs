//! A mock runtime for the pallet's tests: the shared in-memory model versions, and a royalty
//! sink that moves every payment into a pot account and records what it was told. The whole
//! money path, with the real royalty distribution, is tested in the runtime.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects)]

use crate as pallet_invocation_metering;
use crate::{ModelId, VersionNumber};
use frame_support::{
	derive_impl,
	traits::{ConstU128, ConstU32, ConstU64},
};
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	BuildStorage, Permill,
};
pub use tributary_primitives::test_utils::{self, MockModels, MockRoyaltySink};

pub type AccountId = u64;
pub type Balance = u128;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
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
/// Where the mock royalty sink keeps every payment.
pub const POT: AccountId = 98;

frame_support::parameter_types! {
	/// How many of the pallet's events `events_since_last_call` has returned so far.
	storage MeteringEvents: u32 = 0;
	pub const Treasury: AccountId = TREASURY;
	pub const Pot: AccountId = POT;
	pub const ProtocolFee: Permill = Permill::from_percent(5);
}

std::thread_local! {
	static WALL_CLOCK_MS: core::cell::Cell<u64> = const { core::cell::Cell::new(1_700_000_000_000) };
}

/// The time of these tests: a wall clock a test may set, e.g. to relaunch the chain later.
pub struct WallClock;

impl WallClock {
	/// Sets the time, in milliseconds since the Unix epoch.
	pub fn set(ms: u64) {
		WALL_CLOCK_MS.with(|clock| clock.set(ms));
	}
}

impl frame_support::traits::UnixTime for WallClock {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(WALL_CLOCK_MS.with(|clock| clock.get()))
	}
}

/// The royalty sink of these tests: payments really move into `POT`, and what the metering
/// told the sink is recorded.
pub type Royalties = MockRoyaltySink<Balances, Pot>;

impl pallet_invocation_metering::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = MockModels;
	type Royalties = Royalties;
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
	type UnixTime = WallClock;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockModels;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<Balance, AccountId, TestSignature> for MockModels {
	fn invocable_model(price_per_unit: Balance) -> ModelId {
		let model = MockModels::count();
		MockModels::add(model, 1, OWNER, price_per_unit);
		model
	}
	fn new_consumer() -> AccountId {
		std::thread_local! {
			static NEXT: core::cell::Cell<AccountId> = const { core::cell::Cell::new(10_000) };
		}
		NEXT.with(|next| next.replace(next.get() + 1))
	}
	fn sign_as(consumer: &AccountId, payload: &[u8]) -> TestSignature {
		TestSignature(*consumer, payload.to_vec())
	}
}

/// What the sink recorded as owed along a version's route: the royalties accrued, in how many
/// payments, for how many units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revenue {
	pub amount: Balance,
	pub invocations: u64,
	pub units: u128,
}

/// The revenue accrued for `version` of `model`, or `None` when nothing was.
pub fn undistributed(model: ModelId, version: VersionNumber) -> Option<Revenue> {
	let accruals: Vec<_> = Royalties::accruals()
		.into_iter()
		.filter(|a| a.model == model && a.version == version)
		.collect();
	(!accruals.is_empty()).then(|| Revenue {
		amount: accruals.iter().map(|a| a.royalty).sum(),
		invocations: accruals.len() as u64,
		units: accruals.iter().map(|a| a.units as u128).sum(),
	})
}

/// What `who` was credited (fees) in all, or `None` when nothing.
pub fn credit(who: AccountId) -> Option<Balance> {
	Some(Royalties::credited(who)).filter(|amount| *amount > 0)
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
		// The pot exists from genesis, as the royalty distribution's does.
		balances.push((POT, EXISTENTIAL_DEPOSIT));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext: sp_io::TestExternalities = storage.into();
		ext.execute_with(|| {
			System::set_block_number(1);
			test_utils::reset();
		});
		ext
	}

	/// Runs the test, then checks the pallet's invariants and that no funds appeared or
	/// vanished.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			let issuance = pallet_balances::TotalIssuance::<Test>::get();
			test();
			InvocationMetering::do_try_state().expect("metering invariants hold");
			assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance");
		});
	}
}

/// The pallet's events deposited since the last call, oldest first.
pub fn events_since_last_call() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.map(|record| record.event)
		.filter_map(|e| {
			if let RuntimeEvent::InvocationMetering(inner) = e {
				Some(inner)
			} else {
				None
			}
		})
		.collect::<Vec<_>>();
	let already_seen = MeteringEvents::get();
	MeteringEvents::set(&(events.len() as u32));
	events.into_iter().skip(already_seen as usize).collect()
}
