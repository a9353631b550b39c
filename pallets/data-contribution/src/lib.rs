//! # Data contribution
//!
//! Datasets, the work that fills them, and the shares that pay that work forever.
//!
//! - A **curator** creates a dataset with its terms: the share of royalties any model trained on
//!   it must route to it (`min_model_share`), the shares minted per accepted item, and the
//!   reviewer quorum for contributions.
//! - **Contributors** submit batches of items; the curator, or a panel of reviewers, accepts
//!   or rejects them. Acceptance mints shares to the contributor.
//! - **Requesters** open annotation tasks with the whole bounty held from their balance. A
//!   task's **items** (indexed from 0) are its units of work: each is annotated, reviewed,
//!   accepted and paid on its own. An item's **slot** records who works on it and how far
//!   (claimed, submitted, accepted, paid, disputed, gold); an item without a slot is free.
//!   Annotators claim an item's slot and submit a result with a stake; a **panel** of bonded
//!   reviewers votes on it, sealed (below). A strict majority of revealed approvals accepts:
//!   after an acceptance window the annotator is paid and receives shares, and every reviewer
//!   who revealed receives the reviewer fee and a fraction of the shares, whichever way it
//!   voted. A rejection pays the reviewers from the annotator's stake and frees the slot, as
//!   does anyone once a claim has waited `SlotTimeout` blocks without a result. Unspent bounty
//!   returns to the requester when the task closes.
//! - Reviewers whose revealed vote goes against the verdict (or a gold answer), or who do not
//!   reveal, lose reputation; below a floor anyone may have part of their bond slashed (and is
//!   paid `SlashReward` of it for reporting).
//!
//! ## Trust model: who mints shares, who reviews, what an attacker pays
//!
//! Shares are the claim on a dataset's royalties forever, so they are minted only with the
//! dataset's own governance:
//! - **Who reviews**: only reviewers the curator admitted to the dataset (`admit_member`), each
//!   also bonded (`register_reviewer`), and for each piece of work only those the **draw**
//!   picks: the hash of the block the work was submitted in orders the admitted reviewers,
//!   and `2 × panel` places open, doubling every `DrawWidening` blocks. Fresh sybil reviewers
//!   vote nowhere; a ring cannot choose to review its own work.
//! - **Sealed votes**: a seated reviewer commits to `vote_commitment(work, reviewer, vote,
//!   salt)`; votes are revealed only once every seat is taken, so nobody copies another's
//!   vote or follows the first. A seat that does not reveal within `RevealWindow` counts as a
//!   no-show: no fee, lost reputation.
//! - **Who opens tasks**: the curator and the requesters it admitted; a task's panel is never
//!   smaller than the dataset's quorum. A requester never reviews or annotates its own task,
//!   and tasks that pay reviewers nothing earn them no reputation.
//! - **Who contributes**: anyone, within the curator's rules (`set_rules`: the largest
//!   contribution and the items one account may submit per day; item claims per day too), with
//!   a stake per item claimed that is forfeited to the treasury if the contribution is
//!   rejected. Junk costs its submitter in proportion to the shares it claims; an annotator's
//!   junk costs it the fees of the reviewers who rejected it.
//! - **Accepted is not yet paid**: for `AcceptanceWindow` blocks the requester or the curator
//!   may dispute an accepted item; the annotator then forfeits its stake and the item's budget
//!   goes to the reviewers who voted to reject and the treasury, never back to the disputer.
//!   Only the requester, whose money pays, may have it paid earlier, and the reviewers' votes
//!   on it (with their bonds) stay open until it is paid or disputed.
//! - **Gold items**: a requester commits to expected results for some items (at most one in
//!   ten) when it opens the task and reveals them later; an annotator whose result differs is barred from the task and
//!   its unpaid items are voided; reviewers' reputations follow the gold answers.
//! - **Delivered work is judged**: a task with results under review stays open until they have
//!   a verdict or the `ReviewWindow` after its deadline has passed, and accepted items are paid
//!   or disputed before it closes.
//! - **Nothing stays locked**: a contribution nobody decides expires after
//!   `ContributionTimeout` (no verdict, no penalty); a ballot whose seats all stay silent
//!   lapses and is drawn again; a reviewer below the floor is slashed before it can leave; the
//!   curator removes idle empty share records that only occupy `MaxHolders`, rejects spam
//!   contributions (forfeiting their stakes) and closes spam tasks.
//!
//! What this does not stop: a curator who admits a ring decides who can be drawn; the author of
//! the block a work is submitted in can steer the draw's seed; reputation is global, so a
//! reviewer may earn it in a dataset it curates (cheaply: contributions pay reviewers no fee,
//! and an accepted one returns its stake) and spend it in another; a slashed reviewer's own second account may report it and recover
//! `SlashReward` of the slash; a requester may commit to gold answers nobody could give and
//! void the unpaid work of every annotator who met one (bounded by the one-in-ten rule, with
//! the failed stakes going to the treasury and the wrong answers public in `GoldFailed`).
//!
//! Every stored object is backed by a deposit held with `fungible::MutateHold` under this
//! pallet's [`HoldReason`], every collection is bounded, and no call iterates over more than a
//! configured bound. Datasets and shares are offered to other pallets through the primitives'
//! `DatasetInspect` and `SharePools`, and the configured `OnSharesMinted` hook lets the royalty
//! distribution settle a holder before its shares grow.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod api;
mod common;
mod events;
mod features;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
pub mod migrations;
pub mod runtime_api;
mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod migration_tests;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod review_ring_tests;
#[cfg(test)]
mod share_trust_tests;
#[cfg(test)]
mod tests;

