//! The invariants `try_state` checks (also run after every unit and property test).

use crate::{pallet::*, types::*};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::traits::{fungible::InspectHold, Get, VariantCount};
use sp_runtime::{traits::Saturating, TryRuntimeError};

/// Every reason this pallet holds funds for, by name; their order means nothing. The assertion
/// below stops the build when a reason is added to `HoldReason` but not here, so no held amount
/// goes unchecked.
const HOLD_REASONS: [HoldReason; 6] = [
	HoldReason::DatasetDeposit,
	HoldReason::ContributionDeposit,
	HoldReason::ShareholdingDeposit,
	HoldReason::TaskDeposit,
	HoldReason::TaskBounty,
	HoldReason::ReviewerBond,
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
	/// - each task's remaining bounty is exactly the cost of its unaccepted items, its slot
	///   counters match its slots, and no slot lies outside the task (a slot has one state by
	///   construction: one record per item);
	/// - member counts match the member records, each with a role, within `MaxMembers`.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		type Key<T> = (DatasetId, AccountIdOf<T>);
		let mut expected_pending: BTreeMap<Key<T>, u32> = BTreeMap::new();
		let mut expected_held: BTreeMap<(HoldReason, AccountIdOf<T>), BalanceOf<T>> =
			BTreeMap::new();
		let mut open_votes: BTreeMap<AccountIdOf<T>, u32> = BTreeMap::new();
		let mut pending_contributions: BTreeMap<DatasetId, u32> = BTreeMap::new();
		let mut open_tasks: BTreeMap<DatasetId, u32> = BTreeMap::new();

		let mut add_held = |reason: HoldReason, who: &AccountIdOf<T>, amount: BalanceOf<T>| {
			let entry = expected_held.entry((reason, who.clone())).or_default();
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
			add_held(HoldReason::DatasetDeposit, &dataset.curator, dataset.deposit);
		}
		for (_, c) in Contributions::<T>::iter() {
			check(Datasets::<T>::contains_key(c.dataset), "contribution to an unknown dataset")?;
			bump(&mut pending_contributions, c.dataset);
			bump(&mut expected_pending, (c.dataset, c.contributor.clone()));
			count_ballot(c.dataset, &c.ballot, &mut expected_pending);
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
				task.required_approvals,
			)
			.ok_or(TryRuntimeError::Other("task cost overflows"))?;
			let unaccepted = task.item_count.saturating_sub(task.accepted);
			check(
				task.remaining_bounty == per_item.saturating_mul(unaccepted.into()),
				"remaining bounty differs from the cost of unaccepted items",
			)?;
			let (mut occupied, mut accepted, mut under_review) = (0u32, 0u32, 0u32);
			for (item, slot) in Slots::<T>::iter_prefix(task_id) {
				check(item < task.item_count, "slot outside its task")?;
				occupied = occupied.saturating_add(1);
				match slot {
					Slot::Claimed { annotator, .. } => {
						bump(&mut expected_pending, (task.dataset, annotator));
					}
					Slot::Submitted { annotator, ballot, .. } => {
						under_review = under_review.saturating_add(1);
						bump(&mut expected_pending, (task.dataset, annotator));
						count_ballot(task.dataset, &ballot, &mut expected_pending);
					}
					Slot::Accepted { .. } => accepted = accepted.saturating_add(1),
				}
			}
			check(occupied == task.occupied, "task occupied count differs from its slots")?;
			check(accepted == task.accepted, "task accepted count differs from its slots")?;
			check(
				under_review == task.under_review,
				"task count of results under review differs from its slots",
			)?;
		}
		for (task_id, _, _) in Slots::<T>::iter() {
			check(Tasks::<T>::contains_key(task_id), "slot of a closed task")?;
		}

		let mut members: BTreeMap<DatasetId, u32> = BTreeMap::new();
		for (dataset, _, roles) in Members::<T>::iter() {
			check(Datasets::<T>::contains_key(dataset), "member of an unknown dataset")?;
			check(!roles.is_empty(), "a member record without a role")?;
			bump(&mut members, dataset);
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
				dataset.rules.max_contribution_items <= T::MaxItemsPerContribution::get(),
				"rules above the runtime's bound",
			)?;
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
