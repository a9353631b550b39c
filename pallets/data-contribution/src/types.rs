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
	/// Most task items one account may claim per day (a claim freed and taken again counts
	/// again), so one account cannot squat on a task's slots.
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
	/// Members admitted as reviewers: the pool panels are drawn from.
	pub reviewers: u32,
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

/// A sealed vote: `vote_commitment(work, reviewer, approve, salt)`.
pub type VoteCommitment = sp_core::H256;
/// The secret a reviewer mixes into its vote commitment (or a requester into its gold
/// commitment), so that nobody can guess the sealed value by trying both.
pub type Salt = [u8; 32];

/// Most shares an item may mint (2⁶⁴): even 2³² items a day for a century stay far below the
/// `u128` total a dataset counts, so minting never overflows.
pub const MAX_SHARES_PER_ITEM: Shares = 1 << 64;

/// Domain of vote commitments, so they can never collide with another hash the chain checks.
pub const VOTE_DOMAIN: [u8; 14] = *b"tributary/vote";
/// Domain of gold commitments.
pub const GOLD_DOMAIN: [u8; 14] = *b"tributary/gold";
/// Domain of the reviewer draw.
pub const DRAW_DOMAIN: [u8; 14] = *b"tributary/draw";

/// A piece of work reviewers vote on.
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
pub enum Work {
	/// A pending contribution.
	Contribution(ContributionId),
	/// A task item whose result awaits review.
	Item {
		/// The task.
		task: TaskId,
		/// The item.
		item: ItemIndex,
	},
}

/// The commitment a reviewer publishes with `commit_vote` and opens with `reveal_vote`:
/// `blake2_256(SCALE(VOTE_DOMAIN, work, reviewer, approve, salt))`. Binding the work and the
/// reviewer means a commitment copied from another reviewer or another item never opens.
pub fn vote_commitment<AccountId: Encode>(
	work: &Work,
	reviewer: &AccountId,
	approve: bool,
	salt: &Salt,
) -> VoteCommitment {
	use sp_runtime::traits::Hash;
	sp_runtime::traits::BlakeTwo256::hash(&(VOTE_DOMAIN, work, reviewer, approve, salt).encode())
}

/// The commitment a requester gives `open_task` for its gold items and opens with
/// `reveal_gold`: `blake2_256(SCALE(GOLD_DOMAIN, answers, salt))`, `answers` being the list of
/// `(item, expected result hash)` in the order revealed.
pub fn gold_commitment(answers: &[(ItemIndex, ContentHash)], salt: &Salt) -> VoteCommitment {
	use sp_runtime::traits::Hash;
	sp_runtime::traits::BlakeTwo256::hash(&(GOLD_DOMAIN, answers, salt).encode())
}

/// A reviewer's seat on a ballot: its sealed vote, then the vote it revealed.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Seat<T: Config> {
	/// The seated reviewer.
	pub reviewer: AccountIdOf<T>,
	/// Its sealed vote.
	pub commitment: VoteCommitment,
	/// Its vote once revealed: `true` to accept.
	pub vote: Option<bool>,
}

/// Sealed votes on one piece of work. Drawn reviewers take the panel's seats with sealed
/// votes; once every seat is taken the votes are revealed, and the majority of revealed votes
/// decides (a tie rejects: work must convince).
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Ballot<T: Config> {
	/// The block whose hash draws the reviewers allowed to take a seat (the submission's, or
	/// the block a lapsed ballot restarted in).
	pub opened_at: BlockNumberFor<T>,
	/// The dataset's admitted reviewers when the ballot opened: the draw orders that many, so
	/// admitting or dismissing members once the seed is known does not re-roll it.
	pub pool: u32,
	/// The seats taken so far, in the order reviewers committed.
	pub seats: BoundedVec<Seat<T>, T::MaxQuorum>,
	/// Set when the last seat was taken: votes may be revealed until this block, after which
	/// anyone may conclude the ballot and a seat that did not reveal counts as a no-show.
	pub reveal_until: Option<BlockNumberFor<T>>,
}

impl<T: Config> Ballot<T> {
	/// An empty ballot whose reviewers are drawn, out of `pool`, with the hash of block
	/// `opened_at`.
	pub fn new(opened_at: BlockNumberFor<T>, pool: u32) -> Self {
		Self { opened_at, pool, seats: BoundedVec::new(), reveal_until: None }
	}

	/// Whether `who` holds a seat.
	pub fn is_seated(&self, who: &AccountIdOf<T>) -> bool {
		self.seats.iter().any(|seat| &seat.reviewer == who)
	}

	/// Every seated reviewer.
	pub fn voters(&self) -> impl Iterator<Item = &AccountIdOf<T>> {
		self.seats.iter().map(|seat| &seat.reviewer)
	}

