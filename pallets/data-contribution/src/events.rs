//! The pallet's events and errors, a section of the pallet module (`lib.rs` imports it), kept
//! apart so the declarations in `lib.rs` stay readable.

use frame_support::pallet_macros::pallet_section;

/// Events and errors of the data contribution pallet.
#[pallet_section]
mod events_and_errors {
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A dataset was created.
		DatasetCreated {
			/// The new dataset's id.
			dataset: DatasetId,
			/// Its curator, who holds the dataset deposit.
			curator: T::AccountId,
			/// Its terms, fixed for good.
			terms: DatasetTerms,
		},
		/// A dataset's metadata was replaced.
		DatasetMetadataUpdated {
			/// The dataset.
			dataset: DatasetId,
		},
		/// The curator offered the curatorship to another account (or withdrew the offer).
		CuratorshipOffered {
			/// The dataset.
			dataset: DatasetId,
			/// The account that may now accept the curatorship; `None` withdraws the offer.
			to: Option<T::AccountId>,
			/// The dataset's revision, which `accept_curatorship` names.
			revision: u32,
		},
		/// The curatorship and the dataset deposit moved to a new curator.
		CuratorshipTransferred {
			/// The dataset.
			dataset: DatasetId,
			/// The previous curator, whose dataset deposit was released.
			from: T::AccountId,
			/// The new curator, from whom the dataset deposit is now held.
			to: T::AccountId,
		},
		/// A dataset stopped accepting contributions and tasks.
		DatasetFrozen {
			/// The dataset.
			dataset: DatasetId,
		},
		/// A batch of items was submitted.
		ContributionSubmitted {
			/// The new contribution's id.
			contribution: ContributionId,
			/// The dataset it is submitted to.
			dataset: DatasetId,
			/// Who submitted it and receives the shares if it is accepted.
			contributor: T::AccountId,
			/// Content hash of the batch.
			content_hash: ContentHash,
			/// Items in the batch.
			item_count: u32,
		},
		/// A contribution was accepted and shares minted to its contributor.
		ContributionAccepted {
			/// The contribution, now removed from storage.
			contribution: ContributionId,
			/// Its dataset.
			dataset: DatasetId,
			/// Its contributor.
			contributor: T::AccountId,
			/// Shares minted to the contributor: its items times the dataset's `shares_per_item`.
			shares: Shares,
		},
		/// A contribution was rejected.
		ContributionRejected {
			/// The contribution, now removed from storage.
			contribution: ContributionId,
			/// Its dataset.
			dataset: DatasetId,
			/// Its contributor, whose contribution deposit was released.
			contributor: T::AccountId,
			/// The contributor's stake, forfeited to the treasury.
			forfeited: BalanceOf<T>,
		},
		/// An undecided contribution expired: no verdict, its deposit and stake returned.
		ContributionExpired {
			/// The contribution, now removed from storage.
			contribution: ContributionId,
			/// Its dataset.
			dataset: DatasetId,
			/// Its contributor.
			contributor: T::AccountId,
		},
		/// The curator admitted an account to a role in its dataset.
		MemberAdmitted {
			/// The dataset.
			dataset: DatasetId,
			/// The admitted account.
			member: T::AccountId,
			/// The role it may now take.
			role: Role,
		},
		/// The curator withdrew an account's role in its dataset.
		MemberDismissed {
			/// The dataset.
			dataset: DatasetId,
			/// The account.
			member: T::AccountId,
			/// The role it may no longer take (its votes already cast still count).
			role: Role,
		},
		/// The curator changed its dataset's rules.
		RulesSet {
			/// The dataset.
			dataset: DatasetId,
			/// The rules now in force.
			rules: DatasetRules,
		},
		/// The curator removed an idle, empty share record (spam) and returned its deposit.
		ShareholdingRemoved {
			/// The dataset.
			dataset: DatasetId,
			/// The former holder, whose share record deposit was released.
			holder: T::AccountId,
		},
		/// A contributor withdrew a pending contribution.
		ContributionWithdrawn {
			/// The contribution, now removed from storage.
			contribution: ContributionId,
			/// Its dataset.
			dataset: DatasetId,
			/// Its contributor, whose contribution deposit was released.
			contributor: T::AccountId,
			/// The contributor's stake, forfeited to the treasury: withdrawing is not a way
			/// out of a coming rejection.
			forfeited: BalanceOf<T>,
		},
		/// An annotation task was opened and its bounty held.
		TaskOpened {
			/// The new task's id.
			task: TaskId,
			/// The dataset the annotations add to.
			dataset: DatasetId,
			/// Who opened the task and funds its bounty.
			requester: T::AccountId,
			/// Items to annotate, indexed from 0.
			item_count: u32,
			/// The whole bounty held from the requester: every item's reward and reviewer fees.
			bounty: BalanceOf<T>,
			/// Last block for claims and submissions; after it anyone may close the task.
			deadline: BlockNumberFor<T>,
			/// The commitment to the task's gold answers, if it has gold items.
			gold: Option<VoteCommitment>,
		},
		/// An annotator claimed an item's slot.
		SlotClaimed {
			/// The task.
			task: TaskId,
			/// The item claimed.
			item: ItemIndex,
			/// The annotator, the only account that may submit a result for the item.
			annotator: T::AccountId,
		},
		/// An annotator submitted a result.
		ResultSubmitted {
			/// The task.
			task: TaskId,
			/// The item annotated.
			item: ItemIndex,
			/// The annotator.
			annotator: T::AccountId,
			/// Content hash of the annotation.
			result_hash: ContentHash,
		},
		/// A drawn reviewer took a seat on a panel with a sealed vote.
		VoteCommitted {
			/// The contribution or task item.
			work: Work,
			/// The seated reviewer.
			reviewer: T::AccountId,
			/// Seats taken so far, this one included.
			seats_taken: u32,
			/// Set once the panel is full: the last block at which votes may be revealed.
			reveal_until: Option<BlockNumberFor<T>>,
		},
		/// A seated reviewer revealed its vote.
		VoteRevealed {
			/// The contribution or task item.
			work: Work,
			/// The reviewer.
			reviewer: T::AccountId,
			/// `true` for a vote to accept, `false` for a vote to reject.
			approve: bool,
		},
		/// A ballot's reveal period ended with no vote revealed: its seats lost reputation and
		/// a fresh ballot, drawn anew, started.
		BallotLapsed {
			/// The contribution or task item.
			work: Work,
			/// Seats that did not reveal.
			no_shows: u32,
		},
		/// The panel accepted an item: it is paid once its acceptance window ends, unless the
		/// requester or the curator disputes it.
		ItemAccepted {
			/// The task.
			task: TaskId,
			/// The item.
			item: ItemIndex,
			/// The annotator.
			annotator: T::AccountId,
			/// From this block anyone may have it paid.
			payable_at: BlockNumberFor<T>,
		},
		/// An accepted item was paid and its shares minted.
		ItemPaid {
			/// The task.
			task: TaskId,
			/// The item.
			item: ItemIndex,
			/// The annotator, paid `reward` and minted `annotator_shares`.
			annotator: T::AccountId,
			/// Paid to the annotator from the bounty.
			reward: BalanceOf<T>,
			/// Shares minted to the annotator: the dataset's `shares_per_item`.
			annotator_shares: Shares,
			/// Reviewers who revealed a vote, each paid `reviewer_fee` and minted
			/// `reviewer_shares` whichever way it voted.
			reviewers_paid: u32,
			/// Paid to each of those reviewers from the bounty.
			reviewer_fee: BalanceOf<T>,
			/// Shares minted to each of those reviewers: `ReviewerShare` of
			/// `annotator_shares`, rounded down.
			reviewer_shares: Shares,
			/// The fees of seats that did not reveal, returned to the requester.
			refunded: BalanceOf<T>,
		},
		/// The requester or the curator disputed an accepted item within its window.
		ItemDisputed {
			/// The task.
			task: TaskId,
			/// The item, never paid.
			item: ItemIndex,
			/// The annotator, whose stake was forfeited.
			annotator: T::AccountId,
			/// Who disputed it.
			disputed_by: T::AccountId,
			/// The item's budget, less the fees of reviewers who voted to reject, sent to the
			/// treasury.
			to_treasury: BalanceOf<T>,
			/// The annotator's stake, forfeited to the treasury.
			stake_forfeited: BalanceOf<T>,
		},
		/// The requester revealed the task's gold answers.
		GoldRevealed {
			/// The task.
			task: TaskId,
			/// Gold items revealed.
			gold_items: u32,
			/// Annotators barred for failing one.
			barred: u32,
		},
		/// An annotator's result on a gold item differed from the gold answer: its stake on
		/// the item was forfeited and it is barred from the task.
		GoldFailed {
			/// The task.
			task: TaskId,
			/// The gold item.
			item: ItemIndex,
			/// The annotator.
			annotator: T::AccountId,
			/// The requester's committed answer.
			expected: ContentHash,
			/// The annotator's result.
			submitted: ContentHash,
		},
		/// An unpaid item of a barred annotator was voided: it is free again and its budget
		/// stays in the bounty.
		ItemVoided {
			/// The task.
			task: TaskId,
			/// The item.
			item: ItemIndex,
		},
		/// An item was rejected and its slot is free to claim again.
		ItemRejected {
			/// The task.
			task: TaskId,
			/// The item.
			item: ItemIndex,
			/// The annotator whose result was rejected.
			annotator: T::AccountId,
			/// Paid from the annotator's stake to the reviewers who revealed (the rest of the
			/// stake returned to it).
			paid_to_reviewers: BalanceOf<T>,
		},
		/// A claimed slot that timed out without a result was freed.
		SlotReclaimed {
			/// The task.
			task: TaskId,
			/// The item, free to claim again.
			item: ItemIndex,
			/// The annotator who had claimed it.
			annotator: T::AccountId,
		},
		/// A task was closed: its unspent bounty and its deposit returned to the requester.
		TaskClosed {
			/// The task, now removed from storage with its slots.
			task: TaskId,
			/// Items paid over the task's life.
			paid: u32,
			/// Bounty returned to the requester: the cost of the items not accepted.
			refunded: BalanceOf<T>,
		},
		/// Shares were minted to a holder.
		SharesMinted {
			/// The dataset.
			dataset: DatasetId,
			/// The holder.
			holder: T::AccountId,
			/// Shares minted now.
			shares: Shares,
			/// The dataset's total shares after the mint.
			total: Shares,
		},
		/// A holder closed an empty share record and got its deposit back.
		ShareholdingClosed {
			/// The dataset.
			dataset: DatasetId,
			/// The holder, whose share record deposit was released.
			holder: T::AccountId,
		},
		/// A reviewer registered with a bond.
		ReviewerRegistered {
			/// The reviewer.
			reviewer: T::AccountId,
			/// The bond held from it.
			bond: BalanceOf<T>,
		},
		/// A reviewer asked to leave; its bond is released from `unlock_at`.
		ReviewerUnbonding {
			/// The reviewer, who may no longer vote.
			reviewer: T::AccountId,
			/// First block at which `withdraw_reviewer` may release the bond (once every vote
			/// of the reviewer is decided).
			unlock_at: BlockNumberFor<T>,
		},
		/// A reviewer left and its bond was released.
		ReviewerWithdrawn {
			/// The former reviewer, whose record was removed.
			reviewer: T::AccountId,
			/// The bond released.
			bond: BalanceOf<T>,
		},
		/// A reviewer's reputation changed after a verdict.
		ReputationChanged {
			/// The reviewer.
			reviewer: T::AccountId,
			/// Its reputation now.
			reputation: Reputation,
		},
		/// Part of a reviewer's bond was slashed to the treasury.
		ReviewerSlashed {
			/// The reviewer, whose reputation restarts at `InitialReputation`.
			reviewer: T::AccountId,
			/// Taken from the bond in all: the reporter's reward plus the treasury's part.
			amount: BalanceOf<T>,
			/// Who triggered the slash (the reviewer itself when it withdrew below the floor).
			reporter: T::AccountId,
			/// The reporter's part of `amount` (`SlashReward`); the rest went to the treasury.
			reporter_reward: BalanceOf<T>,
			/// The bond still held.
			remaining_bond: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No dataset has this id.
		UnknownDataset,
		/// No pending contribution has this id.
		UnknownContribution,
		/// No open task has this id.
		UnknownTask,
		/// The item index is not below the task's item count.
		UnknownItem,
		/// The account is not a registered reviewer.
		NotReviewer,
		/// Only the dataset's curator may do this.
		NotCurator,
		/// Only the account offered the curatorship may accept it.
		NotPendingCurator,
		/// Only the contributor may do this.
		NotContributor,
		/// Only the task's requester may do this (before the deadline).
		NotRequester,
		/// Only the annotator who claimed the item's slot may do this.
		NotAnnotator,
		/// The dataset is frozen: no new contributions or tasks.
		DatasetFrozen,
		/// The dataset is already frozen.
		AlreadyFrozen,
		/// The dataset has as many share holders as allowed.
		TooManyHolders,
		/// The dataset has as many pending contributions as allowed.
		TooManyPendingContributions,
		/// The dataset has as many open tasks as allowed.
		TooManyOpenTasks,
		/// A contribution or a task must have at least one item.
		ZeroItems,
		/// More items than a contribution or a task may have.
		TooManyItems,
		/// Shares per item must be positive.
		ZeroSharesPerItem,
		/// Shares per item above `MAX_SHARES_PER_ITEM` (2⁶⁴).
		TooManySharesPerItem,
		/// A quorum must be at least one and at most `MaxQuorum`.
		InvalidQuorum,
		/// The deadline is not in the future or is further than `MaxTaskDuration`.
		InvalidDeadline,
		/// The bounty does not fit the balance type.
		BountyOverflow,
		/// The bounty and the deposit exceed the requester's free balance.
		InsufficientFunds,
		/// The item's slot is taken: claimed, awaiting review or accepted.
		SlotTaken,
		/// Every item's slot in the task is taken (claimed, awaiting review or accepted).
		TaskFull,
		/// The task's deadline has passed.
		DeadlinePassed,
		/// The item's slot is not claimed and waiting for a result.
		NotClaimed,
		/// The item has no result awaiting review.
		NotSubmitted,
		/// The claim has not timed out yet.
		ClaimNotExpired,
		/// The reviewer already holds a seat on this work.
		AlreadyVoted,
		/// Nobody may review their own work, and a requester may not work on its own task.
		SelfReview,
		/// The reviewer's bond is below the minimum, its reputation below the floor, or it is
		/// leaving.
		ReviewerInactive,
		/// The account is already a registered reviewer.
		AlreadyReviewer,
		/// The bond is below `MinReviewerBond`.
		BondTooLow,
		/// The reviewer already asked to leave.
		AlreadyUnbonding,
		/// The reviewer has not asked to leave.
		NotUnbonding,
		/// The cooldown has not passed yet.
		CooldownNotOver,
		/// The reviewer still has votes in undecided ballots.
		OpenVotes,
		/// The reviewer's reputation is not below the floor.
		ReputationAboveFloor,
		/// The reviewer has no bond left to slash.
		NothingToSlash,
		/// The account holds no share record in this dataset.
		NoShareholding,
		/// The share record still holds shares or has pending work.
		ShareholdingInUse,
		/// Minting would overflow the share counters.
		SharesOverflow,
		/// A counter that cannot be exhausted in practice was exhausted.
		CounterOverflow,
		/// Only reviewers the curator admitted to the dataset may vote on its work.
		NotDatasetReviewer,
		/// Only the curator and requesters it admitted may open tasks on the dataset.
		NotDatasetRequester,
		/// The account already holds that role in the dataset.
		AlreadyMember,
		/// The account does not hold that role in the dataset.
		NotMember,
		/// The dataset has as many members as allowed.
		TooManyMembers,
		/// A task's panel may not be smaller than the dataset's contribution quorum.
		QuorumBelowDataset,
		/// The rules exceed the runtime's bounds or allow nothing.
		InvalidRules,
		/// The account reached the dataset's daily cap for this kind of work.
		DailyCapReached,
		/// Results await review: the task stays open until they have a verdict (or the review
		/// window after the deadline has passed).
		ItemsUnderReview,
		/// The contribution has not been pending for `ContributionTimeout` blocks yet.
		ContributionNotExpired,
		/// The name is longer than `MaxNameLength` bytes.
		NameTooLong,
		/// The schema is longer than `MaxSchemaLength` bytes.
		SchemaTooLong,
		/// The license is longer than `MaxLicenseLength` bytes.
		LicenseTooLong,
		/// The dataset changed after the revision the caller accepts.
		OfferChanged,
		/// Seats on this work open from the block after it was submitted (whose hash draws
		/// the reviewers).
		DrawPending,
		/// The draw did not pick this reviewer for this work (yet: the places double every
		/// `DrawWidening` blocks).
		NotDrawn,
		/// Every seat on the panel is taken.
		PanelFull,
		/// Votes are revealed only once every seat is taken.
		RevealNotOpen,
		/// The reveal period is over.
		RevealPeriodOver,
		/// The reveal period is not over yet.
		RevealPeriodNotOver,
		/// The caller holds no seat on this ballot.
		NotSeated,
		/// The caller revealed its vote already.
		AlreadyRevealed,
		/// The vote and salt do not open the caller's commitment.
		CommitmentMismatch,
		/// The item is not accepted and awaiting payment.
		NotAccepted,
		/// Only the requester or the curator may pay an item before its acceptance window
		/// (and the reveal period of sealed gold items) is over.
		NotPayableYet,
		/// Only the task's requester or the dataset's curator may dispute an item.
		NotRequesterOrCurator,
		/// The item's acceptance window is over: it may no longer be disputed.
		DisputeWindowClosed,
		/// The task has no sealed gold answers to reveal.
		NoGoldCommitted,
		/// The answers and salt do not open the task's gold commitment.
		GoldMismatch,
		/// The annotator failed a gold item of this task and may not work on it.
		AnnotatorBarred,
		/// Accepted items await payment or a dispute: the task stays open until then.
		ItemsAwaitingPayment,
		/// More gold answers than a task may have: one item in ten, at least one.
		TooManyGoldItems,
		/// Gold answers are revealed until the task's deadline plus one acceptance window.
		GoldRevealPeriodOver,
		/// The item is a revealed gold item: its answer is public, so nobody works on it.
		GoldItem,
		/// Gold answers list distinct items in increasing order.
		GoldAnswersNotSorted,
	}
}
