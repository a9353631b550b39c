//! A mock runtime for the pallet's tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects)]

use crate as pallet_data_contribution;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks},
};
use sp_runtime::{BuildStorage, Perbill};

pub type AccountId = u64;
pub type Balance = u128;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		DataContribution: pallet_data_contribution,
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
pub const DATASET_DEPOSIT: Balance = 1_000;
pub const CONTRIBUTION_DEPOSIT: Balance = 100;
pub const SHAREHOLDING_DEPOSIT: Balance = 50;
pub const TASK_DEPOSIT_BASE: Balance = 200;
pub const TASK_DEPOSIT_PER_ITEM: Balance = 20;
pub const MIN_REVIEWER_BOND: Balance = 500;
pub const MAX_QUORUM: u32 = 3;
pub const MAX_ITEMS_PER_TASK: u32 = 16;
pub const SLOT_TIMEOUT: u64 = 10;
pub const REVIEWER_COOLDOWN: u64 = 20;
pub const MAX_TASK_DURATION: u64 = 1_000;
pub const INITIAL_REPUTATION: u32 = 100;
pub const REPUTATION_PENALTY: u32 = 30;
pub const REPUTATION_REWARD: u32 = 5;
pub const REPUTATION_FLOOR: u32 = 50;
pub const TREASURY: AccountId = 999;
pub const STAKE_PER_ITEM: Balance = 2;
pub const CONTRIBUTION_TIMEOUT: u64 = 500;
pub const REVIEW_WINDOW: u64 = 50;
pub const BLOCKS_PER_DAY: u64 = 1_000;
pub const MAX_MEMBERS: u32 = 8;
pub const REVEAL_WINDOW: u64 = 10;
pub const ACCEPTANCE_WINDOW: u64 = 20;
pub const DRAW_WIDENING: u64 = 5;

parameter_types! {
	pub const Treasury: AccountId = TREASURY;
	pub const ReviewerShare: Perbill = Perbill::from_percent(10);
	pub const SlashFraction: Perbill = Perbill::from_percent(20);
	pub const SlashReward: Perbill = Perbill::from_percent(25);
}

impl pallet_data_contribution::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type SharesHook = RecordMints;
	type TreasuryAccount = Treasury;
	type DatasetDeposit = ConstU128<DATASET_DEPOSIT>;
	type ContributionDeposit = ConstU128<CONTRIBUTION_DEPOSIT>;
	type ShareholdingDeposit = ConstU128<SHAREHOLDING_DEPOSIT>;
	type TaskDepositBase = ConstU128<TASK_DEPOSIT_BASE>;
	type TaskDepositPerItem = ConstU128<TASK_DEPOSIT_PER_ITEM>;
	type MinReviewerBond = ConstU128<MIN_REVIEWER_BOND>;
	type MaxNameLength = ConstU32<32>;
	type MaxSchemaLength = ConstU32<32>;
	type MaxLicenseLength = ConstU32<32>;
	type MaxHolders = ConstU32<8>;
	type MaxPendingContributions = ConstU32<4>;
	type MaxOpenTasks = ConstU32<4>;
	type MaxItemsPerTask = ConstU32<MAX_ITEMS_PER_TASK>;
	type MaxItemsPerContribution = ConstU32<1_000>;
	type MaxQuorum = ConstU32<MAX_QUORUM>;
	type MaxTaskDuration = ConstU64<MAX_TASK_DURATION>;
	type SlotTimeout = ConstU64<SLOT_TIMEOUT>;
	type ReviewerCooldown = ConstU64<REVIEWER_COOLDOWN>;
	type ReviewerShare = ReviewerShare;
	type InitialReputation = ConstU32<INITIAL_REPUTATION>;
	type MaxReputation = ConstU32<200>;
	type ReputationReward = ConstU32<REPUTATION_REWARD>;
	type ReputationPenalty = ConstU32<REPUTATION_PENALTY>;
	type ReputationFloor = ConstU32<REPUTATION_FLOOR>;
	type SlashFraction = SlashFraction;
	type SlashReward = SlashReward;
	type ContributionStakePerItem = ConstU128<STAKE_PER_ITEM>;
	type ContributionTimeout = ConstU64<CONTRIBUTION_TIMEOUT>;
	type ReviewWindow = ConstU64<REVIEW_WINDOW>;
	type BlocksPerDay = ConstU64<BLOCKS_PER_DAY>;
	type MaxMembers = ConstU32<MAX_MEMBERS>;
	type RevealWindow = ConstU64<REVEAL_WINDOW>;
	type AcceptanceWindow = ConstU64<ACCEPTANCE_WINDOW>;
	type DrawWidening = ConstU64<DRAW_WIDENING>;
	type WeightInfo = ();
}

std::thread_local! {
	/// Every `before_mint` call: (dataset, holder, shares before, total before).
	pub static MINT_HOOK_CALLS: core::cell::RefCell<Vec<(u32, AccountId, u128, u128)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// Records the shares hook calls so tests can check the hook runs before each mint.
pub struct RecordMints;
impl crate::OnSharesMinted<AccountId> for RecordMints {
	fn before_mint(dataset: u32, holder: &AccountId, current: u128, total: u128, _minted: u128) {
		MINT_HOOK_CALLS.with(|calls| calls.borrow_mut().push((dataset, *holder, current, total)));
	}
}

pub fn mint_hook_calls() -> Vec<(u32, AccountId, u128, u128)> {
	MINT_HOOK_CALLS.with(|calls| calls.borrow().clone())
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const EVE: AccountId = 5;
pub const FERDIE: AccountId = 6;
pub const POOR: AccountId = 7;
pub const INITIAL_BALANCE: Balance = 1_000_000;

pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			balances: vec![
				(ALICE, INITIAL_BALANCE),
				(BOB, INITIAL_BALANCE),
				(CHARLIE, INITIAL_BALANCE),
				(DAVE, INITIAL_BALANCE),
				(EVE, INITIAL_BALANCE),
				(FERDIE, INITIAL_BALANCE),
				(POOR, 30),
				(TREASURY, EXISTENTIAL_DEPOSIT),
			],
		}
	}
}

impl ExtBuilder {
	pub fn with_balance(mut self, who: AccountId, amount: Balance) -> Self {
		self.balances.retain(|(account, _)| *account != who);
		self.balances.push((who, amount));
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
			MINT_HOOK_CALLS.with(|calls| calls.borrow_mut().clear());
		});
		ext
	}

	/// Runs the test, then checks every storage invariant and that no funds appeared or vanished.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		let issuance: Balance = self.balances.iter().map(|(_, b)| b).sum();
		self.build().execute_with(|| {
			test();
			DataContribution::do_try_state().expect("storage invariants hold after the test");
			assert_eq!(
				pallet_balances::TotalIssuance::<Test>::get(),
				issuance,
				"issuance unchanged"
			);
		});
	}
}

parameter_types! {
	/// How many of this pallet's events `events_since_last_call` has returned so far. Kept in
	/// the test's storage, so every test starts from zero.
	storage ObservedEvents: u32 = 0;
}

/// This pallet's events deposited since the previous call (since the test began, on the first
/// call), in order: tests assert the exact list each call emits.
pub fn events_since_last_call() -> Vec<crate::Event<Test>> {
	let events: Vec<_> = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::DataContribution(event) => Some(event),
			_ => None,
		})
		.collect();
	let already_seen = ObservedEvents::get() as usize;
	ObservedEvents::set(&(events.len() as u32));
	events.into_iter().skip(already_seen).collect()
}

/// Advances to block `n`, running the pallet's hooks.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<DataContribution as Hooks<u64>>::on_initialize(next);
	}
}
