//! After the panel: an accepted item waits out its acceptance window, during which the
//! requester or the curator may dispute it, and is then paid. Gold items test annotators: the
//! requester commits to their answers when opening the task and reveals them later; an
//! annotator whose result differs is barred from the task and its unpaid items are voided.
//!
//! Disputes cost the disputer what it would have paid: a disputed item's budget goes to the
//! reviewers who voted to reject and the treasury, never back to the requester, so disputing
//! honest work gains nothing. Gold answers, committed before any work was seen, are the only
//! way an item's budget returns to the requester.

use crate::{pallet::*, types::*};
use alloc::collections::btree_set::BTreeSet;
use frame_support::{defensive, pallet_prelude::*};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_pay_item(who: T::AccountId, id: TaskId, item: ItemIndex) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let Some(Slot::Accepted { annotator, result_hash, stake, reviewers, payable_at }) =
			Slots::<T>::get(id, item)
		else {
			return Err(Error::<T>::NotAccepted.into());
		};
		let mut record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;
		// The requester and the curator, who could dispute, may confirm early.
		ensure!(
			who == task.requester
				|| who == record.curator
				|| Self::open_to_anyone(&task, payable_at),
			Error::<T>::NotPayableYet
		);

		let shares = record.terms.shares_per_item;
		let reviewer_shares = T::ReviewerShare::get().mul_floor(shares);
		let reward = task.reward_per_item;
		let fee = task.reviewer_fee;
		Self::pay_from_bounty(&mut task, &annotator, reward)?;
		Self::mint(task.dataset, &mut record, &annotator, shares)?;
		Self::close_pending(task.dataset, &annotator);
		for (reviewer, _) in reviewers.iter() {
			Self::pay_from_bounty(&mut task, reviewer, fee)?;
			Self::mint(task.dataset, &mut record, reviewer, reviewer_shares)?;
			Self::close_pending(task.dataset, reviewer);
		}
		// The fees of seats that never revealed return to the requester: the item's whole
		// budget leaves the bounty.
		let unrevealed = task.reviewers_per_item.saturating_sub(reviewers.len() as u32);
		let refunded = fee.saturating_mul(unrevealed.into());
		Self::release(HoldReason::TaskBounty, &task.requester, refunded);
		task.remaining_bounty = task.remaining_bounty.saturating_sub(refunded);
		Self::release(HoldReason::AnnotationStake, &annotator, stake);

		task.awaiting_payment = task.awaiting_payment.saturating_sub(1);
		task.paid = task.paid.saturating_add(1);
		Slots::<T>::insert(id, item, Slot::Paid { annotator: annotator.clone(), result_hash });
		Datasets::<T>::insert(task.dataset, record);
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::ItemPaid {
			task: id,
			item,
			annotator,
			reward,
			annotator_shares: shares,
			reviewers_paid: reviewers.len() as u32,
			reviewer_fee: fee,
			reviewer_shares,
			refunded,
		});
		Ok(())
	}

	pub(crate) fn do_dispute_item(
		who: T::AccountId,
		id: TaskId,
		item: ItemIndex,
	) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let Some(Slot::Accepted { annotator, result_hash, stake, reviewers, payable_at }) =
			Slots::<T>::get(id, item)
		else {
			return Err(Error::<T>::NotAccepted.into());
		};
		let record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(who == task.requester || who == record.curator, Error::<T>::NotRequesterOrCurator);
		ensure!(!Self::open_to_anyone(&task, payable_at), Error::<T>::DisputeWindowClosed);

		let fee = task.reviewer_fee;
		let budget = Self::cost_per_item(task.reward_per_item, fee, task.reviewers_per_item)
			.ok_or(Error::<T>::BountyOverflow)?;
		let mut spent = BalanceOf::<T>::zero();
		for (reviewer, approved) in reviewers.iter() {
			// The dispute overturns the acceptance: those who voted to reject were right.
			if !approved {
				Self::pay_from_bounty(&mut task, reviewer, fee)?;
				spent = spent.saturating_add(fee);
			}
			if !fee.is_zero() {
				Self::rejudge(reviewer, !approved);
			}
			Self::close_pending(task.dataset, reviewer);
		}
		let treasury = T::TreasuryAccount::get();
		let to_treasury = budget.saturating_sub(spent);
		Self::pay_from_bounty(&mut task, &treasury, to_treasury)?;
		let forfeited = Self::forfeit_annotation_stake(&annotator, stake)?;
		Self::close_pending(task.dataset, &annotator);

		task.awaiting_payment = task.awaiting_payment.saturating_sub(1);
		task.disputed = task.disputed.saturating_add(1);
		Slots::<T>::insert(id, item, Slot::Disputed { annotator: annotator.clone(), result_hash });
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::ItemDisputed {
			task: id,
			item,
			annotator,
			disputed_by: who,
			to_treasury,
			stake_forfeited: forfeited,
		});
		Ok(())
	}

	/// The most gold items a task of `item_count` items may reveal: one in ten, at least one.
	pub(crate) fn max_gold_items(item_count: u32) -> u32 {
		(item_count / 10).max(1)
	}

	/// Reveals a task's gold answers and returns the task's item count, which bounds the
	/// slots visited (for the weight refund).
	pub(crate) fn do_reveal_gold(
		who: T::AccountId,
		id: TaskId,
		answers: BoundedVec<(ItemIndex, ContentHash), T::MaxItemsPerTask>,
		salt: Salt,
	) -> Result<u32, DispatchError> {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(who == task.requester, Error::<T>::NotRequester);
		let Gold::Committed(commitment) = task.gold else {
			return Err(Error::<T>::NoGoldCommitted.into());
		};
		ensure!(gold_commitment(&answers, &salt) == commitment, Error::<T>::GoldMismatch);
		// Gold items test annotators; they are not a way to void a task's work. At most one
		// item in ten (at least one) may be gold, which bounds what a requester committing to
		// answers nobody could give (to bar every annotator and take its budget back) can void.
		ensure!(
			answers.len() <= Self::max_gold_items(task.item_count) as usize,
			Error::<T>::TooManyGoldItems
		);
		ensure!(answers.iter().all(|(item, _)| *item < task.item_count), Error::<T>::UnknownItem);

		// As for verdicts, reputation moves only on tasks that pay their reviewers.
		let paid_review = !task.reviewer_fee.is_zero();
		let mut failed: BTreeSet<T::AccountId> = BTreeSet::new();
		for (item, expected) in answers.iter() {
			let item = *item;
			match Slots::<T>::get(id, item) {
				None => task.occupied = task.occupied.saturating_add(1),
				Some(Slot::Claimed { annotator, .. }) => {
					Self::close_pending(task.dataset, &annotator);
				}
				Some(Slot::Submitted { annotator, result_hash, stake, ballot }) => {
					if result_hash == *expected {
						continue;
					}
					// Revealed votes are judged against the gold answer: rejecting was right.
					Self::close_seats(&ballot, paid_review.then_some(Verdict::Rejected), false);
					for voter in ballot.voters() {
						Self::close_pending(task.dataset, voter);
					}
					Self::forfeit_annotation_stake(&annotator, stake)?;
					Self::close_pending(task.dataset, &annotator);
					task.under_review = task.under_review.saturating_sub(1);
					Self::deposit_event(Event::GoldFailed {
						task: id,
						item,
						annotator: annotator.clone(),
						expected: *expected,
						submitted: result_hash,
					});
					failed.insert(annotator);
				}
				Some(Slot::Accepted { annotator, result_hash, stake, reviewers, .. }) => {
					if result_hash == *expected {
						continue;
					}
					for (reviewer, approved) in reviewers.iter() {
						if paid_review {
							Self::rejudge(reviewer, !approved);
						}
						Self::close_pending(task.dataset, reviewer);
					}
					Self::forfeit_annotation_stake(&annotator, stake)?;
					Self::close_pending(task.dataset, &annotator);
					task.awaiting_payment = task.awaiting_payment.saturating_sub(1);
					Self::deposit_event(Event::GoldFailed {
						task: id,
						item,
						annotator: annotator.clone(),
						expected: *expected,
						submitted: result_hash,
					});
					failed.insert(annotator);
				}
				// Paid, disputed or gold already: nothing left to test.
				Some(_) => continue,
			}
			// Its answer is public now: nobody may work on (or be paid for) a gold item.
			Slots::<T>::insert(id, item, Slot::Gold);
		}
		task.gold = Gold::Revealed;

		// One pass over the task's slots voids every unpaid item of the barred annotators.
		let item_count = task.item_count;
		if !failed.is_empty() {
			let slots: alloc::vec::Vec<_> = Slots::<T>::iter_prefix(id).collect();
			for (item, slot) in slots {
				Self::void_if_barred(&mut task, id, item, slot, &failed)?;
			}
			for annotator in failed.iter() {
				Barred::<T>::insert(id, annotator, ());
			}
		}
		Self::deposit_event(Event::GoldRevealed {
			task: id,
			gold_items: answers.len() as u32,
			barred: failed.len() as u32,
		});
		Tasks::<T>::insert(id, task);
		Ok(item_count)
	}

	/// Voids `slot` if a barred annotator holds it unpaid: the item is free again, the
	/// annotator's stake returns (only a failed gold item forfeits it) and the item's budget
	/// stays in the bounty.
	fn void_if_barred(
		task: &mut AnnotationTask<T>,
		id: TaskId,
		item: ItemIndex,
		slot: Slot<T>,
		barred: &BTreeSet<T::AccountId>,
	) -> DispatchResult {
		match slot {
			Slot::Claimed { annotator, .. } if barred.contains(&annotator) => {
				Self::close_pending(task.dataset, &annotator);
			}
			Slot::Submitted { annotator, stake, ballot, .. } if barred.contains(&annotator) => {
				Self::close_seats(&ballot, None, false);
				for voter in ballot.voters() {
					Self::close_pending(task.dataset, voter);
				}
				Self::release(HoldReason::AnnotationStake, &annotator, stake);
				Self::close_pending(task.dataset, &annotator);
				task.under_review = task.under_review.saturating_sub(1);
			}
			Slot::Accepted { annotator, stake, reviewers, .. } if barred.contains(&annotator) => {
				for (reviewer, _) in reviewers.iter() {
					Self::close_pending(task.dataset, reviewer);
				}
				Self::release(HoldReason::AnnotationStake, &annotator, stake);
				Self::close_pending(task.dataset, &annotator);
				task.awaiting_payment = task.awaiting_payment.saturating_sub(1);
			}
			_ => return Ok(()),
		}
		task.occupied = task.occupied.saturating_sub(1);
		Slots::<T>::remove(id, item);
		Self::deposit_event(Event::ItemVoided { task: id, item });
		Ok(())
	}

	/// Whether anyone may have an item accepted with `payable_at` paid now: its window is over
	/// and, if the task has gold items still sealed, so is their reveal period (the deadline
	/// plus one acceptance window), so that a gold answer can still void it.
	pub(crate) fn open_to_anyone(task: &AnnotationTask<T>, payable_at: BlockNumberFor<T>) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		let gold_sealed = matches!(task.gold, Gold::Committed(_))
			&& now <= task.deadline.saturating_add(T::AcceptanceWindow::get());
		now >= payable_at && !gold_sealed
	}

	/// Moves a failed or disputed annotator's stake to the treasury.
	fn forfeit_annotation_stake(
		annotator: &T::AccountId,
		stake: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		if stake.is_zero() {
			return Ok(stake);
		}
		Self::transfer_held(
			HoldReason::AnnotationStake,
			annotator,
			&T::TreasuryAccount::get(),
			stake,
		)
		.inspect_err(|_| {
			defensive!("an annotation stake this pallet placed is missing");
		})
	}
}

use frame_system::pallet_prelude::BlockNumberFor;
