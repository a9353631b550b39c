//! Configuration of every pallet in the runtime.

use crate::weights::{
	block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight,
	paritydb_weights::constants::ParityDbWeight,
};
use crate::{
	deposit, AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, System, DAYS, EXISTENTIAL_DEPOSIT, HOURS, MILLI_UNIT, MINUTES, SLOT_DURATION,
	SS58_PREFIX, UNIT, VERSION,
};
use codec::MaxEncodedLen;
use frame_support::PalletId;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::AccountIdConversion;
use sp_runtime::{traits::One, Perbill, Permill};

/// Share of a block that normal (user) extrinsics may fill; the rest is for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Two seconds of compute per block, a third of the 6 s slot: room for import and gossip.
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2), u64::MAX);
/// The part of `weight` normal extrinsics may use.
fn normal_share(weight: Weight) -> Weight {
	Weight::from_parts(
		NORMAL_DISPATCH_RATIO.mul_floor(weight.ref_time()),
		NORMAL_DISPATCH_RATIO.mul_floor(weight.proof_size()),
	)
}
/// Largest encoded block: 5 MiB.
const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;
/// Largest number of aura/grandpa authorities.
const MAX_AUTHORITIES: u32 = 32;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: sp_version::RuntimeVersion = VERSION;
	/// The block's and each extrinsic's base weights as measured here (`benchmark overhead`);
	/// the rest as upstream's sensible defaults: a normal class of 75 %, the operational class
	/// with the whole block and the rest reserved for it, 10 % for initialisation on average.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(normal_share(MAXIMUM_BLOCK_WEIGHT));
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT.saturating_sub(normal_share(MAXIMUM_BLOCK_WEIGHT)));
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO.mul_floor(*max)
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

/// The calls signed accounts may dispatch: all but `Revive::batch_map_accounts`, which maps any
/// existing accounts without a deposit and is free when most of them were unmapped — a migration
/// tool for chains that map every account automatically. Here a mapping is paid for by its
/// account (`Revive::map_account`); root may still run the batch.
pub struct SignedCalls;

impl frame_support::traits::Contains<RuntimeCall> for SignedCalls {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Revive(pallet_revive::Call::batch_map_accounts { .. }))
	}
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type BaseCallFilter = SignedCalls;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDB only: reads and writes measured in it here
	/// (`benchmark storage` on a development genesis with 100,000 accounts).
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Aura reads the slot from the timestamp.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// One planck per picosecond of execution, as `IdentityFee` would charge (proof size costs
	/// nothing measurable: a block's proof is unbounded here); the only form the contracts
	/// pallet can convert into Ethereum gas.
	type WeightToFee = pallet_revive::evm::fees::BlockRatioFee<1, 1, Runtime, Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = crate::weights::pallet_sudo::WeightInfo<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}

parameter_types! {
	/// The treasury: receives protocol fees (as credits in the royalty pot, which anyone may pay
	/// out to it with `claim_for`), forfeited contribution stakes and slashed reviewer bonds.
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// Approved local spends are paid at the end of each spend period.
	pub const TreasurySpendPeriod: BlockNumber = DAYS;
	/// A spend approved with `spend` may be paid out for this long.
	pub const TreasuryPayoutPeriod: BlockNumber = 30 * DAYS;
	/// The spend origin may spend anything the treasury holds.
	pub const MaxTreasurySpend: Balance = Balance::MAX;

	/// Covers the dataset record and every member record its curator may add (`MaxMembers`:
	/// a 36-byte key each beyond the hashers, and the roles).
	pub DatasetDeposit: Balance = deposit(
		MAX_DATASET_MEMBERS.saturating_add(1),
		(pallet_data_contribution::Dataset::<Runtime>::max_encoded_len() as u32).saturating_add(
			MAX_DATASET_MEMBERS.saturating_mul(
				(pallet_data_contribution::Membership::max_encoded_len() as u32).saturating_add(36),
			),
		),
	);
	/// Staked per contribution item: forfeited when the contribution is rejected.
	pub const ContributionStakePerItem: Balance = 10 * MILLI_UNIT;
	/// Part of a slash paid to whoever reports the reviewer.
	pub const SlashReward: Perbill = Perbill::from_percent(10);
	pub ContributionDeposit: Balance =
		deposit(1, pallet_data_contribution::Contribution::<Runtime>::max_encoded_len() as u32);
	pub ShareholdingDeposit: Balance =
		deposit(1, pallet_data_contribution::Shareholding::<Runtime>::max_encoded_len() as u32);
	pub TaskDepositBase: Balance =
		deposit(1, pallet_data_contribution::AnnotationTask::<Runtime>::max_encoded_len() as u32);
	pub TaskDepositPerItem: Balance =
		deposit(1, pallet_data_contribution::Slot::<Runtime>::max_encoded_len() as u32);
	/// A reviewer's bond is a real stake, at risk when its reputation falls below the floor.
	pub const MinReviewerBond: Balance = 100 * UNIT;
	/// Each reviewer who revealed a vote on accepted work earns a tenth of the shares it mints.
	pub const ReviewerShare: Perbill = Perbill::from_percent(10);
	/// A slash of a reviewer below the reputation floor takes a tenth of its bond.
	pub const ReviewerSlash: Perbill = Perbill::from_percent(10);
}

