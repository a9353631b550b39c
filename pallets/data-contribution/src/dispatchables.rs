//! The logic behind every call, and the invariants `try_state` checks.

use crate::{pallet::*, types::*};
use tributary_primitives::OnSharesMinted;
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating, Zero};

impl<T: Config> Pallet<T> {
	// ---------------------------------------------------------------- datasets

	pub(crate) fn do_create_dataset(
		curator: T::AccountId,
		metadata: DatasetMetadata<T>,
		terms: DatasetTerms,
	) -> DispatchResult {
		ensure!(terms.shares_per_item > 0, Error::<T>::ZeroSharesPerItem);
		Self::ensure_quorum(terms.contribution_quorum)?;
		let id = NextDatasetId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		let deposit = T::DatasetDeposit::get();
		Self::hold(HoldReason::DatasetDeposit, &curator, deposit)?;
		Datasets::<T>::insert(
			id,
			Dataset {
				curator: curator.clone(),
				pending_curator: None,
				metadata,
				terms,
				total_shares: 0,
				holders: 0,
				pending_contributions: 0,
				open_tasks: 0,
				frozen: false,
				deposit,
			},
		);
		NextDatasetId::<T>::put(next);
		Self::deposit_event(Event::DatasetCreated { dataset: id, curator, terms });
		Ok(())
	}

	pub(crate) fn do_update_dataset_metadata(
		who: T::AccountId,
		dataset: DatasetId,
		metadata: DatasetMetadata<T>,
	) -> DispatchResult {
		Self::mutate_as_curator(&who, dataset, |record| {
			record.metadata = metadata;
			Ok(())
		})?;
		Self::deposit_event(Event::DatasetMetadataUpdated { dataset });
		Ok(())
	}

	pub(crate) fn do_offer_curatorship(
		who: T::AccountId,
		dataset: DatasetId,
		to: Option<T::AccountId>,
	) -> DispatchResult {
		Self::mutate_as_curator(&who, dataset, |record| {
			record.pending_curator = to.clone();
			Ok(())
		})?;
		Self::deposit_event(Event::CuratorshipOffered { dataset, to });
		Ok(())
	}

	pub(crate) fn do_accept_curatorship(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(record.pending_curator.as_ref() == Some(&who), Error::<T>::NotPendingCurator);
		let previous = record.curator.clone();
		// Hold from the new curator first: if it cannot pay, nothing changes.
		let deposit = T::DatasetDeposit::get();
		Self::hold(HoldReason::DatasetDeposit, &who, deposit)?;
		Self::release(HoldReason::DatasetDeposit, &previous, record.deposit);
		record.curator = who.clone();
		record.pending_curator = None;
		record.deposit = deposit;
		Datasets::<T>::insert(dataset, record);
		Self::deposit_event(Event::CuratorshipTransferred { dataset, from: previous, to: who });
		Ok(())
	}

	pub(crate) fn do_freeze_dataset(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		Self::mutate_as_curator(&who, dataset, |record| {
			ensure!(!record.frozen, Error::<T>::AlreadyFrozen);
			record.frozen = true;
			Ok(())
		})?;
		Self::deposit_event(Event::DatasetFrozen { dataset });
		Ok(())
	}

	// ----------------------------------------------------------- contributions

	pub(crate) fn do_submit_contribution(
		who: T::AccountId,
		dataset: DatasetId,
		content_hash: ContentHash,
		item_count: u32,
	) -> DispatchResult {
		ensure!(item_count > 0, Error::<T>::ZeroItems);
		ensure!(item_count <= T::MaxItemsPerContribution::get(), Error::<T>::TooManyItems);
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(!record.frozen, Error::<T>::DatasetFrozen);
		ensure!(
			record.pending_contributions < T::MaxPendingContributions::get(),
			Error::<T>::TooManyPendingContributions
		);
		// Reject a shares overflow now rather than when the contribution is accepted.
		Self::shares_for(&record.terms, item_count)?;
		let id = NextContributionId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;

		let deposit = T::ContributionDeposit::get();
		Self::hold(HoldReason::ContributionDeposit, &who, deposit)?;
		Self::open_pending(dataset, &mut record, &who)?;
		record.pending_contributions = record.pending_contributions.saturating_add(1);
		Datasets::<T>::insert(dataset, record);
		Contributions::<T>::insert(
			id,
			Contribution {
				dataset,
				contributor: who.clone(),
				content_hash,
				item_count,
				ballot: Ballot::default(),
				deposit,
			},
		);
		NextContributionId::<T>::put(next);
		Self::deposit_event(Event::ContributionSubmitted {
			contribution: id,
			dataset,
			contributor: who,
			content_hash,
			item_count,
		});
		Ok(())
	}

