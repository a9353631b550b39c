//! Types stored by the pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, traits::fungible::Inspect, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

use crate::Config;

pub use tributary_primitives::{ContentHash, DatasetId, Shares};

/// Identifier of a contribution batch.
pub type ContributionId = u64;
/// Identifier of an annotation task.
pub type TaskId = u64;
/// Index of an item inside an annotation task.
pub type ItemIndex = u32;
/// Reviewer reputation points.
pub type Reputation = u32;

/// Balance type of the configured currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Account type of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
use frame_system::pallet_prelude::BlockNumberFor;

/// Descriptive metadata of a dataset; every field is bounded.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct DatasetMetadata<T: Config> {
	/// Human-readable name.
	pub name: BoundedVec<u8, T::MaxNameLength>,
	/// Content hash of the dataset's manifest (the list of item hashes, stored off chain).
	pub manifest_hash: ContentHash,
	/// Schema or modality of the items, e.g. `text/jsonl` or `image/png+bbox`.
	pub schema: BoundedVec<u8, T::MaxSchemaLength>,
	/// License identifier or URI, e.g. `CC-BY-4.0`.
	pub license: BoundedVec<u8, T::MaxLicenseLength>,
}

/// Terms fixed when a dataset is created: they bind every model trained on it.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct DatasetTerms {
	/// The share of a model's royalties that any model declaring this dataset as training data
	/// must route to it.
	pub min_model_share: Perbill,
	/// Shares minted per accepted item (contribution item or annotated item).
	pub shares_per_item: Shares,
	/// Reviewer votes needed to accept or to reject a contribution (the curator may decide alone).
	pub contribution_quorum: u32,
}

/// Rules the curator sets and may change: how much work one account may bring at once and per
/// day. They bound what any contributor or annotator can claim, so that even admitted
/// reviewers who collude can mint only a bounded amount of shares per day.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct DatasetRules {
	/// Most items in one contribution (at most the runtime's `MaxItemsPerContribution`).
	pub max_contribution_items: u32,
	/// Most contribution items one account may submit per day.
	pub contribution_items_per_day: u32,
	/// Most annotation results one account may submit per day.
	pub annotations_per_day: u32,
}

/// What the curator admits an account to do in its dataset.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Role {
	/// Vote on contributions and task items (with a bond registered as a reviewer).
	Reviewer,
	/// Open annotation tasks.
	Requester,
}

/// The roles an admitted account holds in a dataset.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Membership {
	/// May vote on the dataset's contributions and task items.
	pub reviewer: bool,
	/// May open annotation tasks on the dataset.
	pub requester: bool,
}

impl Membership {
	/// Whether the membership includes `role`.
	pub fn has(&self, role: Role) -> bool {
		match role {
			Role::Reviewer => self.reviewer,
			Role::Requester => self.requester,
		}
	}

	/// Grants or withdraws `role`.
	pub fn set(&mut self, role: Role, granted: bool) {
		match role {
			Role::Reviewer => self.reviewer = granted,
			Role::Requester => self.requester = granted,
		}
	}

	/// Whether no role is left.
	pub fn is_empty(&self) -> bool {
		!self.reviewer && !self.requester
	}
}

