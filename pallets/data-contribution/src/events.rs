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
		/// A reviewer voted on a contribution.
		ContributionReviewed {
			/// The contribution.
			contribution: ContributionId,
			/// The voting reviewer.
			reviewer: T::AccountId,
			/// `true` for a vote to accept, `false` for a vote to reject.
			approve: bool,
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
		/// A reviewer voted on an item.
		ItemReviewed {
			/// The task.
			task: TaskId,
			/// The item.
			item: ItemIndex,
			/// The voting reviewer.
			reviewer: T::AccountId,
			/// `true` for a vote to accept, `false` for a vote to reject.
			approve: bool,
		},
		/// An item was accepted: the annotator and every approving reviewer were paid.
		ItemAccepted {
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
			/// Paid to each approving reviewer from the bounty.
			reviewer_fee: BalanceOf<T>,
			/// Shares minted to each approving reviewer: `ReviewerShare` of `annotator_shares`,
			/// rounded down.
			reviewer_shares: Shares,
		},
		/// An item was rejected and its slot is free to claim again.
		ItemRejected {
			/// The task.
			task: TaskId,
			/// The item.
			item: ItemIndex,
			/// The annotator whose result was rejected.
			annotator: T::AccountId,
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
			/// Items accepted (and paid) over the task's life.
			accepted: u32,
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
		/// The reviewer already voted on this work.
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
		/// A task's required approvals may not be below the dataset's quorum.
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
	}
}