	pub(crate) fn do_decide_contribution(
		who: T::AccountId,
		id: ContributionId,
		accept: bool,
	) -> DispatchResult {
		let contribution = Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		let record = Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(record.curator == who, Error::<T>::NotCurator);
		let verdict = if accept { Verdict::Accepted } else { Verdict::Rejected };
		Self::settle_contribution(id, contribution, record, Some(verdict))
	}

	pub(crate) fn do_review_contribution(
		who: T::AccountId,
		id: ContributionId,
		approve: bool,
	) -> DispatchResult {
		let mut contribution =
			Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		ensure!(contribution.contributor != who, Error::<T>::SelfReview);
		ensure!(!contribution.ballot.has_voted(&who), Error::<T>::AlreadyVoted);
		let mut record =
			Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		let mut reviewer = Self::active_reviewer(&who)?;

		let verdict = contribution
			.ballot
			.cast(who.clone(), approve, record.terms.contribution_quorum)
			.map_err(|_| Error::<T>::AlreadyVoted)?;
		Self::open_pending(contribution.dataset, &mut record, &who)?;
		reviewer.open_votes = reviewer.open_votes.saturating_add(1);
		Reviewers::<T>::insert(&who, reviewer);
		Self::deposit_event(Event::ContributionReviewed {
			contribution: id,
			reviewer: who,
			approve,
		});

		match verdict {
			Some(verdict) => Self::settle_contribution(id, contribution, record, Some(verdict)),
			None => {
				Datasets::<T>::insert(contribution.dataset, record);
				Contributions::<T>::insert(id, contribution);
				Ok(())
			}
		}
	}

	pub(crate) fn do_withdraw_contribution(
		who: T::AccountId,
		id: ContributionId,
	) -> DispatchResult {
		let contribution = Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		ensure!(contribution.contributor == who, Error::<T>::NotContributor);
		let record = Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::settle_contribution(id, contribution, record, None)
	}

	/// Ends a contribution: with a verdict (accepted or rejected) or withdrawn (`None`).
	/// Releases its deposit, closes every voter's pending vote and judges the voters.
	fn settle_contribution(
		id: ContributionId,
		contribution: Contribution<T>,
		mut record: Dataset<T>,
		verdict: Option<Verdict>,
	) -> DispatchResult {
		let dataset = contribution.dataset;
		let contributor = contribution.contributor.clone();
		if verdict == Some(Verdict::Accepted) {
			let shares = Self::shares_for(&record.terms, contribution.item_count)?;
			Self::mint(dataset, &mut record, &contributor, shares)?;
			Self::deposit_event(Event::ContributionAccepted {
				contribution: id,
				dataset,
				contributor: contributor.clone(),
				shares,
			});
		}
		Self::close_pending(dataset, &contributor);
		Self::close_ballot(dataset, &contribution.ballot, verdict);
		record.pending_contributions = record.pending_contributions.saturating_sub(1);
		Self::release(HoldReason::ContributionDeposit, &contributor, contribution.deposit);
		Datasets::<T>::insert(dataset, record);
		Contributions::<T>::remove(id);
		match verdict {
			Some(Verdict::Accepted) => {}
			Some(Verdict::Rejected) => Self::deposit_event(Event::ContributionRejected {
				contribution: id,
				dataset,
				contributor,
			}),
			None => Self::deposit_event(Event::ContributionWithdrawn {
				contribution: id,
				dataset,
				contributor,
			}),
		}
		Ok(())
	}

	// ------------------------------------------------------------------- tasks

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
		ensure!(!Slots::<T>::contains_key(id, item), Error::<T>::ItemTaken);
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
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
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
		ensure!(annotator != who, Error::<T>::SelfReview);
		ensure!(!ballot.has_voted(&who), Error::<T>::AlreadyVoted);
		let mut record = Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?;
		let mut reviewer = Self::active_reviewer(&who)?;

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
				Self::close_ballot(task.dataset, &ballot, Some(Verdict::Accepted));
				task.accepted = task.accepted.saturating_add(1);
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
				Self::close_ballot(task.dataset, &ballot, Some(Verdict::Rejected));
				task.occupied = task.occupied.saturating_sub(1);
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

