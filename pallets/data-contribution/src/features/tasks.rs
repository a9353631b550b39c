//! Annotation tasks: a requester opens a task with its bounty held; annotators claim an item's
//! slot and submit a result with a stake; a drawn panel of reviewers votes (sealed, `reviews`);
//! accepted items wait out their acceptance window (`acceptance`), then are paid from the
//! bounty and mint shares; rejected items pay their reviewers from the annotator's stake;
//! closing the task returns what is left.

use crate::{pallet::*, types::*};
use frame_support::BoundedVec;
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
		Self::ensure_quorum(terms.reviewers_per_item)?;
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
			terms.reviewers_per_item >= record.terms.contribution_quorum,
			Error::<T>::QuorumBelowDataset
		);
		ensure!(record.open_tasks < T::MaxOpenTasks::get(), Error::<T>::TooManyOpenTasks);

		let per_item = Self::cost_per_item(
			terms.reward_per_item,
			terms.reviewer_fee,
			terms.reviewers_per_item,
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
				reviewers_per_item: terms.reviewers_per_item,
				deadline: terms.deadline,
				gold: terms.gold.map_or(Gold::None, Gold::Committed),
				occupied: 0,
				under_review: 0,
				awaiting_payment: 0,
				paid: 0,
				disputed: 0,
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
			gold: terms.gold,
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
		ensure!(!Barred::<T>::contains_key(id, &who), Error::<T>::AnnotatorBarred);
		// A revealed gold item's answer is public: nobody may work on it again.
		ensure!(!GoldItems::<T>::contains_key(id, item), Error::<T>::GoldItem);
		let mut record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;

		Self::open_pending(task.dataset, &mut record, &who)?;
		// Claims count against the daily cap, not submissions: one account cannot squat on
		// every slot of a task (a timed-out claim freed and taken again counts again).
		Self::count_daily_work(task.dataset, &who, 1, record.rules.annotations_per_day, false)?;
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
		// The stake pays the reviewers if the result is rejected: junk costs its submitter,
		// not the requester.
		let stake = task
			.reviewer_fee
			.checked_mul(&task.reviewers_per_item.into())
			.ok_or(Error::<T>::BountyOverflow)?;
		Self::hold(HoldReason::AnnotationStake, &who, stake)?;
		let pool = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?.reviewers;
		task.under_review = task.under_review.saturating_add(1);
		Tasks::<T>::insert(id, task);
		let ballot = Ballot::new(frame_system::Pallet::<T>::block_number(), pool);
		Slots::<T>::insert(
			id,
			item,
			Slot::Submitted { annotator: who.clone(), result_hash, stake, ballot },
		);
		Self::deposit_event(Event::ResultSubmitted { task: id, item, annotator: who, result_hash });
		Ok(())
	}

	/// Applies a panel's verdict on an item (from `reviews`). Accepted: the item waits out its
	/// acceptance window for payment. Rejected: each reviewer who revealed is paid its fee from
	/// the annotator's stake, the rest of the stake returns and the item is free again.
	pub(crate) fn conclude_item(
		id: TaskId,
		item: ItemIndex,
		ballot: Ballot<T>,
		verdict: Verdict,
	) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let Some(Slot::Submitted { annotator, result_hash, stake, .. }) = Slots::<T>::get(id, item)
		else {
			return Err(Error::<T>::NotSubmitted.into());
		};
		// Reputation follows paid reviews only: a task that pays reviewers nothing cannot be
		// used to farm it. No-shows are penalised either way.
		let judged = (!task.reviewer_fee.is_zero()).then_some(verdict);
		// An accepted item's revealed reviewers keep their votes open until it is paid,
		// disputed or voided: a later finding may still judge them.
		Self::close_seats(&ballot, judged, true, verdict == Verdict::Accepted);
		task.under_review = task.under_review.saturating_sub(1);
		match verdict {
			Verdict::Accepted => {
				// Seats that never revealed earn nothing and have nothing more to wait for.
				for seat in ballot.seats.iter().filter(|seat| seat.vote.is_none()) {
					Self::close_pending(task.dataset, &seat.reviewer);
				}
				let reviewers: BoundedVec<_, T::MaxQuorum> = ballot
					.revealed()
					.map(|(who, vote)| (who.clone(), vote))
					.collect::<alloc::vec::Vec<_>>()
					.try_into()
					.map_err(|_| Error::<T>::PanelFull)?;
				let payable_at = frame_system::Pallet::<T>::block_number()
					.saturating_add(T::AcceptanceWindow::get());
				task.awaiting_payment = task.awaiting_payment.saturating_add(1);
				Slots::<T>::insert(
					id,
					item,
					Slot::Accepted {
						annotator: annotator.clone(),
						result_hash,
						stake,
						reviewers,
						payable_at,
					},
				);
				Self::deposit_event(Event::ItemAccepted { task: id, item, annotator, payable_at });
			}
			Verdict::Rejected => {
				// Capped at the stake: a result submitted before stakes existed (migrated) has
				// none, and must not take another item's.
				let mut paid = BalanceOf::<T>::zero();
				for (reviewer, _) in ballot.revealed() {
					let fee = task.reviewer_fee.min(stake.saturating_sub(paid));
					Self::pay_from_stake(&annotator, reviewer, fee)?;
					paid = paid.saturating_add(fee);
				}
				Self::release(HoldReason::AnnotationStake, &annotator, stake.saturating_sub(paid));
				for voter in ballot.voters() {
					Self::close_pending(task.dataset, voter);
				}
				Self::close_pending(task.dataset, &annotator);
				// Removing the slot frees the item for another annotator.
				task.occupied = task.occupied.saturating_sub(1);
				Slots::<T>::remove(id, item);
				Self::deposit_event(Event::ItemRejected {
					task: id,
					item,
					annotator,
					paid_to_reviewers: paid,
				});
			}
		}
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
		let mut record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;
		// The curator may clear a task from its dataset (a requester's spam holding the task
		// slots); the bounty and deposit still return to the requester.
		ensure!(
			who == task.requester || who == record.curator || now > task.deadline,
			Error::<T>::NotRequester
		);
		// Delivered results get their review: only once the review window after the deadline
		// has passed may a task with results awaiting a verdict close (voiding them unjudged).
		ensure!(
			task.under_review == 0 || now > task.deadline.saturating_add(T::ReviewWindow::get()),
			Error::<T>::ItemsUnderReview
		);
		// Accepted work is paid (or disputed) first; anyone may pay it once its window ends.
		ensure!(task.awaiting_payment == 0, Error::<T>::ItemsAwaitingPayment);

		let mut removed: u32 = 0;
		// Bounded: a task has at most `MaxItemsPerTask` slots.
		for (_, slot) in Slots::<T>::drain_prefix(id) {
			removed = removed.saturating_add(1);
			match slot {
				Slot::Claimed { annotator, .. } => Self::close_pending(task.dataset, &annotator),
				Slot::Submitted { annotator, ballot, stake, .. } => {
					Self::close_pending(task.dataset, &annotator);
					Self::release(HoldReason::AnnotationStake, &annotator, stake);
					for voter in ballot.voters() {
						Self::close_pending(task.dataset, voter);
					}
					Self::close_seats(&ballot, None, false, false);
				}
				// Paid, disputed and gold items closed their pending entries already; none
				// awaits payment (checked above).
				Slot::Accepted { .. } | Slot::Paid { .. } | Slot::Disputed { .. } | Slot::Gold => {}
			}
		}
		// Bounded: at most one barred annotator and one gold record per item.
		let _ = Barred::<T>::clear_prefix(id, task.item_count, None);
		let _ = GoldItems::<T>::clear_prefix(id, task.item_count, None);
		let refunded = task.remaining_bounty;
		Self::release(HoldReason::TaskBounty, &task.requester, refunded);
		Self::release(HoldReason::TaskDeposit, &task.requester, task.deposit);
		record.open_tasks = record.open_tasks.saturating_sub(1);
		Datasets::<T>::insert(task.dataset, record);
		Tasks::<T>::remove(id);
		Self::deposit_event(Event::TaskClosed { task: id, paid: task.paid, refunded });
		Ok(removed)
	}
}