/// Most accounts a curator may admit to one dataset (reviewers and requesters).
pub const MAX_DATASET_MEMBERS: u32 = 64;

impl pallet_data_contribution::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Holders are settled in their pools before their shares grow.
	type SharesHook = crate::RoyaltyDistribution;
	type TreasuryAccount = TreasuryAccount;
	type DatasetDeposit = DatasetDeposit;
	type ContributionDeposit = ContributionDeposit;
	type ShareholdingDeposit = ShareholdingDeposit;
	type TaskDepositBase = TaskDepositBase;
	type TaskDepositPerItem = TaskDepositPerItem;
	type MinReviewerBond = MinReviewerBond;
	type MaxNameLength = ConstU32<64>;
	type MaxSchemaLength = ConstU32<64>;
	type MaxLicenseLength = ConstU32<64>;
	// Holders are counted, never iterated: the bound only caps state growth per dataset.
	type MaxHolders = ConstU32<100_000>;
	type MaxPendingContributions = ConstU32<256>;
	type MaxOpenTasks = ConstU32<64>;
	// `close_task` visits every slot: 128 items with full ballots stay well inside a block.
	type MaxItemsPerTask = ConstU32<128>;
	type MaxItemsPerContribution = ConstU32<1_000_000>;
	type MaxQuorum = ConstU32<5>;
	type MaxTaskDuration = ConstU32<{ 30 * DAYS }>;
	type SlotTimeout = ConstU32<HOURS>;
	type ReviewerCooldown = ConstU32<{ 7 * DAYS }>;
	type ReviewerShare = ReviewerShare;
	type InitialReputation = ConstU32<100>;
	type MaxReputation = ConstU32<1_000>;
	type ReputationReward = ConstU32<1>;
	type ReputationPenalty = ConstU32<10>;
	type ReputationFloor = ConstU32<50>;
	type SlashFraction = ReviewerSlash;
	type SlashReward = SlashReward;
	type ContributionStakePerItem = ContributionStakePerItem;
	type ContributionTimeout = ConstU32<{ 30 * DAYS }>;
	type ReviewWindow = ConstU32<{ 7 * DAYS }>;
	type BlocksPerDay = ConstU32<DAYS>;
	type MaxMembers = ConstU32<MAX_DATASET_MEMBERS>;
	type RevealWindow = ConstU32<HOURS>;
	type AcceptanceWindow = ConstU32<{ 2 * DAYS }>;
	// Five seats open ten places, doubling hourly: all 64 members are drawn after three
	// hours, before the chain forgets the seed's block hash (`BlockHashCount`, four hours).
	type DrawWidening = ConstU32<HOURS>;
	type WeightInfo = pallet_data_contribution::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub ModelDeposit: Balance =
		deposit(1, pallet_model_registry::Model::<Runtime>::max_encoded_len() as u32);
	/// A version pays for its record per byte: routes and lineages vary in length.
	pub const VersionDepositBase: Balance = deposit(1, 0);
	pub const VersionDepositPerByte: Balance = deposit(0, 1);
}

impl pallet_model_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = crate::DataContribution;
	type ModelDeposit = ModelDeposit;
	type VersionDepositBase = VersionDepositBase;
	type VersionDepositPerByte = VersionDepositPerByte;
	type MaxNameLength = ConstU32<64>;
	type MaxVersionLabelLength = ConstU32<32>;
	type MaxDatasets = ConstU32<16>;
	type MaxParents = ConstU32<8>;
	type MaxRouteLength = ConstU32<MAX_ROUTE_LENGTH>;
	type MaxVersions = ConstU32<256>;
	// Sudo on the dev and local chains; a council or referenda origin where governance exists.
	type DisputeOrigin = frame_system::EnsureRoot<AccountId>;
	// Enough that freezing someone's royalties for a week is not free, and lost when rejected.
	type DisputeBond = ConstU128<{ 100 * UNIT }>;
	type MaxOpenDisputes = ConstU32<4>;
	type DisputeTimeout = ConstU32<{ 7 * DAYS }>;
	type Treasury = TreasuryAccount;
	type WeightInfo = pallet_model_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelpers;
}

