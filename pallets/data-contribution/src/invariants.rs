//! The invariants `try_state` checks (also run after every unit and property test).

use crate::{pallet::*, types::*};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::traits::{fungible::InspectHold, Get, VariantCount};
use sp_runtime::{traits::Saturating, TryRuntimeError};

/// Every reason this pallet holds funds for, by name; their order means nothing. The assertion
/// below stops the build when a reason is added to `HoldReason` but not here, so no held amount
/// goes unchecked.
const HOLD_REASONS: [HoldReason; 7] = [
	HoldReason::DatasetDeposit,
	HoldReason::ContributionDeposit,
	HoldReason::ShareholdingDeposit,
	HoldReason::TaskDeposit,
	HoldReason::TaskBounty,
	HoldReason::ReviewerBond,
	HoldReason::AnnotationStake,
];
const _: () = assert!(HOLD_REASONS.len() == HoldReason::VARIANT_COUNT as usize);

/// What a mismatch under `reason` means, so a failing check names the records to look at.
fn held_mismatch(reason: HoldReason) -> &'static str {
	match reason {
		HoldReason::DatasetDeposit => "held dataset deposits differ from the datasets",
		HoldReason::ContributionDeposit => {
			"held contribution deposits differ from the pending contributions"
		}
		HoldReason::ShareholdingDeposit => {
			"held share record deposits differ from the share records"
		}
		HoldReason::TaskDeposit => "held task deposits differ from the open tasks",
		HoldReason::TaskBounty => "held bounties differ from the open tasks' remaining bounties",
		HoldReason::ReviewerBond => "held reviewer bonds differ from the reviewers",
		HoldReason::AnnotationStake => {
			"held annotation stakes differ from the submitted and accepted items"
		}
	}
}

fn check(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(TryRuntimeError::Other(message))
	}
}