/// A dataset: a curated pool of items whose contributors share its royalties.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Dataset<T: Config> {
	/// Who curates the dataset and holds its deposit.
	pub curator: AccountIdOf<T>,
	/// An account offered the curatorship, which it may accept.
	pub pending_curator: Option<AccountIdOf<T>>,
	/// Descriptive metadata.
	pub metadata: DatasetMetadata<T>,
	/// Terms binding contributors and models.
	pub terms: DatasetTerms,
	/// Shares minted so far; equals the sum of every holder's shares.
	pub total_shares: Shares,
	/// Accounts holding a share record (possibly zero shares while work is pending).
	pub holders: u32,
	/// Contributions awaiting a decision.
	pub pending_contributions: u32,
	/// Annotation tasks not yet closed.
	pub open_tasks: u32,
	/// Accounts the curator admitted as reviewers or requesters (`Members`).
	pub members: u32,
	/// The curator's rules for contributions and annotations.
	pub rules: DatasetRules,
	/// A frozen dataset accepts no new contributions and no new tasks.
	pub frozen: bool,
	/// The curator's held deposit for this record.
	pub deposit: BalanceOf<T>,
	/// Counts the changes a taker of the curatorship must see: the curator's (metadata, rules,
	/// members, freezing, offers, verdicts, removed share records) and every minting of shares.
	/// Accepting the curatorship names the revision accepted, so a dataset changed after the
	/// taker looked at it (say, with reviewers admitted or shares minted to the curator's own
	/// accounts at the last moment) is not handed over.
	pub revision: u32,
}

impl<T: Config> Dataset<T> {
	/// Records a change a taker must see. Wrapping takes 2³² paid changes, so a revision never
	/// comes back within any offer's lifetime.
	pub(crate) fn revise(&mut self) {
		self.revision = self.revision.wrapping_add(1);
	}
}

/// A holder's shares in a dataset.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Shareholding<T: Config> {
	/// Shares held.
	pub shares: Shares,
	/// Pending work that may mint shares into this record: contributions awaiting a decision,
	/// claimed or submitted item slots, and open reviewer votes. A holding with pending work
	/// cannot be closed.
	pub pending: u32,
	/// The holder's held deposit for this record.
	pub deposit: BalanceOf<T>,
	/// The day (`block / BlocksPerDay`) the counters below count.
	pub day: u32,
	/// Contribution items submitted that day.
	pub contributed_today: u32,
	/// Annotation results submitted that day.
	pub annotated_today: u32,
}

/// The outcome of a ballot.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Verdict {
	/// The work is accepted.
	Accepted,
	/// The work is rejected.
	Rejected,
}

/// A ballot side has `MaxQuorum` votes already (unreachable: reaching the quorum ends a ballot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotFull;

/// Reviewer votes on one piece of work: the first side to reach the quorum decides.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Ballot<T: Config> {
	/// Reviewers who voted to accept.
	pub approvals: BoundedVec<AccountIdOf<T>, T::MaxQuorum>,
	/// Reviewers who voted to reject.
	pub rejections: BoundedVec<AccountIdOf<T>, T::MaxQuorum>,
}

impl<T: Config> Default for Ballot<T> {
	fn default() -> Self {
		Self { approvals: BoundedVec::new(), rejections: BoundedVec::new() }
	}
}

impl<T: Config> Ballot<T> {
	/// Whether `who` has voted already.
	pub fn has_voted(&self, who: &AccountIdOf<T>) -> bool {
		self.approvals.contains(who) || self.rejections.contains(who)
	}

	/// Every voter, approvals first.
	pub fn voters(&self) -> impl Iterator<Item = &AccountIdOf<T>> {
		self.approvals.iter().chain(self.rejections.iter())
	}

	/// Records a vote and returns the verdict once one side reaches `quorum`. The caller
	/// checks `has_voted` first; a side that is already full cannot take another vote because
	/// reaching the quorum ends the ballot.
	pub fn cast(
		&mut self,
		who: AccountIdOf<T>,
		approve: bool,
		quorum: u32,
	) -> Result<Option<Verdict>, BallotFull> {
		let side = if approve { &mut self.approvals } else { &mut self.rejections };
		side.try_push(who).map_err(|_| BallotFull)?;
		let reached = u32::try_from(side.len()).unwrap_or(u32::MAX) >= quorum;
		Ok(match (reached, approve) {
			(false, _) => None,
			(true, true) => Some(Verdict::Accepted),
			(true, false) => Some(Verdict::Rejected),
		})
	}
}

