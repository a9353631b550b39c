//! After the panel: an accepted item waits out its acceptance window, during which the
//! requester or the curator may dispute it, and is then paid. Gold items test annotators: the
//! requester commits to their answers when opening the task and reveals them (until the
//! deadline plus one acceptance window); an annotator whose result differs is barred from the
//! task and its unpaid items are voided.
//!
//! Disputes cost the disputer what it would have paid: a disputed item's budget goes to the
//! reviewers who voted to reject and the treasury, never back to the requester, so disputing
//! honest work gains nothing. Gold answers, committed before any work was seen, are the only
//! way an item's budget returns to the requester.

use crate::{common::ballots::Judgement, pallet::*, types::*};
use alloc::collections::btree_set::BTreeSet;
use frame_support::{defensive, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

/// What an accepted item carries until it is paid, disputed or voided.
struct AcceptedItem<T: Config> {
	annotator: T::AccountId,
	result_hash: ContentHash,
	stake: BalanceOf<T>,
	reviewers: BoundedVec<(T::AccountId, bool), T::MaxQuorum>,
	payable_at: BlockNumberFor<T>,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_pay_item(who: T::AccountId, id: TaskId, item: ItemIndex) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let accepted = Self::accepted(id, item)?;
		let mut record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;
		// The requester, whose money pays and whose defences (disputes, gold answers) this
		// ends, may confirm early; anyone else waits for the window (the curator too: it could
		// otherwise pay work of its own past the requester).
		ensure!(
			who == task.requester || Self::open_to_anyone(&task, accepted.payable_at),
			Error::<T>::NotPayableYet
		);

		let shares = record.terms.shares_per_item;
		let reviewer_shares = T::ReviewerShare::get().mul_floor(shares);
		let reward = task.reward_per_item;
		let fee = task.reviewer_fee;
		let annotator = accepted.annotator;
		Self::pay_from_bounty(&mut task, &annotator, reward)?;
		Self::mint(task.dataset, &mut record, &annotator, shares)?;
		Self::close_pending(task.dataset, &annotator);
		for (reviewer, _) in accepted.reviewers.iter() {
			Self::pay_from_bounty(&mut task, reviewer, fee)?;
			Self::mint(task.dataset, &mut record, reviewer, reviewer_shares)?;
			Self::close_pending(task.dataset, reviewer);
			Self::judge_vote(reviewer, Judgement::None, true);
		}
		// The fees of seats that never revealed return to the requester: the item's whole
		// budget leaves the bounty.
		let revealed = u32::try_from(accepted.reviewers.len()).unwrap_or(u32::MAX);
		let unrevealed = task.reviewers_per_item.saturating_sub(revealed);
		let refunded = fee.saturating_mul(unrevealed.into());
		Self::release(HoldReason::TaskBounty, &task.requester, refunded);
		task.remaining_bounty = task.remaining_bounty.saturating_sub(refunded);
		Self::release(HoldReason::AnnotationStake, &annotator, accepted.stake);

		task.awaiting_payment = task.awaiting_payment.saturating_sub(1);
		task.paid = task.paid.saturating_add(1);
		let result_hash = accepted.result_hash;
		Slots::<T>::insert(id, item, Slot::Paid { annotator: annotator.clone(), result_hash });
		Datasets::<T>::insert(task.dataset, record);
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::ItemPaid {
			task: id,
			item,
			annotator,
			reward,
			annotator_shares: shares,
			reviewers_paid: revealed,
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
		let accepted = Self::accepted(id, item)?;
		let record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(who == task.requester || who == record.curator, Error::<T>::NotRequesterOrCurator);
		ensure!(!Self::open_to_anyone(&task, accepted.payable_at), Error::<T>::DisputeWindowClosed);

		let fee = task.reviewer_fee;
		let budget = Self::cost_per_item(task.reward_per_item, fee, task.reviewers_per_item)
			.ok_or(Error::<T>::BountyOverflow)?;
		let mut spent = BalanceOf::<T>::zero();
		// The dispute overturns the acceptance: those who voted to reject were right, and are
		// paid their fee.
		for (reviewer, approved) in accepted.reviewers.iter() {
			if !approved {
				Self::pay_from_bounty(&mut task, reviewer, fee)?;
				spent = spent.saturating_add(fee);
			}
			Self::close_pending(task.dataset, reviewer);
		}
		Self::overturn(&task, &accepted.reviewers);
		let treasury = T::TreasuryAccount::get();
		let to_treasury = budget.saturating_sub(spent);
		Self::pay_from_bounty(&mut task, &treasury, to_treasury)?;
		let annotator = accepted.annotator;
		let forfeited = Self::forfeit_annotation_stake(&annotator, accepted.stake)?;
		Self::close_pending(task.dataset, &annotator);

		task.awaiting_payment = task.awaiting_payment.saturating_sub(1);
		task.disputed = task.disputed.saturating_add(1);
		let result_hash = accepted.result_hash;
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
		// Past this, accepted items are payable by anyone: a late reveal would race payments
		// and take budgets back from work already due.
		ensure!(
			frame_system::Pallet::<T>::block_number()
				<= task.deadline.saturating_add(T::AcceptanceWindow::get()),
			Error::<T>::GoldRevealPeriodOver
		);
		ensure!(gold_commitment(&answers, &salt) == commitment, Error::<T>::GoldMismatch);
		// One answer per item: two different answers for one item would fail every result.
		ensure!(
			answers.iter().zip(answers.iter().skip(1)).all(|(a, b)| a.0 < b.0),
			Error::<T>::GoldAnswersNotSorted
		);
		// Gold items test annotators; they are not a way to void a task's work. At most one
		// item in ten (at least one) may be gold, which bounds what a requester committing to
		// answers nobody could give (to bar every annotator and take its budget back) can void.
		ensure!(
			answers.len() <= Self::max_gold_items(task.item_count) as usize,
			Error::<T>::TooManyGoldItems
		);
		ensure!(answers.iter().all(|(item, _)| *item < task.item_count), Error::<T>::UnknownItem);

		let mut failed: BTreeSet<T::AccountId> = BTreeSet::new();
		for (item, expected) in answers.iter() {
			let item = *item;
			// Its answer is public now: nobody may claim it again, whatever happens to its
			// slot.
			GoldItems::<T>::insert(id, item, ());
			match Slots::<T>::get(id, item) {
				None => task.occupied = task.occupied.saturating_add(1),
				Some(Slot::Claimed { annotator, .. }) => {
					Self::close_pending(task.dataset, &annotator);
				}
				Some(Slot::Submitted { annotator, result_hash, stake, ballot }) => {
					if result_hash == *expected {
						continue;
					}
					// Revealed votes are judged against the gold answer: rejecting was right,
					// and is paid from the failed annotator's stake.
					let verdict = (!task.reviewer_fee.is_zero()).then_some(Verdict::Rejected);
					Self::close_seats(&ballot, verdict, false, false);
					let rejecters: alloc::vec::Vec<_> =
						ballot.revealed().filter(|(_, approve)| !approve).map(|(r, _)| r).collect();
					for voter in ballot.voters() {
						Self::close_pending(task.dataset, voter);
					}
					Self::forfeit_paying(&annotator, stake, rejecters, task.reviewer_fee)?;
					Self::close_pending(task.dataset, &annotator);
					task.under_review = task.under_review.saturating_sub(1);
					Self::gold_failed(id, item, &annotator, *expected, result_hash);
					failed.insert(annotator);
				}
				Some(Slot::Accepted { annotator, result_hash, stake, reviewers, .. }) => {
					if result_hash == *expected {
						continue;
					}
					Self::overturn(&task, &reviewers);
					for (reviewer, _) in reviewers.iter() {
						Self::close_pending(task.dataset, reviewer);
					}
					let rejecters = reviewers.iter().filter(|(_, a)| !a).map(|(r, _)| r);
					Self::forfeit_paying(&annotator, stake, rejecters, task.reviewer_fee)?;
					Self::close_pending(task.dataset, &annotator);
					task.awaiting_payment = task.awaiting_payment.saturating_sub(1);
					Self::gold_failed(id, item, &annotator, *expected, result_hash);
					failed.insert(annotator);
				}
				// Paid, disputed or gold already: nothing left to test.
				Some(_) => continue,
			}
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

	fn gold_failed(
		task: TaskId,
		item: ItemIndex,
		annotator: &T::AccountId,
		expected: ContentHash,
		submitted: ContentHash,
	) {
		Self::deposit_event(Event::GoldFailed {
			task,
			item,
			annotator: annotator.clone(),
			expected,
			submitted,
		});
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
				Self::close_seats(&ballot, None, false, false);
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
					Self::judge_vote(reviewer, Judgement::None, true);
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

	/// The accepted item `item` of task `id`.
	fn accepted(id: TaskId, item: ItemIndex) -> Result<AcceptedItem<T>, DispatchError> {
		match Slots::<T>::get(id, item) {
			Some(Slot::Accepted { annotator, result_hash, stake, reviewers, payable_at }) => {
				Ok(AcceptedItem { annotator, result_hash, stake, reviewers, payable_at })
			}
			_ => Err(Error::<T>::NotAccepted.into()),
		}
	}

	/// Closes the open votes of an accepted item's reviewers after a finding against it (a
	/// dispute, a gold answer), overturning the judgement of the verdict: approvals lose the
	/// reward they got and take the penalty, rejections get back the penalty and the reward.
	/// Reputation moves only on tasks that pay their reviewers.
	fn overturn(task: &AnnotationTask<T>, reviewers: &[(T::AccountId, bool)]) {
		let paid_review = !task.reviewer_fee.is_zero();
		for (reviewer, approved) in reviewers {
			let judgement = match (paid_review, approved) {
				(false, _) => Judgement::None,
				(true, true) => Judgement::OverturnedToWrong,
				(true, false) => Judgement::OverturnedToRight,
			};
			Self::judge_vote(reviewer, judgement, true);
		}
	}

	/// Forfeits a failed annotator's stake: each reviewer who voted to reject is paid its fee
	/// from it, the rest goes to the treasury.
	fn forfeit_paying<'a>(
		annotator: &T::AccountId,
		stake: BalanceOf<T>,
		rejecters: impl IntoIterator<Item = &'a T::AccountId>,
		fee: BalanceOf<T>,
	) -> DispatchResult
	where
		T::AccountId: 'a,
	{
		let mut left = stake;
		for reviewer in rejecters {
			let paid = fee.min(left);
			Self::transfer_held(HoldReason::AnnotationStake, annotator, reviewer, paid)?;
			left = left.saturating_sub(paid);
		}
		Self::forfeit_annotation_stake(annotator, left).map(|_| ())
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