/// Longest royalty route. Distributing a version's revenue credits each entry once: 64
/// entries keep that a small fraction of a block, and hold a chain of 50 fine-tunes by
/// different owners with room for its datasets.
pub const MAX_ROUTE_LENGTH: u32 = 64;

parameter_types! {
	/// The royalty pot: every invocation payment until it is claimed.
	pub const RoyaltyPotId: PalletId = PalletId(*b"py/rylty");
	/// The protocol's part of every model price, for the treasury.
	pub const ProtocolFee: Permill = Permill::from_percent(3);
	pub OfferDeposit: Balance =
		deposit(1, pallet_invocation_metering::Offer::<Runtime>::max_encoded_len() as u32);
	pub ChannelDeposit: Balance =
		deposit(1, pallet_invocation_metering::Channel::<Runtime>::max_encoded_len() as u32);
}

impl pallet_royalty_distribution::Config for Runtime {
	type Currency = Balances;
	type PalletId = RoyaltyPotId;
	type Routes = crate::ModelRegistry;
	type Datasets = crate::DataContribution;
	type MaxClaimPools = ConstU32<16>;
	// Long enough for anyone to distribute a version by hand first, short enough that shares
	// minted meanwhile wait at most minutes to activate.
	type AutoDistributeAfter = ConstU32<{ 10 * MINUTES }>;
	// A cohort per queue wait covers shares minted over the last few waits; older ones are
	// never postponed by newer mints.
	type MaxPendingCohorts = ConstU32<4>;
	type WeightInfo = pallet_royalty_distribution::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelpers;
}

impl pallet_invocation_metering::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = crate::ModelRegistry;
	type Royalties = crate::RoyaltyDistribution;
	type TreasuryAccount = TreasuryAccount;
	type ProtocolFee = ProtocolFee;
	type OfferDeposit = OfferDeposit;
	type MaxEndpointLength = ConstU32<256>;
	type OffchainSignature = crate::Signature;
	type OffchainPublic = <crate::Signature as sp_runtime::traits::Verify>::Signer;
	type ChannelDeposit = ChannelDeposit;
	// An hour for the provider to settle its last voucher once the consumer asks to close.
	type ChallengePeriod = ConstU32<HOURS>;
	type MaxChannelDuration = ConstU32<{ 90 * DAYS }>;
	// Each voucher costs a signature check: 32 stay well inside a block.
	type MaxSettleBatch = ConstU32<32>;
	type UnixTime = crate::Timestamp;
	type WeightInfo = pallet_invocation_metering::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelpers;
}