/// A batch of items submitted to a dataset.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Contribution<T: Config> {
	/// The dataset it is submitted to.
	pub dataset: DatasetId,
	/// Who submitted it and receives the shares.
	pub contributor: AccountIdOf<T>,
	/// Content hash of the batch.
	pub content_hash: ContentHash,
	/// Number of items in the batch.
	pub item_count: u32,
	/// Reviewer votes so far.
	pub ballot: Ballot<T>,
	/// The contributor's held deposit for this record, returned whatever the outcome.
	pub deposit: BalanceOf<T>,
	/// The contributor's stake on its items (`ContributionStakePerItem` each), returned on
	/// acceptance, withdrawal or expiry and forfeited to the treasury on rejection.
	pub stake: BalanceOf<T>,
	/// When it was submitted; `ContributionTimeout` blocks later anyone may expire it.
	pub submitted_at: BlockNumberFor<T>,
}

/// An annotation task: `item_count` items to label, paid from a held bounty.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct AnnotationTask<T: Config> {
	/// Who posted the task and funds the bounty.
	pub requester: AccountIdOf<T>,
	/// The dataset the annotations add to.
	pub dataset: DatasetId,
	/// Number of items to annotate.
	pub item_count: u32,
	/// Paid to the annotator of each accepted item.
	pub reward_per_item: BalanceOf<T>,
	/// Paid to each approving reviewer of each accepted item.
	pub reviewer_fee: BalanceOf<T>,
	/// Reviewer votes needed to accept (or to reject) an item.
	pub required_approvals: u32,
	/// After this block no slot may be claimed or submitted, and anyone may close the task.
	pub deadline: BlockNumberFor<T>,
	/// Items with a slot record (claimed, submitted or accepted).
	pub occupied: u32,
	/// Items whose result awaits review: while there are any, the requester may not close the
	/// task, and nobody may before the deadline plus the `ReviewWindow`.
	pub under_review: u32,
	/// Items accepted.
	pub accepted: u32,
	/// Bounty still held from the requester.
	pub remaining_bounty: BalanceOf<T>,
	/// The requester's held deposit for this record and its slot records.
	pub deposit: BalanceOf<T>,
}

/// An item's slot in a task: who works on the item and how far. An item without a slot is free
/// to claim.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum Slot<T: Config> {
	/// An annotator reserved the item and has not submitted yet.
	Claimed {
		/// The annotator.
		annotator: AccountIdOf<T>,
		/// When the claim was made; after `SlotTimeout` blocks anyone may reclaim it.
		claimed_at: BlockNumberFor<T>,
	},
	/// A result awaits review.
	Submitted {
		/// The annotator.
		annotator: AccountIdOf<T>,
		/// Content hash of the annotation.
		result_hash: ContentHash,
		/// Reviewer votes so far.
		ballot: Ballot<T>,
	},
	/// The item was accepted and paid.
	Accepted {
		/// The annotator who was paid.
		annotator: AccountIdOf<T>,
		/// Content hash of the accepted annotation.
		result_hash: ContentHash,
	},
}

/// A registered reviewer.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Reviewer<T: Config> {
	/// Bond held from the reviewer; it also covers this record.
	pub bond: BalanceOf<T>,
	/// Reputation: rises when a vote matches the outcome, falls when it does not.
	pub reputation: Reputation,
	/// Ballots the reviewer voted in that have not reached a verdict.
	pub open_votes: u32,
	/// Set when the reviewer asked to leave: the bond is released from this block on.
	pub unbonding_at: Option<BlockNumberFor<T>>,
}

/// The terms of a task as the requester states them in `open_task`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TaskTerms<Balance, BlockNumber> {
	/// Items to annotate.
	pub item_count: u32,
	/// Paid per accepted item to its annotator.
	pub reward_per_item: Balance,
	/// Paid per accepted item to each approving reviewer.
	pub reviewer_fee: Balance,
	/// Votes that decide an item.
	pub required_approvals: u32,
	/// Last block for claims and submissions.
	pub deadline: BlockNumber,
}
