//! Annotation tasks: a requester opens a task with its bounty held; annotators claim an item's
//! slot and submit a result; reviewers vote; accepted items are paid from the bounty and mint
//! shares; closing the task returns what is left.

use crate::{pallet::*, types::*};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::Inspect,
		tokens::{Fortitude, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_open_task(
		who: T::AccountId,
		dataset: DatasetId,
		terms: TaskTerms<BalanceOf<T>, BlockNumberFor<T>>,
	) -> DispatchResult {
		ensure!(terms.item_count > 0, Error::<T>::ZeroItems);
		ensure!(terms.item_count <= T::MaxItemsPerTask::get(), Error::<T>::TooManyItems);
		Self::ensure_quorum(terms.required_approvals)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			terms.deadline > now && terms.deadline <= now.saturating_add(T::MaxTaskDuration::get()),
			Error::<T>::InvalidDeadline
		);
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(!record.frozen, Error::<T>::DatasetFrozen);
		ensure!(
			record.curator == who || Self::is_member(dataset, &who, Role::Requester),
			Error::<T>::NotDatasetRequester
		);
		ensure!(
			terms.required_approvals >= record.terms.contribution_quorum,
			Error::<T>::QuorumBelowDataset
		);
		ensure!(record.open_tasks < T::MaxOpenTasks::get(), Error::<T>::TooManyOpenTasks);

		let per_item = Self::cost_per_item(
			terms.reward_per_item,
			terms.reviewer_fee,
			terms.required_approvals,
		)
		.ok_or(Error::<T>::BountyOverflow)?;
		let bounty =
			per_item.checked_mul(&terms.item_count.into()).ok_or(Error::<T>::BountyOverflow)?;
		let deposit = T::TaskDepositPerItem::get()
			.checked_mul(&terms.item_count.into())
			.and_then(|d| d.checked_add(&T::TaskDepositBase::get()))
			.ok_or(Error::<T>::BountyOverflow)?;
		let needed = bounty.checked_add(&deposit).ok_or(Error::<T>::BountyOverflow)?;
		ensure!(
			T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Polite)
				>= needed,
			Error::<T>::InsufficientFunds
		);
		let id = NextTaskId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;

		Self::hold(HoldReason::TaskDeposit, &who, deposit)?;
		Self::hold(HoldReason::TaskBounty, &who, bounty)?;
		record.open_tasks = record.open_tasks.saturating_add(1);
		Datasets::<T>::insert(dataset, record);
		Tasks::<T>::insert(
			id,
			AnnotationTask {
				requester: who.clone(),
				dataset,
				item_count: terms.item_count,
				reward_per_item: terms.reward_per_item,
				reviewer_fee: terms.reviewer_fee,
				required_approvals: terms.required_approvals,
				deadline: terms.deadline,
				occupied: 0,
				under_review: 0,
				accepted: 0,
				remaining_bounty: bounty,
				deposit,
			},
		);
		NextTaskId::<T>::put(next);
		Self::deposit_event(Event::TaskOpened {
			task: id,
			dataset,
			requester: who,
			item_count: terms.item_count,
			bounty,
			deadline: terms.deadline,
		});
		Ok(())
	}

	pub(crate) fn do_claim_slot(who: T::AccountId, id: TaskId, item: ItemIndex) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(item < task.item_count, Error::<T>::UnknownItem);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= task.deadline, Error::<T>::DeadlinePassed);
		ensure!(task.occupied < task.item_count, Error::<T>::TaskFull);
		ensure!(!Slots::<T>::contains_key(id, item), Error::<T>::SlotTaken);
		// A requester annotating its own task would pay itself the bounty and mint itself
		// shares on work it also judges the close of.
		ensure!(task.requester != who, Error::<T>::SelfReview);
		let mut record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;

		Self::open_pending(task.dataset, &mut record, &who)?;
		task.occupied = task.occupied.saturating_add(1);
		Slots::<T>::insert(id, item, Slot::Claimed { annotator: who.clone(), claimed_at: now });
		Datasets::<T>::insert(task.dataset, record);
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::SlotClaimed { task: id, item, annotator: who });
		Ok(())
	}

	pub(crate) fn do_submit_result(
		who: T::AccountId,
		id: TaskId,
		item: ItemIndex,
		result_hash: ContentHash,
	) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(item < task.item_count, Error::<T>::UnknownItem);
		ensure!(
			frame_system::Pallet::<T>::block_number() <= task.deadline,
			Error::<T>::DeadlinePassed
		);
		match Slots::<T>::get(id, item) {
			Some(Slot::Claimed { annotator, .. }) => {
				ensure!(annotator == who, Error::<T>::NotAnnotator);
			}
			_ => return Err(Error::<T>::NotClaimed.into()),
		}
		let rules = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?.rules;
		Self::count_daily_work(task.dataset, &who, 1, rules.annotations_per_day, false)?;
		task.under_review = task.under_review.saturating_add(1);
		Tasks::<T>::insert(id, task);
		Slots::<T>::insert(
			id,
			item,
			Slot::Submitted { annotator: who.clone(), result_hash, ballot: Ballot::default() },
		);
		Self::deposit_event(Event::ResultSubmitted { task: id, item, annotator: who, result_hash });
		Ok(())
	}

	pub(crate) fn do_review_item(
		who: T::AccountId,
		id: TaskId,
		item: ItemIndex,
		approve: bool,
	) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(item < task.item_count, Error::<T>::UnknownItem);
		let Some(Slot::Submitted { annotator, result_hash, mut ballot }) =
			Slots::<T>::get(id, item)
		else {
			return Err(Error::<T>::NotSubmitted.into());
		};
		// The requester judging its own task could approve junk it planted or reject work to
		// keep the bounty.
		ensure!(annotator != who && task.requester != who, Error::<T>::SelfReview);
		ensure!(!ballot.has_voted(&who), Error::<T>::AlreadyVoted);
		let mut record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(
			Self::is_member(task.dataset, &who, Role::Reviewer),
			Error::<T>::NotDatasetReviewer
		);
		let mut reviewer = Self::active_reviewer(&who)?;
		// Reputation follows paid reviews only: a task that pays reviewers nothing cannot be
		// used to farm it.
		let paid_review = !task.reviewer_fee.is_zero();
		let judged = |verdict: Verdict| paid_review.then_some(verdict);

		let verdict = ballot
			.cast(who.clone(), approve, task.required_approvals)
			.map_err(|_| Error::<T>::AlreadyVoted)?;
		Self::open_pending(task.dataset, &mut record, &who)?;
		reviewer.open_votes = reviewer.open_votes.saturating_add(1);
		Reviewers::<T>::insert(&who, reviewer);
		Self::deposit_event(Event::ItemReviewed { task: id, item, reviewer: who, approve });

		match verdict {
			None => {
				Slots::<T>::insert(id, item, Slot::Submitted { annotator, result_hash, ballot });
			}
			Some(Verdict::Accepted) => {
				let shares = record.terms.shares_per_item;
				let reviewer_shares = T::ReviewerShare::get().mul_floor(shares);
				let reward = task.reward_per_item;
				let fee = task.reviewer_fee;
				Self::pay_from_bounty(&mut task, &annotator, reward)?;
				Self::mint(task.dataset, &mut record, &annotator, shares)?;
				for approver in ballot.approvals.iter() {
					Self::pay_from_bounty(&mut task, approver, fee)?;
					Self::mint(task.dataset, &mut record, approver, reviewer_shares)?;
				}
				Self::close_pending(task.dataset, &annotator);
				Self::close_ballot(task.dataset, &ballot, judged(Verdict::Accepted));
				task.accepted = task.accepted.saturating_add(1);
				task.under_review = task.under_review.saturating_sub(1);
				// The slot stays, as accepted, so the item is never claimed or paid again.
				Slots::<T>::insert(
					id,
					item,
					Slot::Accepted { annotator: annotator.clone(), result_hash },
				);
				Self::deposit_event(Event::ItemAccepted {
					task: id,
					item,
					annotator,
					reward,
					annotator_shares: shares,
					reviewer_fee: fee,
					reviewer_shares,
				});
			}
			Some(Verdict::Rejected) => {
				Self::close_pending(task.dataset, &annotator);
				Self::close_ballot(task.dataset, &ballot, judged(Verdict::Rejected));
				// Removing the slot frees the item for another annotator.
				task.occupied = task.occupied.saturating_sub(1);
				task.under_review = task.under_review.saturating_sub(1);
				Slots::<T>::remove(id, item);
				Self::deposit_event(Event::ItemRejected { task: id, item, annotator });
			}
		}
		Datasets::<T>::insert(task.dataset, record);
		Tasks::<T>::insert(id, task);
		Ok(())
	}

	pub(crate) fn do_reclaim_slot(id: TaskId, item: ItemIndex) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(item < task.item_count, Error::<T>::UnknownItem);
		let Some(Slot::Claimed { annotator, claimed_at }) = Slots::<T>::get(id, item) else {
			return Err(Error::<T>::NotClaimed.into());
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now > claimed_at.saturating_add(T::SlotTimeout::get()),
			Error::<T>::ClaimNotExpired
		);
		Self::close_pending(task.dataset, &annotator);
		task.occupied = task.occupied.saturating_sub(1);
		Slots::<T>::remove(id, item);
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::SlotReclaimed { task: id, item, annotator });
		Ok(())
	}

	/// Closes a task and returns the number of slots it removed (for the weight refund).
	pub(crate) fn do_close_task(who: T::AccountId, id: TaskId) -> Result<u32, DispatchError> {
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(who == task.requester || now > task.deadline, Error::<T>::NotRequester);
		// Delivered results get their review: only once the review window after the deadline
		// has passed may a task with results awaiting a verdict close (voiding them unjudged).
		ensure!(
			task.under_review == 0 || now > task.deadline.saturating_add(T::ReviewWindow::get()),
			Error::<T>::ItemsUnderReview
		);
		let mut record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;

		let mut removed: u32 = 0;
		// Bounded: a task has at most `MaxItemsPerTask` slots.
		for (_, slot) in Slots::<T>::drain_prefix(id) {
			removed = removed.saturating_add(1);
			match slot {
				Slot::Claimed { annotator, .. } => Self::close_pending(task.dataset, &annotator),
				Slot::Submitted { annotator, ballot, .. } => {
					Self::close_pending(task.dataset, &annotator);
					Self::close_ballot(task.dataset, &ballot, None);
				}
				// Accepted work closed its pending entries when it was accepted.
				Slot::Accepted { .. } => {}
			}
		}
		let refunded = task.remaining_bounty;
		Self::release(HoldReason::TaskBounty, &task.requester, refunded);
		Self::release(HoldReason::TaskDeposit, &task.requester, task.deposit);
		record.open_tasks = record.open_tasks.saturating_sub(1);
		Datasets::<T>::insert(task.dataset, record);
		Tasks::<T>::remove(id);
		Self::deposit_event(Event::TaskClosed { task: id, accepted: task.accepted, refunded });
		Ok(removed)
	}
}