	/// Closes a task and returns the number of item slots it removed (for the weight refund).
	pub(crate) fn do_close_task(who: T::AccountId, id: TaskId) -> Result<u32, DispatchError> {
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(who == task.requester || now > task.deadline, Error::<T>::NotRequester);
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

	// --------------------------------------------------------------- reviewers

	pub(crate) fn do_register_reviewer(who: T::AccountId, bond: BalanceOf<T>) -> DispatchResult {
		ensure!(!Reviewers::<T>::contains_key(&who), Error::<T>::AlreadyReviewer);
		ensure!(bond >= T::MinReviewerBond::get(), Error::<T>::BondTooLow);
		Self::hold(HoldReason::ReviewerBond, &who, bond)?;
		Reviewers::<T>::insert(
			&who,
			Reviewer {
				bond,
				reputation: T::InitialReputation::get(),
				open_votes: 0,
				unbonding_at: None,
			},
		);
		Self::deposit_event(Event::ReviewerRegistered { reviewer: who, bond });
		Ok(())
	}

	pub(crate) fn do_unregister_reviewer(who: T::AccountId) -> DispatchResult {
		let unlock_at = Reviewers::<T>::try_mutate(&who, |maybe| {
			let reviewer = maybe.as_mut().ok_or(Error::<T>::NotReviewer)?;
			ensure!(reviewer.unbonding_at.is_none(), Error::<T>::AlreadyUnbonding);
			let unlock_at = frame_system::Pallet::<T>::block_number()
				.saturating_add(T::ReviewerCooldown::get());
			reviewer.unbonding_at = Some(unlock_at);
			Ok::<_, DispatchError>(unlock_at)
		})?;
		Self::deposit_event(Event::ReviewerUnbonding { reviewer: who, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_reviewer(who: T::AccountId) -> DispatchResult {
		let reviewer = Reviewers::<T>::get(&who).ok_or(Error::<T>::NotReviewer)?;
		let unlock_at = reviewer.unbonding_at.ok_or(Error::<T>::NotUnbonding)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() >= unlock_at,
			Error::<T>::CooldownNotOver
		);
		ensure!(reviewer.open_votes == 0, Error::<T>::OpenVotes);
		Self::release(HoldReason::ReviewerBond, &who, reviewer.bond);
		Reviewers::<T>::remove(&who);
		Self::deposit_event(Event::ReviewerWithdrawn { reviewer: who, bond: reviewer.bond });
		Ok(())
	}

	pub(crate) fn do_slash_reviewer(who: T::AccountId) -> DispatchResult {
		let mut reviewer = Reviewers::<T>::get(&who).ok_or(Error::<T>::NotReviewer)?;
		ensure!(reviewer.reputation < T::ReputationFloor::get(), Error::<T>::ReputationAboveFloor);
		let amount = T::SlashFraction::get().mul_floor(reviewer.bond);
		ensure!(!amount.is_zero(), Error::<T>::NothingToSlash);
		let slashed = T::Currency::transfer_on_hold(
			&HoldReason::ReviewerBond.into(),
			&who,
			&T::TreasuryAccount::get(),
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		reviewer.bond = reviewer.bond.saturating_sub(slashed);
		reviewer.reputation = T::InitialReputation::get();
		let remaining_bond = reviewer.bond;
		Reviewers::<T>::insert(&who, reviewer);
		Self::deposit_event(Event::ReviewerSlashed {
			reviewer: who,
			amount: slashed,
			remaining_bond,
		});
		Ok(())
	}

	// ---------------------------------------------------------------- holdings

	pub(crate) fn do_close_shareholding(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let holding = Shareholdings::<T>::get(dataset, &who).ok_or(Error::<T>::NoShareholding)?;
		ensure!(holding.shares == 0 && holding.pending == 0, Error::<T>::ShareholdingInUse);
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::release(HoldReason::ShareholdingDeposit, &who, holding.deposit);
		record.holders = record.holders.saturating_sub(1);
		Datasets::<T>::insert(dataset, record);
		Shareholdings::<T>::remove(dataset, &who);
		Self::deposit_event(Event::ShareholdingClosed { dataset, holder: who });
		Ok(())
	}

	// ----------------------------------------------------------------- helpers

	/// Changes a dataset on behalf of its curator; any error leaves it untouched.
	fn mutate_as_curator(
		who: &T::AccountId,
		dataset: DatasetId,
		change: impl FnOnce(&mut Dataset<T>) -> DispatchResult,
	) -> DispatchResult {
		Datasets::<T>::try_mutate(dataset, |maybe| {
			let record = maybe.as_mut().ok_or(Error::<T>::UnknownDataset)?;
			ensure!(record.curator == *who, Error::<T>::NotCurator);
			change(record)
		})
	}

	fn ensure_quorum(quorum: u32) -> DispatchResult {
		ensure!(quorum >= 1 && quorum <= T::MaxQuorum::get(), Error::<T>::InvalidQuorum);
		Ok(())
	}

	/// Everything one accepted item costs the requester: the reward and `k` reviewer fees.
	pub(crate) fn cost_per_item(
		reward: BalanceOf<T>,
		reviewer_fee: BalanceOf<T>,
		quorum: u32,
	) -> Option<BalanceOf<T>> {
		reviewer_fee.checked_mul(&quorum.into())?.checked_add(&reward)
	}

	fn shares_for(terms: &DatasetTerms, items: u32) -> Result<Shares, DispatchError> {
		terms
			.shares_per_item
			.checked_mul(Shares::from(items))
			.ok_or_else(|| Error::<T>::SharesOverflow.into())
	}

	fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientFunds.into())
	}

	/// Releases a hold this pallet placed. The amount is always on hold (the invariants check
	/// it), so a shortfall is a bug: report it and release what is there.
	fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		if let Err(error) = T::Currency::release(&reason.into(), who, amount, Precision::Exact) {
			defensive!("a hold this pallet placed is missing", error);
			let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
		}
	}

	fn pay_from_bounty(
		task: &mut AnnotationTask<T>,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer_on_hold(
			&HoldReason::TaskBounty.into(),
			&task.requester,
			to,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		task.remaining_bounty = task.remaining_bounty.saturating_sub(amount);
		Ok(())
	}

	/// Registers pending work for `who` in `dataset`, opening its share record (and holding
	/// its deposit) if it has none: shares are later minted without charging anyone.
	fn open_pending(
		dataset: DatasetId,
		record: &mut Dataset<T>,
		who: &T::AccountId,
	) -> DispatchResult {
		match Shareholdings::<T>::get(dataset, who) {
			Some(mut holding) => {
				holding.pending =
					holding.pending.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
				Shareholdings::<T>::insert(dataset, who, holding);
			}
			None => {
				ensure!(record.holders < T::MaxHolders::get(), Error::<T>::TooManyHolders);
				let deposit = T::ShareholdingDeposit::get();
				Self::hold(HoldReason::ShareholdingDeposit, who, deposit)?;
				record.holders = record.holders.saturating_add(1);
				Shareholdings::<T>::insert(dataset, who, Shareholding { shares: 0, pending: 1, deposit });
			}
		}
		Ok(())
	}

	fn close_pending(dataset: DatasetId, who: &T::AccountId) {
		Shareholdings::<T>::mutate(dataset, who, |maybe| match maybe {
			Some(holding) if holding.pending > 0 => {
				holding.pending = holding.pending.saturating_sub(1)
			}
			_ => {
				defensive!("pending work without a share record");
			}
		});
	}

	/// Mints shares to a holder whose record exists (opened by `open_pending`).
	fn mint(
		dataset: DatasetId,
		record: &mut Dataset<T>,
		who: &T::AccountId,
		shares: Shares,
	) -> DispatchResult {
		if shares == 0 {
			return Ok(());
		}
		let mut holding = Shareholdings::<T>::get(dataset, who).ok_or(Error::<T>::NoShareholding)?;
		let total = record.total_shares.checked_add(shares).ok_or(Error::<T>::SharesOverflow)?;
		let held = holding.shares.checked_add(shares).ok_or(Error::<T>::SharesOverflow)?;
		T::SharesHook::before_mint(dataset, who, holding.shares, record.total_shares);
		holding.shares = held;
		record.total_shares = total;
		Shareholdings::<T>::insert(dataset, who, holding);
		Self::deposit_event(Event::SharesMinted { dataset, holder: who.clone(), shares, total });
		Ok(())
	}

	/// Closes every voter's open vote in a ballot and, when there is a verdict, moves each
	/// voter's reputation towards or away from it.
	fn close_ballot(dataset: DatasetId, ballot: &Ballot<T>, verdict: Option<Verdict>) {
		let judged = |approved: bool| match verdict {
			None => None,
			Some(Verdict::Accepted) => Some(approved),
			Some(Verdict::Rejected) => Some(!approved),
		};
		let votes = ballot
			.approvals
			.iter()
			.map(|who| (who, true))
			.chain(ballot.rejections.iter().map(|who| (who, false)));
		for (who, approved) in votes {
			Self::close_pending(dataset, who);
			let changed = Reviewers::<T>::mutate(who, |maybe| {
				let Some(reviewer) = maybe.as_mut() else {
					defensive!("a voter left while its vote was open");
					return None;
				};
				reviewer.open_votes = reviewer.open_votes.saturating_sub(1);
				let matched = judged(approved)?;
				reviewer.reputation = if matched {
					reviewer
						.reputation
						.saturating_add(T::ReputationReward::get())
						.min(T::MaxReputation::get())
				} else {
					reviewer.reputation.saturating_sub(T::ReputationPenalty::get())
				};
				Some(reviewer.reputation)
			});
			if let Some(reputation) = changed {
				Self::deposit_event(Event::ReputationChanged { reviewer: who.clone(), reputation });
			}
		}
	}

	fn active_reviewer(who: &T::AccountId) -> Result<Reviewer<T>, DispatchError> {
		let reviewer = Reviewers::<T>::get(who).ok_or(Error::<T>::NotReviewer)?;
		ensure!(
			reviewer.unbonding_at.is_none()
				&& reviewer.bond >= T::MinReviewerBond::get()
				&& reviewer.reputation >= T::ReputationFloor::get(),
			Error::<T>::ReviewerInactive
		);
		Ok(reviewer)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Mints `shares` of `dataset` to `holder` as an accepted contribution does (holding deposit
	/// held, shares hook called first), for other pallets' benchmarks.
	pub fn mint_for_benchmarks(
		dataset: DatasetId,
		holder: &T::AccountId,
		shares: Shares,
	) -> DispatchResult {
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::open_pending(dataset, &mut record, holder)?;
		Self::close_pending(dataset, holder);
		Self::mint(dataset, &mut record, holder, shares)?;
		Datasets::<T>::insert(dataset, record);
		Ok(())
	}
}

#[cfg(any(feature = "try-runtime", feature = "std"))]
impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage:
	/// - share totals equal the sum of holdings, holder and pending counters match the records;
	/// - each holding's pending count equals its open contributions, slots and votes;
	/// - every held amount equals the deposits, bounties and bonds the records account for;
	/// - each task's remaining bounty is exactly the cost of its unaccepted items, its slot
	///   counters match its slots, and no slot lies outside the task (a slot has one state by
	///   construction: one record per item).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		use sp_runtime::TryRuntimeError;

		fn bump<K: Ord>(map: &mut BTreeMap<K, u32>, key: K) {
			let entry = map.entry(key).or_default();
			*entry = entry.saturating_add(1);
		}

		fn check(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
			if condition {
				Ok(())
			} else {
				Err(TryRuntimeError::Other(message))
			}
		}

		type Key<T> = (DatasetId, AccountIdOf<T>);
		let mut expected_pending: BTreeMap<Key<T>, u32> = BTreeMap::new();
		let mut expected_held: BTreeMap<(AccountIdOf<T>, u8), BalanceOf<T>> = BTreeMap::new();
		let mut open_votes: BTreeMap<AccountIdOf<T>, u32> = BTreeMap::new();
		let mut pending_contributions: BTreeMap<DatasetId, u32> = BTreeMap::new();
		let mut open_tasks: BTreeMap<DatasetId, u32> = BTreeMap::new();

		let mut add_held = |who: &AccountIdOf<T>, reason: u8, amount: BalanceOf<T>| {
			let entry = expected_held.entry((who.clone(), reason)).or_default();
			*entry = entry.saturating_add(amount);
		};
		let mut count_ballot =
			|dataset: DatasetId, ballot: &Ballot<T>, pending: &mut BTreeMap<Key<T>, u32>| {
				for voter in ballot.voters() {
					bump(pending, (dataset, voter.clone()));
					bump(&mut open_votes, voter.clone());
				}
			};

		for (_, dataset) in Datasets::<T>::iter() {
			add_held(&dataset.curator, 0, dataset.deposit);
		}
		for (_, c) in Contributions::<T>::iter() {
			check(Datasets::<T>::contains_key(c.dataset), "contribution to an unknown dataset")?;
			bump(&mut pending_contributions, c.dataset);
			bump(&mut expected_pending, (c.dataset, c.contributor.clone()));
			count_ballot(c.dataset, &c.ballot, &mut expected_pending);
			add_held(&c.contributor, 1, c.deposit);
		}
		for (task_id, task) in Tasks::<T>::iter() {
			check(Datasets::<T>::contains_key(task.dataset), "task on an unknown dataset")?;
			bump(&mut open_tasks, task.dataset);
			add_held(&task.requester, 3, task.deposit);
			add_held(&task.requester, 4, task.remaining_bounty);
			let per_item = Self::cost_per_item(
				task.reward_per_item,
				task.reviewer_fee,
				task.required_approvals,
			)
			.ok_or(TryRuntimeError::Other("task cost overflows"))?;
			let unaccepted = task.item_count.saturating_sub(task.accepted);
			check(
				task.remaining_bounty == per_item.saturating_mul(unaccepted.into()),
				"remaining bounty differs from the cost of unaccepted items",
			)?;
			let (mut occupied, mut accepted) = (0u32, 0u32);
			for (item, slot) in Slots::<T>::iter_prefix(task_id) {
				check(item < task.item_count, "slot outside its task")?;
				occupied = occupied.saturating_add(1);
				match slot {
					Slot::Claimed { annotator, .. } => {
						bump(&mut expected_pending, (task.dataset, annotator));
					}
					Slot::Submitted { annotator, ballot, .. } => {
						bump(&mut expected_pending, (task.dataset, annotator));
						count_ballot(task.dataset, &ballot, &mut expected_pending);
					}
					Slot::Accepted { .. } => accepted = accepted.saturating_add(1),
				}
			}
			check(occupied == task.occupied, "task occupied count differs from its slots")?;
			check(accepted == task.accepted, "task accepted count differs from its slots")?;
		}
		for (task_id, _, _) in Slots::<T>::iter() {
			check(Tasks::<T>::contains_key(task_id), "slot of a closed task")?;
		}

		let mut totals: BTreeMap<DatasetId, (Shares, u32)> = BTreeMap::new();
		for (dataset, holder, holding) in Shareholdings::<T>::iter() {
			let entry = totals.entry(dataset).or_default();
			entry.0 = entry.0.saturating_add(holding.shares);
			entry.1 = entry.1.saturating_add(1);
			let expected = expected_pending.remove(&(dataset, holder.clone())).unwrap_or(0);
			check(holding.pending == expected, "holding pending count differs from open work")?;
			add_held(&holder, 2, holding.deposit);
		}
		check(expected_pending.is_empty(), "open work without a share record")?;

		for (id, dataset) in Datasets::<T>::iter() {
			let (shares, holders) = totals.get(&id).copied().unwrap_or_default();
			check(dataset.total_shares == shares, "total shares differ from the sum of holdings")?;
			check(dataset.holders == holders, "holder count differs from share records")?;
			check(
				dataset.pending_contributions
					== pending_contributions.get(&id).copied().unwrap_or_default(),
				"pending contribution count differs",
			)?;
			check(
				dataset.open_tasks == open_tasks.get(&id).copied().unwrap_or_default(),
				"open task count differs",
			)?;
			check(id < NextDatasetId::<T>::get(), "dataset id not below the next id")?;
		}

		for (who, reviewer) in Reviewers::<T>::iter() {
			add_held(&who, 5, reviewer.bond);
			check(
				reviewer.open_votes == open_votes.remove(&who).unwrap_or(0),
				"reviewer open votes differ from its ballots",
			)?;
			check(reviewer.reputation <= T::MaxReputation::get(), "reputation above the cap")?;
		}
		check(open_votes.is_empty(), "a vote by an account that is not a reviewer")?;

		let reasons = [
			HoldReason::DatasetDeposit,
			HoldReason::ContributionDeposit,
			HoldReason::ShareholdingDeposit,
			HoldReason::TaskDeposit,
			HoldReason::TaskBounty,
			HoldReason::ReviewerBond,
		];
		// Every account the records mention holds exactly what they account for.
		let accounts: alloc::collections::BTreeSet<AccountIdOf<T>> =
			expected_held.keys().map(|(who, _)| who.clone()).collect();
		for who in accounts {
			for (index, reason) in reasons.iter().enumerate() {
				let index = u8::try_from(index).unwrap_or(u8::MAX);
				let expected =
					expected_held.get(&(who.clone(), index)).copied().unwrap_or_default();
				let held = T::Currency::balance_on_hold(&(*reason).into(), &who);
				check(held == expected, "held balance differs from the records")?;
			}
		}
		Ok(())
	}
}