use frame_support::pallet_macros::import_section;
pub use tributary_primitives::OnSharesMinted;
pub use types::*;
pub use weights::WeightInfo;

// FRAME's storage, error and pallet macros expand to code that calls `expect`; the pallet's own
// logic lives in `features/` and `common/`, where the workspace's no-panic lints apply in full.
#[allow(clippy::expect_used, clippy::unwrap_used)]
#[import_section(events::events_and_errors)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::StaticLookup, Perbill};

	/// Lookup of an account from a call argument.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	/// The in-code storage version: 1 since sealed, drawn reviews (`migrations::MigrateToV1`).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The data contribution pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds. Ordered so that the invariants can key the amounts they
	/// expect by reason.
	#[pallet::composite_enum]
	#[derive(
		Copy,
		Clone,
		PartialEq,
		Eq,
		PartialOrd,
		Ord,
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Debug,
	)]
	pub enum HoldReason {
		/// A curator's deposit for a dataset record.
		#[codec(index = 0)]
		DatasetDeposit,
		/// A contributor's deposit for a pending contribution.
		#[codec(index = 1)]
		ContributionDeposit,
		/// A holder's deposit for its share record in a dataset.
		#[codec(index = 2)]
		ShareholdingDeposit,
		/// A requester's deposit for a task and its item slots.
		#[codec(index = 3)]
		TaskDeposit,
		/// A requester's bounty, paid out to annotators and reviewers item by item.
		#[codec(index = 4)]
		TaskBounty,
		/// A reviewer's bond.
		#[codec(index = 5)]
		ReviewerBond,
		/// An annotator's stake on a submitted result, which pays the reviewers if the result
		/// is rejected and is forfeited if it fails a gold item or is disputed.
		#[codec(index = 6)]
		AnnotationStake,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits, bounties and bonds are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Informed before shares are minted (the royalty distribution settles the holder).
		type SharesHook: OnSharesMinted<Self::AccountId>;

		/// Receives slashed reviewer bonds, forfeited contribution and annotation stakes, and the
		/// budgets of disputed items.
		#[pallet::constant]
		type TreasuryAccount: Get<Self::AccountId>;

		/// Deposit held from a curator per dataset.
		#[pallet::constant]
		type DatasetDeposit: Get<BalanceOf<Self>>;
		/// Deposit held from a contributor per pending contribution.
		#[pallet::constant]
		type ContributionDeposit: Get<BalanceOf<Self>>;
		/// Deposit held from a holder per share record.
		#[pallet::constant]
		type ShareholdingDeposit: Get<BalanceOf<Self>>;
		/// Deposit held from a requester per task.
		#[pallet::constant]
		type TaskDepositBase: Get<BalanceOf<Self>>;
		/// Deposit held from a requester per item of a task (covers the item's slot record).
		#[pallet::constant]
		type TaskDepositPerItem: Get<BalanceOf<Self>>;
		/// Smallest bond a reviewer must hold to vote.
		#[pallet::constant]
		type MinReviewerBond: Get<BalanceOf<Self>>;

		/// Longest dataset name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;
		/// Longest dataset schema, in bytes.
		#[pallet::constant]
		type MaxSchemaLength: Get<u32>;
		/// Longest dataset license, in bytes.
		#[pallet::constant]
		type MaxLicenseLength: Get<u32>;
		/// Most share holders in one dataset.
		#[pallet::constant]
		type MaxHolders: Get<u32>;
		/// Most contributions awaiting a decision in one dataset.
		#[pallet::constant]
		type MaxPendingContributions: Get<u32>;
		/// Most open tasks on one dataset.
		#[pallet::constant]
		type MaxOpenTasks: Get<u32>;
		/// Most items in one task.
		#[pallet::constant]
		type MaxItemsPerTask: Get<u32>;
		/// Most items in one contribution.
		#[pallet::constant]
		type MaxItemsPerContribution: Get<u32>;
		/// Largest reviewer quorum (for contributions and for task items).
		#[pallet::constant]
		type MaxQuorum: Get<u32>;
		/// Longest time between opening a task and its deadline.
		#[pallet::constant]
		type MaxTaskDuration: Get<BlockNumberFor<Self>>;
		/// Blocks a claimed slot may wait for a result before anyone may free it
		/// (`reclaim_slot`).
		#[pallet::constant]
		type SlotTimeout: Get<BlockNumberFor<Self>>;
		/// Blocks between a reviewer's request to leave and the release of its bond.
		#[pallet::constant]
		type ReviewerCooldown: Get<BlockNumberFor<Self>>;

		/// Shares each reviewer who revealed a vote on accepted work receives, as a fraction of
		/// the annotator's (or contributor's) shares.
		#[pallet::constant]
		type ReviewerShare: Get<Perbill>;
		/// A new reviewer's reputation.
		#[pallet::constant]
		type InitialReputation: Get<Reputation>;
		/// Reputation cap.
		#[pallet::constant]
		type MaxReputation: Get<Reputation>;
		/// Reputation gained by a vote that matches the verdict.
		#[pallet::constant]
		type ReputationReward: Get<Reputation>;
		/// Reputation lost by a vote against the verdict.
		#[pallet::constant]
		type ReputationPenalty: Get<Reputation>;
		/// Below this reputation a reviewer may not vote and anyone may trigger a slash.
		#[pallet::constant]
		type ReputationFloor: Get<Reputation>;
		/// Part of the bond a slash takes to the treasury.
		#[pallet::constant]
		type SlashFraction: Get<Perbill>;
		/// Part of a slash paid to whoever triggered it (the rest goes to the treasury), so
		/// that someone has a reason to report a reviewer below the floor.
		#[pallet::constant]
		type SlashReward: Get<Perbill>;

		/// Stake held per contribution item on top of the contribution deposit: returned when
		/// the contribution is accepted, withdrawn or expires, forfeited to the treasury when
		/// it is rejected. Junk costs its submitter in proportion to the shares it claims.
		#[pallet::constant]
		type ContributionStakePerItem: Get<BalanceOf<Self>>;
		/// Blocks after which anyone may expire an undecided contribution: no verdict, no
		/// penalty, every voter's bond free again.
		#[pallet::constant]
		type ContributionTimeout: Get<BlockNumberFor<Self>>;
		/// Blocks after a task's deadline during which results awaiting review keep the task
		/// open, so delivered work gets its verdict.
		#[pallet::constant]
		type ReviewWindow: Get<BlockNumberFor<Self>>;
		/// Blocks in a day, for the curator's daily caps.
		#[pallet::constant]
		type BlocksPerDay: Get<BlockNumberFor<Self>>;
		/// Most accounts a curator may admit (as reviewer, requester or both) in one dataset.
		#[pallet::constant]
		type MaxMembers: Get<u32>;
		/// Blocks a full panel has to reveal its sealed votes; afterwards anyone may conclude
		/// the ballot, and a seat that did not reveal loses reputation.
		#[pallet::constant]
		type RevealWindow: Get<BlockNumberFor<Self>>;
		/// Blocks an accepted item waits before anyone may have it paid, during which the
		/// requester or the curator may dispute it.
		#[pallet::constant]
		type AcceptanceWindow: Get<BlockNumberFor<Self>>;
		/// Blocks after which a ballot's draw doubles the places open to reviewers, so that a
		/// panel fills even when drawn reviewers stay away.
		#[pallet::constant]
		type DrawWidening: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next dataset receives.
	#[pallet::storage]
	pub type NextDatasetId<T> = StorageValue<_, DatasetId, ValueQuery>;

	/// Datasets by id.
	#[pallet::storage]
	pub type Datasets<T: Config> = StorageMap<_, Blake2_128Concat, DatasetId, Dataset<T>>;

	/// Share records: `(dataset, holder) -> holding`.
	#[pallet::storage]
	pub type Shareholdings<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		DatasetId,
		Blake2_128Concat,
		T::AccountId,
		Shareholding<T>,
	>;

	/// The id the next contribution receives.
	#[pallet::storage]
	pub type NextContributionId<T> = StorageValue<_, ContributionId, ValueQuery>;

	/// Contributions awaiting a decision, by id. Decided contributions are removed.
	#[pallet::storage]
	pub type Contributions<T: Config> =
		StorageMap<_, Blake2_128Concat, ContributionId, Contribution<T>>;

	/// The id the next task receives.
	#[pallet::storage]
	pub type NextTaskId<T> = StorageValue<_, TaskId, ValueQuery>;

	/// Open annotation tasks by id. Closed tasks are removed.
	#[pallet::storage]
	pub type Tasks<T: Config> = StorageMap<_, Blake2_128Concat, TaskId, AnnotationTask<T>>;

	/// Item slots of open tasks: `(task, item) -> slot`. A free item has no record.
	#[pallet::storage]
	pub type Slots<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, TaskId, Twox64Concat, ItemIndex, Slot<T>>;

	/// Registered reviewers.
	#[pallet::storage]
	pub type Reviewers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Reviewer<T>>;

	/// Accounts the curator admitted to a dataset: `(dataset, account) -> roles`. Only admitted
	/// reviewers vote on the dataset's work and only admitted requesters (and the curator)
	/// open tasks on it, so nobody mints shares without the dataset's own governance. Bounded
	/// by `MaxMembers` per dataset; the dataset deposit covers the records.
	#[pallet::storage]
	pub type Members<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		DatasetId,
		Blake2_128Concat,
		T::AccountId,
		Membership,
	>;

	/// Annotators barred from a task after failing one of its gold items: `(task, annotator)`.
	/// Bounded by the task's items (one failure each); removed when the task closes, and
	/// covered by the task deposit.
	#[pallet::storage]
	pub type Barred<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Blake2_128Concat, T::AccountId, ()>;

	/// Revealed gold items: `(task, item)`. Nobody may claim one again, since its answer is
	/// public. At most one item in ten of a task; removed when the task closes, and covered by
	/// the task deposit.
	#[pallet::storage]
	pub type GoldItems<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Twox64Concat, ItemIndex, ()>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxQuorum::get() >= 1, "MaxQuorum must be at least 1");
			assert!(T::MaxItemsPerTask::get() >= 1, "MaxItemsPerTask must be at least 1");
			assert!(
				T::ReputationFloor::get() <= T::InitialReputation::get(),
				"a new reviewer must not start below the floor"
			);
			assert!(T::InitialReputation::get() <= T::MaxReputation::get());
			assert!(
				T::MaxMembers::get() >= T::MaxQuorum::get(),
				"a dataset must be able to admit a full quorum of reviewers"
			);
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Create a dataset, holding `DatasetDeposit` from the caller, who becomes its curator.
		///
		/// - `origin`: signed; the curator.
		/// - `name`, `manifest_hash`, `schema`, `license`: descriptive metadata; each text at
		///   most `MaxNameLength`, `MaxSchemaLength` and `MaxLicenseLength` bytes, or the call
		///   fails with `NameTooLong`, `SchemaTooLong` or `LicenseTooLong`.
		/// - `terms`: `min_model_share` owed by models trained on it, `shares_per_item` minted
		///   per accepted item (> 0), `contribution_quorum` reviewer votes that decide a
		///   contribution (1..=`MaxQuorum`). Terms never change. `shares_per_item` is at most
		///   `MAX_SHARES_PER_ITEM` (2⁶⁴).
		#[pallet::call_index(0)]
		pub fn create_dataset(
			origin: OriginFor<T>,
			name: Vec<u8>,
			manifest_hash: ContentHash,
			schema: Vec<u8>,
			license: Vec<u8>,
			terms: DatasetTerms,
		) -> DispatchResult {
			let curator = ensure_signed(origin)?;
			let metadata = DatasetMetadata::bounded(name, manifest_hash, schema, license)?;
			Self::do_create_dataset(curator, metadata, terms)
		}

		/// Replace a dataset's metadata.
		///
		/// - `origin`: signed; the curator.
		/// - `dataset`: the dataset.
		/// - `name`, `manifest_hash`, `schema`, `license`: the new metadata, bounded as in
		///   `create_dataset`.
		#[pallet::call_index(1)]
		pub fn update_dataset_metadata(
			origin: OriginFor<T>,
			dataset: DatasetId,
			name: Vec<u8>,
			manifest_hash: ContentHash,
			schema: Vec<u8>,
			license: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let metadata = DatasetMetadata::bounded(name, manifest_hash, schema, license)?;
			Self::do_update_dataset_metadata(who, dataset, metadata)
		}

		/// Offer the curatorship to another account, or withdraw the offer with `None`. The
		/// offer takes effect when that account calls `accept_curatorship`.
		///
		/// - `origin`: signed; the curator.
		/// - `dataset`: the dataset.
		/// - `new_curator`: the account offered the curatorship, or `None`.
		#[pallet::call_index(2)]
		pub fn offer_curatorship(
			origin: OriginFor<T>,
			dataset: DatasetId,
			new_curator: Option<AccountIdLookupOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_curator = new_curator.map(T::Lookup::lookup).transpose()?;
			Self::do_offer_curatorship(who, dataset, new_curator)
		}

		/// Accept an offered curatorship: the dataset deposit is held from the caller and the
		/// previous curator's is released.
		///
		/// The members the previous curator admitted stay; the caller saw them when it chose
		/// the revision to accept, and may dismiss them.
		///
		/// - `origin`: signed; the account offered the curatorship.
		/// - `dataset`: the dataset.
		/// - `revision`: the dataset's revision the caller accepts (`CuratorshipOffered` gives
		///   it, and the dataset's record holds it); if the curator changed anything since, the
		///   call fails with `OfferChanged`.
		#[pallet::call_index(3)]
		pub fn accept_curatorship(
			origin: OriginFor<T>,
			dataset: DatasetId,
			revision: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_curatorship(who, dataset, revision)
		}

		/// Freeze a dataset for good: no new contributions and no new tasks. Pending work is
		/// still decided.
		///
		/// - `origin`: signed; the curator.
		/// - `dataset`: the dataset.
		#[pallet::call_index(4)]
		pub fn freeze_dataset(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_freeze_dataset(who, dataset)
		}

		/// Submit a batch of items. Holds `ContributionDeposit` (returned on decision) and, if
		/// the caller has no share record in the dataset yet, `ShareholdingDeposit`.
		///
		/// - `origin`: signed; the contributor.
		/// - `dataset`: the dataset.
		/// - `content_hash`: content hash of the batch.
		/// - `item_count`: items in the batch (1..=`MaxItemsPerContribution`).
		#[pallet::call_index(5)]
		pub fn submit_contribution(
			origin: OriginFor<T>,
			dataset: DatasetId,
			content_hash: ContentHash,
			item_count: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_contribution(who, dataset, content_hash, item_count)
		}

		/// Accept or reject a pending contribution as the curator. Reviewers who voted are
		/// judged against this decision.
		///
		/// - `origin`: signed; the dataset's curator.
		/// - `contribution`: the contribution.
		/// - `accept`: `true` mints the shares, `false` rejects.
		#[pallet::call_index(6)]
		pub fn decide_contribution(
			origin: OriginFor<T>,
			contribution: ContributionId,
			accept: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_decide_contribution(who, contribution, accept)
		}

		/// Withdraw a pending contribution and get its deposit back.
		///
		/// - `origin`: signed; the contributor.
		/// - `contribution`: the contribution.
		#[pallet::call_index(8)]
		pub fn withdraw_contribution(
			origin: OriginFor<T>,
			contribution: ContributionId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_contribution(who, contribution)
		}

		/// Open an annotation task. Holds the whole bounty,
		/// `item_count × (reward_per_item + reviewers_per_item × reviewer_fee)`, and the task
		/// deposit, `TaskDepositBase + item_count × TaskDepositPerItem`.
		///
		/// - `origin`: signed; the curator or a requester it admitted.
		/// - `dataset`: the dataset the annotations add to.
		/// - `item_count`: items to annotate (1..=`MaxItemsPerTask`).
		/// - `reward_per_item`: paid to the annotator of each accepted item.
		/// - `reviewer_fee`: paid to each reviewer who reveals a vote on an item, whichever
		///   way it votes (from the annotator's stake when the item is rejected).
		/// - `reviewers_per_item`: seats on each item's panel (the dataset's contribution
		///   quorum..=`MaxQuorum`); a strict majority of revealed votes accepts.
		/// - `deadline`: last block for claims and submissions (at most `MaxTaskDuration` ahead).
		/// - `gold`: `gold_commitment(answers, salt)` if some items are gold items, whose
		///   expected results `reveal_gold` discloses later.
		#[pallet::call_index(9)]
		#[allow(clippy::too_many_arguments)]
		pub fn open_task(
			origin: OriginFor<T>,
			dataset: DatasetId,
			item_count: u32,
			reward_per_item: BalanceOf<T>,
			reviewer_fee: BalanceOf<T>,
			reviewers_per_item: u32,
			deadline: BlockNumberFor<T>,
			gold: Option<VoteCommitment>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let terms = TaskTerms {
				item_count,
				reward_per_item,
				reviewer_fee,
				reviewers_per_item,
				deadline,
				gold,
			};
			Self::do_open_task(who, dataset, terms)
		}

		/// Claim the slot of a free item of a task, until the deadline: only the caller may then
		/// submit the item's result. Holds `ShareholdingDeposit` if the caller has no share
		/// record in the dataset yet.
		///
		/// - `origin`: signed; the annotator.
		/// - `task`: the task.
		/// - `item`: the item index (below the task's item count).
		#[pallet::call_index(10)]
		pub fn claim_slot(origin: OriginFor<T>, task: TaskId, item: ItemIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_slot(who, task, item)
		}

		/// Submit the result for an item whose slot the caller claimed, until the deadline.
		/// Holds the stake `reviewers_per_item × reviewer_fee`, which pays the reviewers if the
		/// result is rejected and is returned otherwise (forfeited if it fails a gold item or
		/// is disputed).
		///
		/// - `origin`: signed; the annotator who claimed the item's slot.
		/// - `task`: the task.
		/// - `item`: the item index.
		/// - `result_hash`: content hash of the annotation.
		#[pallet::call_index(11)]
		pub fn submit_result(
			origin: OriginFor<T>,
			task: TaskId,
			item: ItemIndex,
			result_hash: ContentHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_result(who, task, item, result_hash)
		}

		/// Free the slot of an item claimed more than `SlotTimeout` blocks ago and still without
		/// a result.
		///
		/// - `origin`: signed; anyone.
		/// - `task`: the task.
		/// - `item`: the item index.
		#[pallet::call_index(13)]
		pub fn reclaim_slot(origin: OriginFor<T>, task: TaskId, item: ItemIndex) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_reclaim_slot(task, item)
		}

		/// Close a task: the unspent bounty and the task deposit return to the requester, and
		/// every slot is removed. The requester and the dataset's curator (clearing spam) may
		/// close at any time, anyone else after the deadline; results under review keep it open until the `ReviewWindow` after the
		/// deadline, and accepted items until they are paid or disputed.
		///
		/// - `origin`: signed.
		/// - `task`: the task.
		#[pallet::call_index(14)]
		#[pallet::weight(<T as Config>::WeightInfo::close_task(T::MaxItemsPerTask::get()))]
		pub fn close_task(origin: OriginFor<T>, task: TaskId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let slots = Self::do_close_task(who, task)?;
			Ok(Some(<T as Config>::WeightInfo::close_task(slots)).into())
		}

		/// Register as a reviewer, holding `bond` (at least `MinReviewerBond`).
		///
		/// - `origin`: signed; the reviewer.
		/// - `bond`: the amount to hold.
		#[pallet::call_index(15)]
		pub fn register_reviewer(origin: OriginFor<T>, bond: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_reviewer(who, bond)
		}

		/// Stop reviewing: the bond is released `ReviewerCooldown` blocks later by
		/// `withdraw_reviewer`.
		///
		/// - `origin`: signed; the reviewer.
		#[pallet::call_index(16)]
		pub fn unregister_reviewer(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unregister_reviewer(who)
		}

		/// Release the bond of a reviewer whose cooldown has passed and whose votes are all
		/// decided, and remove its record.
		///
		/// - `origin`: signed; the reviewer.
		#[pallet::call_index(17)]
		pub fn withdraw_reviewer(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_reviewer(who)
		}

		/// Slash `SlashFraction` of the bond of a reviewer whose reputation fell below
		/// `ReputationFloor`: `SlashReward` of it to the caller, the rest to the treasury; the
		/// reviewer's reputation restarts at the initial value.
		///
		/// - `origin`: signed; anyone.
		/// - `reviewer`: the reviewer.
		#[pallet::call_index(18)]
		pub fn slash_reviewer(
			origin: OriginFor<T>,
			reviewer: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			let reviewer = T::Lookup::lookup(reviewer)?;
			Self::do_slash_reviewer(reporter, reviewer)
		}

		/// Close the caller's empty share record in a dataset and release its deposit.
		///
		/// - `origin`: signed; the holder.
		/// - `dataset`: the dataset.
		#[pallet::call_index(19)]
		pub fn close_shareholding(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_shareholding(who, dataset)
		}

		/// Admit an account to a role in the dataset: a reviewer (it also needs a bond, from
		/// `register_reviewer`) votes on the dataset's work; a requester opens tasks on it.
		///
		/// - `origin`: signed; the dataset's curator.
		/// - `dataset`: the dataset.
		/// - `member`: the account admitted.
		/// - `role`: `Reviewer` or `Requester`.
		#[pallet::call_index(20)]
		pub fn admit_member(
			origin: OriginFor<T>,
			dataset: DatasetId,
			member: AccountIdLookupOf<T>,
			role: Role,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let member = T::Lookup::lookup(member)?;
			Self::do_admit_member(who, dataset, member, role)
		}

		/// Withdraw an account's role in the dataset. Votes it already cast still count.
		///
		/// - `origin`: signed; the dataset's curator.
		/// - `dataset`: the dataset.
		/// - `member`: the account.
		/// - `role`: the role withdrawn.
		#[pallet::call_index(21)]
		pub fn dismiss_member(
			origin: OriginFor<T>,
			dataset: DatasetId,
			member: AccountIdLookupOf<T>,
			role: Role,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let member = T::Lookup::lookup(member)?;
			Self::do_dismiss_member(who, dataset, member, role)
		}

		/// Set the dataset's rules: the largest contribution and the daily caps per account.
		///
		/// - `origin`: signed; the dataset's curator.
		/// - `dataset`: the dataset.
		/// - `rules`: every bound positive and within the runtime's (`MaxItemsPerContribution`).
		#[pallet::call_index(22)]
		pub fn set_rules(
			origin: OriginFor<T>,
			dataset: DatasetId,
			rules: DatasetRules,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_rules(who, dataset, rules)
		}

		/// Expire a contribution undecided for `ContributionTimeout` blocks: no verdict and no
		/// penalty; the contributor's deposit and stake are returned and every voter's vote is
		/// closed, so no bond stays locked by work nobody decides.
		///
		/// - `origin`: signed; anyone.
		/// - `contribution`: the contribution.
		#[pallet::call_index(23)]
		pub fn expire_contribution(
			origin: OriginFor<T>,
			contribution: ContributionId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire_contribution(contribution)
		}

		/// Remove a share record with no shares and no pending work, returning its deposit to
		/// its holder: the curator clears records that only occupy the dataset's `MaxHolders`.
		///
		/// - `origin`: signed; the dataset's curator.
		/// - `dataset`: the dataset.
		/// - `holder`: the record's holder.
		#[pallet::call_index(24)]
		pub fn remove_idle_shareholding(
			origin: OriginFor<T>,
			dataset: DatasetId,
			holder: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let holder = T::Lookup::lookup(holder)?;
			Self::do_remove_idle_shareholding(who, dataset, holder)
		}

		/// Take a seat on the panel of a piece of work with a sealed vote,
		/// `vote_commitment(work, caller, approve, salt)`. Holds `ShareholdingDeposit` if the
		/// caller has no share record in the dataset yet.
		///
		/// - `origin`: signed; a reviewer the curator admitted, bonded and active, drawn for
		///   this work (from the block after the work was submitted), other than the
		///   contributor, the annotator or the requester.
		/// - `work`: the contribution or task item.
		/// - `commitment`: the sealed vote. When the last seat is taken, the reveal period of
		///   `RevealWindow` blocks starts.
		#[pallet::call_index(25)]
		pub fn commit_vote(
			origin: OriginFor<T>,
			work: Work,
			commitment: VoteCommitment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_vote(who, work, commitment)
		}

		/// Reveal a sealed vote once the panel is full. When every seat has revealed, the
		/// ballot concludes: a strict majority of approvals accepts, anything else rejects.
		///
		/// - `origin`: signed; a seated reviewer.
		/// - `work`: the contribution or task item.
		/// - `approve`, `salt`: what the commitment sealed.
		#[pallet::call_index(26)]
		#[pallet::weight(
			<T as Config>::WeightInfo::reveal_vote_item()
				.max(<T as Config>::WeightInfo::reveal_vote_contribution())
		)]
		pub fn reveal_vote(
			origin: OriginFor<T>,
			work: Work,
			approve: bool,
			salt: Salt,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_vote(who, work, approve, salt)
		}

		/// Conclude a ballot whose reveal period is over: the revealed votes decide, and seats
		/// that did not reveal lose reputation. If nobody revealed, the ballot starts again
		/// with a new draw.
		///
		/// - `origin`: signed; anyone.
		/// - `work`: the contribution or task item.
		#[pallet::call_index(27)]
		#[pallet::weight(
			<T as Config>::WeightInfo::reveal_vote_item()
				.max(<T as Config>::WeightInfo::reveal_vote_contribution())
		)]
		pub fn conclude_ballot(origin: OriginFor<T>, work: Work) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_conclude_ballot(work)
		}

		/// Pay an accepted item: the annotator its reward and shares, each reviewer who
		/// revealed its fee and `ReviewerShare` of the shares; the fees of seats that did not
		/// reveal and the annotator's stake return.
		///
		/// - `origin`: signed; the requester at any time, anyone once the item's acceptance
		///   window is over (and, for a task with sealed gold items, their reveal period: the
		///   deadline plus `AcceptanceWindow`).
		/// - `task`: the task.
		/// - `item`: the accepted item.
		#[pallet::call_index(28)]
		pub fn pay_item(origin: OriginFor<T>, task: TaskId, item: ItemIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_pay_item(who, task, item)
		}

		/// Dispute an accepted item before it is paid: the annotator is not paid and forfeits
		/// its stake, the reviewers who voted to reject are paid their fee and the rest of the
		/// item's budget goes to the treasury (never back to the disputer).
		///
		/// - `origin`: signed; the task's requester or the dataset's curator.
		/// - `task`: the task.
		/// - `item`: the accepted item, still in its acceptance window.
		#[pallet::call_index(29)]
		pub fn dispute_item(origin: OriginFor<T>, task: TaskId, item: ItemIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_dispute_item(who, task, item)
		}

		/// Reveal the task's gold answers, until the deadline plus `AcceptanceWindow`. Each gold
		/// item becomes unavailable for work; an
		/// annotator whose result on one differs forfeits that item's stake, is barred from
		/// the task, and its unpaid items there are voided (their budget stays in the
		/// bounty); reviewers' reputations follow the gold answers.
		///
		/// - `origin`: signed; the requester.
		/// - `task`: the task.
		/// - `answers`: `(item, expected result hash)` pairs in increasing item order, as
		///   committed in `open_task`; at most one item in ten (at least one) may be gold.
		/// - `salt`: the commitment's salt.
		#[pallet::call_index(30)]
		#[pallet::weight(<T as Config>::WeightInfo::reveal_gold(T::MaxItemsPerTask::get()))]
		pub fn reveal_gold(
			origin: OriginFor<T>,
			task: TaskId,
			answers: Vec<(ItemIndex, ContentHash)>,
			salt: Salt,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let answers: BoundedVec<_, T::MaxItemsPerTask> =
				answers.try_into().map_err(|_| Error::<T>::TooManyItems)?;
			let items = Self::do_reveal_gold(who, task, answers, salt)?;
			Ok(Some(<T as Config>::WeightInfo::reveal_gold(items)).into())
		}
	}
}