	/// The revealed votes, as `(reviewer, approve)`.
	pub fn revealed(&self) -> impl Iterator<Item = (&AccountIdOf<T>, bool)> {
		self.seats.iter().filter_map(|seat| seat.vote.map(|vote| (&seat.reviewer, vote)))
	}

	/// Whether every seat of a full panel revealed its vote.
	pub fn all_revealed(&self) -> bool {
		self.reveal_until.is_some() && self.seats.iter().all(|seat| seat.vote.is_some())
	}

	/// The verdict of the revealed votes: a strict majority of approvals accepts, anything
	/// else rejects; `None` when nobody revealed.
	pub fn tally(&self) -> Option<Verdict> {
		let (approvals, rejections) = self.revealed().fold((0u32, 0u32), |(a, r), (_, approve)| {
			if approve {
				(a.saturating_add(1), r)
			} else {
				(a, r.saturating_add(1))
			}
		});
		match (approvals, rejections) {
			(0, 0) => None,
			(a, r) if a > r => Some(Verdict::Accepted),
			_ => Some(Verdict::Rejected),
		}
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

/// A requester's gold items: items whose expected results it committed to when opening the
/// task, to test annotators.
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
pub enum Gold {
	/// The task has no gold items.
	None,
	/// The requester committed to its gold answers (`gold_commitment`) and has not revealed
	/// them: accepted items wait for payment until it does or its reveal period ends.
	Committed(VoteCommitment),
	/// The gold answers were revealed and checked.
	Revealed,
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
	/// Paid to each reviewer who revealed a vote on an item, whichever way it voted.
	pub reviewer_fee: BalanceOf<T>,
	/// Seats on each item's panel: the reviewers who vote on it.
	pub reviewers_per_item: u32,
	/// After this block no slot may be claimed or submitted, and anyone may close the task.
	pub deadline: BlockNumberFor<T>,
	/// The requester's gold items.
	pub gold: Gold,
	/// Items with a slot record (claimed, submitted, accepted, paid, disputed or gold).
	pub occupied: u32,
	/// Items whose result awaits review: while there are any, the requester may not close the
	/// task, and nobody may before the deadline plus the `ReviewWindow`.
	pub under_review: u32,
	/// Items accepted and waiting for payment (their acceptance window).
	pub awaiting_payment: u32,
	/// Items paid.
	pub paid: u32,
	/// Accepted items the requester or the curator disputed: their budget left the bounty
	/// without paying the annotator.
	pub disputed: u32,
	/// Bounty still held from the requester: the full cost of every item neither paid nor
	/// disputed.
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
		/// The annotator's stake, `reviewers_per_item × reviewer_fee`: it pays the reviewers
		/// if the result is rejected.
		stake: BalanceOf<T>,
		/// The reviewers' sealed votes.
		ballot: Ballot<T>,
	},
	/// The reviewers accepted the result; it is paid when its acceptance window ends (or
	/// earlier, if the requester or the curator confirms it) unless it is disputed.
	Accepted {
		/// The annotator.
		annotator: AccountIdOf<T>,
		/// Content hash of the accepted annotation.
		result_hash: ContentHash,
		/// The annotator's stake, still held: forfeited if the item is disputed.
		stake: BalanceOf<T>,
		/// The reviewers who revealed, with their votes: each is paid the reviewer fee. Their
		/// votes stay open until the item is paid, disputed or voided, so that a reviewer
		/// cannot leave before a dispute or a gold answer judges it.
		reviewers: BoundedVec<(AccountIdOf<T>, bool), T::MaxQuorum>,
		/// From this block anyone may have the item paid (a task with unrevealed gold items
		/// also waits for the end of the gold reveal period).
		payable_at: BlockNumberFor<T>,
	},
	/// The item was accepted and paid.
	Paid {
		/// The annotator who was paid.
		annotator: AccountIdOf<T>,
		/// Content hash of the accepted annotation.
		result_hash: ContentHash,
	},
	/// The requester or the curator disputed the accepted result: nobody was paid for it but
	/// the reviewers who voted to reject.
	Disputed {
		/// The annotator whose result was disputed.
		annotator: AccountIdOf<T>,
		/// Content hash of the disputed annotation.
		result_hash: ContentHash,
	},
	/// A gold item the requester revealed: its answer is public, so nobody works on it.
	Gold,
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
	/// Reputation: rises when a revealed vote matches the verdict (or a gold answer), falls
	/// when it does not or when the reviewer does not reveal.
	pub reputation: Reputation,
	/// Ballots the reviewer holds a seat in that have not concluded.
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
	/// Paid per reviewed item to each reviewer who revealed a vote.
	pub reviewer_fee: Balance,
	/// Seats on each item's panel.
	pub reviewers_per_item: u32,
	/// Last block for claims and submissions.
	pub deadline: BlockNumber,
	/// The commitment to the gold answers, if the task has gold items.
	pub gold: Option<VoteCommitment>,
}