/// Creates real datasets, share holders and models for the benchmarks of the pallets that
/// build on them.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelpers;

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelpers {
	fn funded(name: &'static str, index: u32) -> AccountId {
		use frame_support::traits::fungible::Mutate;
		let who: AccountId = frame_benchmarking::account(name, index, 0);
		let _ = Balances::mint_into(&who, 1_000 * crate::UNIT);
		who
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_model_registry::BenchmarkHelper for BenchmarkHelpers {
	fn create_dataset(min_model_share: Perbill) -> pallet_model_registry::DatasetId {
		let id = pallet_data_contribution::NextDatasetId::<Runtime>::get();
		let created = crate::DataContribution::create_dataset(
			frame_system::RawOrigin::Signed(Self::funded("curator", 0)).into(),
			Default::default(),
			Default::default(),
			Default::default(),
			Default::default(),
			pallet_data_contribution::DatasetTerms {
				min_model_share,
				shares_per_item: 1,
				contribution_quorum: 1,
			},
		);
		assert!(created.is_ok(), "a funded curator creates a dataset");
		id
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_royalty_distribution::BenchmarkHelper<AccountId> for BenchmarkHelpers {
	fn version_routing_to_datasets(
		length: u32,
	) -> (pallet_model_registry::ModelId, pallet_model_registry::VersionNumber, alloc::vec::Vec<u32>)
	{
		use pallet_model_registry::BenchmarkHelper as _;
		let datasets: alloc::vec::Vec<u32> =
			(0..length).map(|_| Self::create_dataset(Perbill::zero())).collect();
		let holder = Self::funded("holder", 0);
		for dataset in &datasets {
			Self::mint_shares(*dataset, &holder, 1);
		}
		// Equal parts, the first dataset taking what division leaves.
		let each = Perbill::one().deconstruct() / length.max(1);
		let first = Perbill::one().deconstruct() - each * (length.max(1) - 1);
		let route = datasets
			.iter()
			.enumerate()
			.map(|(i, d)| {
				let part = if i == 0 { first } else { each };
				(pallet_model_registry::Beneficiary::Dataset(*d), Perbill::from_parts(part))
			})
			.collect();
		let (model, version) = crate::ModelRegistry::insert_version_for_benchmarks(
			Self::funded("owner", 0),
			crate::UNIT,
			route,
		)
		.expect("a route within the bound");
		(model, version, datasets)
	}

	fn mint_shares(dataset: u32, holder: &AccountId, shares: u128) {
		Self::funded("holder", 0);
		crate::DataContribution::mint_for_benchmarks(dataset, holder, shares)
			.expect("the dataset exists and the holder can pay the deposit");
	}
}

/// The keystore key type of the consumers the benchmarks create.
#[cfg(feature = "runtime-benchmarks")]
const VOUCHER_KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"vouc");

#[cfg(feature = "runtime-benchmarks")]
impl pallet_invocation_metering::BenchmarkHelper<Balance, AccountId, crate::Signature>
	for BenchmarkHelpers
{
	fn new_consumer() -> AccountId {
		use sp_runtime::traits::IdentifyAccount;
		// A fresh sr25519 key in the benchmark's keystore for every consumer.
		let public = sp_io::crypto::sr25519_generate(VOUCHER_KEY_TYPE, None);
		sp_runtime::MultiSigner::from(public).into_account()
	}

	fn sign_as(consumer: &AccountId, payload: &[u8]) -> crate::Signature {
		// An sr25519 account id is its public key.
		let public = sp_core::sr25519::Public::from_raw(*consumer.as_ref());
		sp_io::crypto::sr25519_sign(VOUCHER_KEY_TYPE, &public, payload)
			.expect("new_consumer put the key in the keystore")
			.into()
	}

	/// A model whose route has the most entries allowed, so that `invoke` and `settle` are
	/// measured at the longest route (they never read it: the measurement shows it).
	fn invocable_model(price_per_unit: Balance) -> pallet_model_registry::ModelId {
		let owner = Self::funded("owner", 0);
		let each = Perbill::one().deconstruct() / MAX_ROUTE_LENGTH;
		let first = Perbill::one().deconstruct() - each * (MAX_ROUTE_LENGTH - 1);
		let route = (0..MAX_ROUTE_LENGTH)
			.map(|i| {
				let payee: AccountId = frame_benchmarking::account("payee", i, 0);
				let part = if i == 0 { first } else { each };
				(pallet_model_registry::Beneficiary::Account(payee), Perbill::from_parts(part))
			})
			.collect();
		crate::ModelRegistry::insert_version_for_benchmarks(owner, price_per_unit, route)
			.expect("a route of the maximum length")
			.0
	}
}

/// Protocol income becomes spendable only by `TreasurySpendOrigin`: root, i.e. sudo on the dev and
/// local chains. A chain with on-chain governance (a council or referenda) puts that origin
/// here, as it would for disputes.
pub type TreasurySpendOrigin = frame_system::EnsureRootWithSuccess<AccountId, MaxTreasurySpend>;

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = frame_system::EnsureRoot<AccountId>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = TreasurySpendPeriod;
	type Burn = ();
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = crate::weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<64>;
	type SpendOrigin = TreasurySpendOrigin;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type Paymaster = TreasuryPaymaster;
	type BalanceConverter = frame_support::traits::tokens::UnityAssetBalanceConversion;
	type PayoutPeriod = TreasuryPayoutPeriod;
	type BlockNumberProvider = System;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Pays approved treasury spends from the treasury's account.
pub struct TreasuryPaymaster;

impl frame_support::traits::tokens::Pay for TreasuryPaymaster {
	type Balance = Balance;
	type Beneficiary = AccountId;
	type AssetKind = ();
	type Id = ();
	type Error = sp_runtime::DispatchError;

	/// Keeps the treasury's account alive: a spend of everything it holds would reap it, and
	/// credits below the existential deposit could then not be paid out to it.
	fn pay(who: &AccountId, _: (), amount: Balance) -> Result<(), Self::Error> {
		use frame_support::traits::{fungible::Mutate, tokens::Preservation};
		Balances::transfer(&TreasuryAccount::get(), who, amount, Preservation::Preserve)?;
		Ok(())
	}

	fn check_payment(id: ()) -> frame_support::traits::tokens::PaymentStatus {
		FromTreasury::check_payment(id)
	}

	/// Funds the treasury, and gives the beneficiary its existential deposit: the benchmarks pay
	/// amounts below it to fresh accounts, which the chain refuses to create.
	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_successful(who: &AccountId, asset: (), amount: Balance) {
		use frame_support::traits::fungible::Mutate;
		FromTreasury::ensure_successful(who, asset, amount);
		let _ = Balances::mint_into(who, EXISTENTIAL_DEPOSIT);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_concluded(id: ()) {
		FromTreasury::ensure_concluded(id)
	}
}

type FromTreasury = frame_support::traits::tokens::pay::PayFromAccount<Balances, TreasuryAccount>;