fn bump<K: Ord>(map: &mut BTreeMap<K, u32>, key: K) {
	let entry = map.entry(key).or_default();
	*entry = entry.saturating_add(1);
}

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage:
	/// - share totals equal the sum of share records, holder and pending counters match the
	///   records;
	/// - each share record's pending count equals its open contributions, slots and votes;
	/// - under each `HoldReason`, every account the records mention holds exactly the deposits,
	///   bounties and bonds they account for;
	/// - each task's remaining bounty is exactly the cost of its items neither paid nor
	///   disputed, its slot counters match its slots, and no slot lies outside the task (a
	///   slot has one state by construction: one record per item);
	/// - every ballot has at most its panel's seats, a reveal period exactly when the panel
	///   is full, and no revealed vote before;
	/// - member counts match the member records, each with a role, within `MaxMembers`.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		type Key<T> = (DatasetId, AccountIdOf<T>);
		let mut expected_pending: BTreeMap<Key<T>, u32> = BTreeMap::new();
		let mut expected_held: BTreeMap<(HoldReason, AccountIdOf<T>), BalanceOf<T>> =
			BTreeMap::new();
		let mut open_votes: BTreeMap<AccountIdOf<T>, u32> = BTreeMap::new();
		// Votes kept open on accepted items, counted apart while `count_ballot` borrows
		// `open_votes`.
		let mut accepted_votes: BTreeMap<AccountIdOf<T>, u32> = BTreeMap::new();
		let mut pending_contributions: BTreeMap<DatasetId, u32> = BTreeMap::new();
		let mut open_tasks: BTreeMap<DatasetId, u32> = BTreeMap::new();

		let mut add_held = |reason: HoldReason, who: &AccountIdOf<T>, amount: BalanceOf<T>| {
			let entry = expected_held.entry((reason, who.clone())).or_default();
			*entry = entry.saturating_add(amount);
		};
		let mut count_ballot = |dataset: DatasetId,
		                        ballot: &Ballot<T>,
		                        panel: u32,
		                        pending: &mut BTreeMap<Key<T>, u32>|
		 -> Result<(), TryRuntimeError> {
			let seats = u32::try_from(ballot.seats.len()).unwrap_or(u32::MAX);
			check(seats <= panel, "more seats than the panel has")?;
			check(
				ballot.reveal_until.is_some() == (seats == panel),
				"a reveal period without a full panel, or a full panel without one",
			)?;
			check(
				ballot.reveal_until.is_some() || ballot.revealed().next().is_none(),
				"a vote revealed before the panel was full",
			)?;
			for voter in ballot.voters() {
				bump(pending, (dataset, voter.clone()));
				bump(&mut open_votes, voter.clone());
			}
			Ok(())
		};

		for (_, dataset) in Datasets::<T>::iter() {
			add_held(HoldReason::DatasetDeposit, &dataset.curator, dataset.deposit);
		}
		for (_, c) in Contributions::<T>::iter() {
			let record = Datasets::<T>::get(c.dataset)
				.ok_or(TryRuntimeError::Other("contribution to an unknown dataset"))?;
			bump(&mut pending_contributions, c.dataset);
			bump(&mut expected_pending, (c.dataset, c.contributor.clone()));
			count_ballot(
				c.dataset,
				&c.ballot,
				record.terms.contribution_quorum,
				&mut expected_pending,
			)?;
			add_held(HoldReason::ContributionDeposit, &c.contributor, c.deposit);
			add_held(HoldReason::ContributionDeposit, &c.contributor, c.stake);
			check(
				c.item_count <= T::MaxItemsPerContribution::get(),
				"contribution larger than the runtime allows",
			)?;
		}
		for (task_id, task) in Tasks::<T>::iter() {
			check(Datasets::<T>::contains_key(task.dataset), "task on an unknown dataset")?;
			bump(&mut open_tasks, task.dataset);
			add_held(HoldReason::TaskDeposit, &task.requester, task.deposit);
			add_held(HoldReason::TaskBounty, &task.requester, task.remaining_bounty);
			let per_item = Self::cost_per_item(
				task.reward_per_item,
				task.reviewer_fee,
				task.reviewers_per_item,
			)
			.ok_or(TryRuntimeError::Other("task cost overflows"))?;
			let unsettled = task.item_count.saturating_sub(task.paid).saturating_sub(task.disputed);
			check(
				task.remaining_bounty == per_item.saturating_mul(unsettled.into()),
				"remaining bounty differs from the cost of items neither paid nor disputed",
			)?;
			let (mut occupied, mut under_review, mut awaiting, mut paid, mut disputed) =
				(0u32, 0u32, 0u32, 0u32, 0u32);
			for (item, slot) in Slots::<T>::iter_prefix(task_id) {
				check(item < task.item_count, "slot outside its task")?;
				occupied = occupied.saturating_add(1);
				match slot {
					Slot::Claimed { annotator, .. } => {
						bump(&mut expected_pending, (task.dataset, annotator));
					}
					Slot::Submitted { annotator, ballot, stake, .. } => {
						under_review = under_review.saturating_add(1);
						add_held(HoldReason::AnnotationStake, &annotator, stake);
						bump(&mut expected_pending, (task.dataset, annotator));
						count_ballot(
							task.dataset,
							&ballot,
							task.reviewers_per_item,
							&mut expected_pending,
						)?;
					}
					Slot::Accepted { annotator, stake, reviewers, .. } => {
						awaiting = awaiting.saturating_add(1);
						add_held(HoldReason::AnnotationStake, &annotator, stake);
						bump(&mut expected_pending, (task.dataset, annotator));
						// Revealed reviewers wait for their fee and shares, their votes open
						// until the item is paid, disputed or voided.
						for (reviewer, _) in reviewers.iter() {
							bump(&mut expected_pending, (task.dataset, reviewer.clone()));
							bump(&mut accepted_votes, reviewer.clone());
						}
					}
					Slot::Paid { .. } => paid = paid.saturating_add(1),
					Slot::Disputed { .. } => disputed = disputed.saturating_add(1),
					Slot::Gold => {}
				}
			}
			check(occupied == task.occupied, "task occupied count differs from its slots")?;
			check(awaiting == task.awaiting_payment, "task count awaiting payment differs")?;
			check(paid == task.paid, "task paid count differs from its slots")?;
			check(disputed == task.disputed, "task disputed count differs from its slots")?;
			check(
				under_review == task.under_review,
				"task count of results under review differs from its slots",
			)?;
		}
		for (task_id, _, _) in Slots::<T>::iter() {
			check(Tasks::<T>::contains_key(task_id), "slot of a closed task")?;
		}
		for (task_id, _, _) in Barred::<T>::iter() {
			check(Tasks::<T>::contains_key(task_id), "an annotator barred from a closed task")?;
		}
		for (task_id, item, _) in GoldItems::<T>::iter() {
			let task = Tasks::<T>::get(task_id)
				.ok_or(TryRuntimeError::Other("a gold item of a closed task"))?;
			check(task.gold == Gold::Revealed, "a gold item of a task with no revealed gold")?;
			check(item < task.item_count, "a gold item outside its task")?;
		}

		let mut members: BTreeMap<DatasetId, u32> = BTreeMap::new();
		let mut reviewers: BTreeMap<DatasetId, u32> = BTreeMap::new();
		for (dataset, _, roles) in Members::<T>::iter() {
			check(Datasets::<T>::contains_key(dataset), "member of an unknown dataset")?;
			check(!roles.is_empty(), "a member record without a role")?;
			bump(&mut members, dataset);
			if roles.reviewer {
				bump(&mut reviewers, dataset);
			}
		}

		let mut totals: BTreeMap<DatasetId, (Shares, u32)> = BTreeMap::new();
		for (dataset, holder, shareholding) in Shareholdings::<T>::iter() {
			let entry = totals.entry(dataset).or_default();
			entry.0 = entry.0.saturating_add(shareholding.shares);
			entry.1 = entry.1.saturating_add(1);
			let expected = expected_pending.remove(&(dataset, holder.clone())).unwrap_or(0);
			check(
				shareholding.pending == expected,
				"share record pending count differs from open work",
			)?;
			add_held(HoldReason::ShareholdingDeposit, &holder, shareholding.deposit);
		}
		check(expected_pending.is_empty(), "open work without a share record")?;

		for (id, dataset) in Datasets::<T>::iter() {
			let (shares, holders) = totals.get(&id).copied().unwrap_or_default();
			check(
				dataset.total_shares == shares,
				"total shares differ from the sum of share records",
			)?;
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
			check(
				dataset.members == members.get(&id).copied().unwrap_or_default(),
				"member count differs from the member records",
			)?;
			check(dataset.members <= T::MaxMembers::get(), "more members than allowed")?;
			check(
				dataset.reviewers == reviewers.get(&id).copied().unwrap_or_default(),
				"reviewer count differs from the member records",
			)?;
			check(
				dataset.rules.max_contribution_items <= T::MaxItemsPerContribution::get(),
				"rules above the runtime's bound",
			)?;
		}

		for (who, votes) in accepted_votes {
			let entry = open_votes.entry(who).or_default();
			*entry = entry.saturating_add(votes);
		}
		for (who, reviewer) in Reviewers::<T>::iter() {
			add_held(HoldReason::ReviewerBond, &who, reviewer.bond);
			check(
				reviewer.open_votes == open_votes.remove(&who).unwrap_or(0),
				"reviewer open votes differ from its ballots",
			)?;
			check(reviewer.reputation <= T::MaxReputation::get(), "reputation above the cap")?;
		}
		check(open_votes.is_empty(), "a vote by an account that is not a reviewer")?;

		// Every account the records mention holds exactly what they account for under each
		// reason, including nothing under a reason no record of it accounts for.
		let accounts: BTreeSet<AccountIdOf<T>> =
			expected_held.keys().map(|(_, who)| who.clone()).collect();
		for who in &accounts {
			for reason in HOLD_REASONS {
				let expected =
					expected_held.get(&(reason, who.clone())).copied().unwrap_or_default();
				let held = T::Currency::balance_on_hold(&reason.into(), who);
				check(held == expected, held_mismatch(reason))?;
			}
		}
		Ok(())
	}
}
