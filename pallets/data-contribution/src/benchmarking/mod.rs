//! Benchmarks of every call, each at the worst case of its bounds. The calls that mint shares
//! first put the shares hook (the royalty distribution, in the runtime) in its most expensive
//! state: every pending cohort of the pool activating at the mint.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing,
	clippy::too_many_arguments
)]

mod setup;

use super::*;
use crate::pallet::{
	Barred, Contributions, Datasets, Members, NextContributionId, NextDatasetId, NextTaskId,
	Reviewers, Shareholdings, Slots, Tasks,
};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::pallet_prelude::BlockNumberFor;
use frame_system::RawOrigin;
use sp_runtime::traits::Hash;
use sp_runtime::{
	traits::{Bounded, StaticLookup},
	Perbill, Saturating,
};

use setup::*;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_dataset() {
		let curator = funded::<T>("curator", 0);
		let terms = DatasetTerms {
			min_model_share: Perbill::from_percent(10),
			shares_per_item: 1_000,
			contribution_quorum: T::MaxQuorum::get(),
		};
		#[extrinsic_call]
		_(
			RawOrigin::Signed(curator.clone()),
			max_bytes::<T::MaxNameLength>(),
			ContentHash::repeat_byte(1),
			max_bytes::<T::MaxSchemaLength>(),
			max_bytes::<T::MaxLicenseLength>(),
			terms,
		);
		assert_eq!(Datasets::<T>::get(0).unwrap().curator, curator);
	}

	#[benchmark]
	fn update_dataset_metadata() {
		let (id, curator) = dataset::<T>();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(curator),
			id,
			max_bytes::<T::MaxNameLength>(),
			ContentHash::repeat_byte(2),
			max_bytes::<T::MaxSchemaLength>(),
			max_bytes::<T::MaxLicenseLength>(),
		);
		assert_eq!(
			Datasets::<T>::get(id).unwrap().metadata.manifest_hash,
			ContentHash::repeat_byte(2)
		);
	}

	#[benchmark]
	fn offer_curatorship() {
		let (id, curator) = dataset::<T>();
		let next = funded::<T>("next", 0);
		let lookup = T::Lookup::unlookup(next.clone());
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), id, Some(lookup));
		assert_eq!(Datasets::<T>::get(id).unwrap().pending_curator, Some(next));
	}

	#[benchmark]
	fn accept_curatorship() {
		let (id, curator) = dataset::<T>();
		let next = funded::<T>("next", 0);
		Pallet::<T>::offer_curatorship(
			RawOrigin::Signed(curator).into(),
			id,
			Some(T::Lookup::unlookup(next.clone())),
		)
		.unwrap();
		let revision = Datasets::<T>::get(id).unwrap().revision;
		#[extrinsic_call]
		_(RawOrigin::Signed(next.clone()), id, revision);
		assert_eq!(Datasets::<T>::get(id).unwrap().curator, next);
	}

	#[benchmark]
	fn freeze_dataset() {
		let (id, curator) = dataset::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), id);
		assert!(Datasets::<T>::get(id).unwrap().frozen);
	}

	#[benchmark]
	fn submit_contribution() {
		let (id, _) = dataset::<T>();
		let contributor = funded::<T>("contributor", 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(contributor.clone()),
			id,
			ContentHash::repeat_byte(2),
			T::MaxItemsPerContribution::get(),
		);
		assert!(Shareholdings::<T>::contains_key(id, &contributor));
	}

	#[benchmark]
	fn decide_contribution() {
		let (id, curator) = dataset::<T>();
		let (contribution, contributor) = contribution_with_full_ballot::<T>(id);
		T::SharesHook::prepare_worst_mint(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), contribution, true);
		assert!(Contributions::<T>::get(contribution).is_none());
		assert!(Shareholdings::<T>::get(id, &contributor).unwrap().shares > 0);
	}

	#[benchmark]
	fn withdraw_contribution() {
		let (id, _) = dataset::<T>();
		let (contribution, contributor) = contribution_with_full_ballot::<T>(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(contributor), contribution);
		assert!(Contributions::<T>::get(contribution).is_none());
	}

	#[benchmark]
	fn open_task() {
		let (id, _) = dataset::<T>();
		let requester = funded::<T>("requester", 0);
		admit::<T>(id, &requester, Role::Requester);
		let deadline =
			frame_system::Pallet::<T>::block_number().saturating_add(T::MaxTaskDuration::get());
		#[extrinsic_call]
		_(
			RawOrigin::Signed(requester),
			id,
			T::MaxItemsPerTask::get(),
			unit::<T>(),
			unit::<T>(),
			T::MaxQuorum::get(),
			deadline,
			Some(VoteCommitment::repeat_byte(4)),
		);
		assert!(Tasks::<T>::contains_key(0));
	}

	#[benchmark]
	fn claim_slot() {
		let (id, _) = dataset::<T>();
		let (task, _) = task::<T>(id, T::MaxItemsPerTask::get());
		let annotator = funded::<T>("annotator", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(annotator.clone()), task, 0);
		assert!(Shareholdings::<T>::contains_key(id, &annotator));
	}

	#[benchmark]
	fn submit_result() {
		let (id, _) = dataset::<T>();
		let (task, _) = task::<T>(id, T::MaxItemsPerTask::get());
		let annotator = funded::<T>("annotator", 0);
		Pallet::<T>::claim_slot(RawOrigin::Signed(annotator.clone()).into(), task, 0).unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(annotator), task, 0, ContentHash::repeat_byte(3));
		assert!(matches!(Slots::<T>::get(task, 0), Some(Slot::Submitted { .. })));
	}

	#[benchmark]
	fn reclaim_slot() {
		let (id, _) = dataset::<T>();
		let (task, _) = task::<T>(id, T::MaxItemsPerTask::get());
		let annotator = funded::<T>("annotator", 0);
		Pallet::<T>::claim_slot(RawOrigin::Signed(annotator).into(), task, 0).unwrap();
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::SlotTimeout::get())
			.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(later);
		let anyone = funded::<T>("anyone", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), task, 0);
		assert!(Slots::<T>::get(task, 0).is_none());
	}

	#[benchmark]
	fn close_task(n: Linear<1, { T::MaxItemsPerTask::get() }>) {
		let (id, _) = dataset::<T>();
		reviewer_pool::<T>(id);
		let (task, _) = task::<T>(id, T::MaxItemsPerTask::get());
		// Every item's result under review, its full panel committed and not revealed.
		for item in 0..n {
			seated_item::<T>(task, item, ContentHash::repeat_byte(3), 0, |_| true);
		}
		// Results still under review keep a task open until the review window has passed.
		let after_review = Tasks::<T>::get(task)
			.unwrap()
			.deadline
			.saturating_add(T::ReviewWindow::get())
			.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(after_review);
		let anyone = funded::<T>("anyone", 0);
		T::SharesHook::prepare_worst_mint(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), task);
		assert!(Tasks::<T>::get(task).is_none());
	}

	#[benchmark]
	fn register_reviewer() {
		let who = funded::<T>("reviewer", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinReviewerBond::get());
		assert!(Reviewers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn unregister_reviewer() {
		let who = reviewer::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Reviewers::<T>::get(&who).unwrap().unbonding_at.is_some());
	}

	#[benchmark]
	fn withdraw_reviewer() {
		let who = reviewer::<T>(0);
		// Below the floor, so leaving slashes first: the heavier path.
		Reviewers::<T>::mutate(&who, |r| {
			if let Some(r) = r.as_mut() {
				r.reputation = 0;
			}
		});
		T::Currency::set_balance(
			&T::TreasuryAccount::get(),
			BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		Pallet::<T>::unregister_reviewer(RawOrigin::Signed(who.clone()).into()).unwrap();
		let later =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ReviewerCooldown::get());
		frame_system::Pallet::<T>::set_block_number(later);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Reviewers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn slash_reviewer() {
		let who = reviewer::<T>(0);
		Reviewers::<T>::mutate(&who, |r| {
			if let Some(r) = r.as_mut() {
				r.reputation = 0;
			}
		});
		T::Currency::set_balance(
			&T::TreasuryAccount::get(),
			BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		let anyone = funded::<T>("anyone", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), T::Lookup::unlookup(who.clone()));
		assert_eq!(Reviewers::<T>::get(&who).unwrap().reputation, T::InitialReputation::get());
	}

	#[benchmark]
	fn close_shareholding() {
		let (id, curator) = dataset::<T>();
		let contributor = funded::<T>("contributor", 0);
		Pallet::<T>::submit_contribution(
			RawOrigin::Signed(contributor.clone()).into(),
			id,
			ContentHash::zero(),
			1,
		)
		.unwrap();
		let contribution = NextContributionId::<T>::get().saturating_sub(1);
		Pallet::<T>::decide_contribution(RawOrigin::Signed(curator).into(), contribution, false)
			.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(contributor.clone()), id);
		assert!(!Shareholdings::<T>::contains_key(id, &contributor));
	}

	#[benchmark]
	fn admit_member() {
		let (id, curator) = dataset::<T>();
		// Fill the dataset to one below its bound: the check and the count are at their worst.
		for i in 0..T::MaxMembers::get().saturating_sub(1) {
			admit::<T>(id, &account("member", i, 0), Role::Requester);
		}
		let who: T::AccountId = account("new member", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), id, T::Lookup::unlookup(who.clone()), Role::Reviewer);
		assert!(Members::<T>::get(id, &who).is_some());
	}

	#[benchmark]
	fn dismiss_member() {
		let (id, curator) = dataset::<T>();
		let who: T::AccountId = account("member", 0, 0);
		admit::<T>(id, &who, Role::Reviewer);
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), id, T::Lookup::unlookup(who.clone()), Role::Reviewer);
		assert!(Members::<T>::get(id, &who).is_none());
	}

	#[benchmark]
	fn set_rules() {
		let (id, curator) = dataset::<T>();
		let rules = DatasetRules {
			max_contribution_items: 1,
			contribution_items_per_day: 1,
			annotations_per_day: 1,
		};
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), id, rules);
		assert_eq!(Datasets::<T>::get(id).unwrap().rules, rules);
	}

	#[benchmark]
	fn expire_contribution() {
		let (id, _) = dataset::<T>();
		let (contribution, _) = contribution_with_full_ballot::<T>(id);
		let later =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ContributionTimeout::get());
		frame_system::Pallet::<T>::set_block_number(later);
		let anyone = funded::<T>("anyone", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), contribution);
		assert!(Contributions::<T>::get(contribution).is_none());
	}

	#[benchmark]
	fn remove_idle_shareholding() {
		let (id, curator) = dataset::<T>();
		let contributor = funded::<T>("contributor", 0);
		Pallet::<T>::submit_contribution(
			RawOrigin::Signed(contributor.clone()).into(),
			id,
			ContentHash::zero(),
			1,
		)
		.unwrap();
		let contribution = NextContributionId::<T>::get().saturating_sub(1);
		Pallet::<T>::withdraw_contribution(
			RawOrigin::Signed(contributor.clone()).into(),
			contribution,
		)
		.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), id, T::Lookup::unlookup(contributor.clone()));
		assert!(!Shareholdings::<T>::contains_key(id, &contributor));
	}

	#[benchmark]
	fn commit_vote() {
		let (id, _) = dataset::<T>();
		reviewer_pool::<T>(id);
		let (task, requester) = task::<T>(id, T::MaxItemsPerTask::get());
		let who = annotator::<T>(0);
		let opened_at = deliver::<T>(task, 0, &who, ContentHash::repeat_byte(3));
		open_seats::<T>(opened_at);
		let work = Work::Item { task, item: 0 };
		let panel = T::MaxQuorum::get();
		// All seats but the last taken; the last seat's reviewer holds no share record yet
		// and its commit starts the reveal period.
		let excluded = [who, requester];
		let seated = seat::<T>(work, id, opened_at, panel, panel - 1, 0, |_| true, &excluded);
		let last = drawn::<T>(&work, id, opened_at, panel, panel, &excluded)
			.into_iter()
			.find(|r| !seated.contains(r))
			.unwrap();
		let commitment = vote_commitment(&work, &last, true, &salt_of(0));
		#[extrinsic_call]
		_(RawOrigin::Signed(last), work, commitment);
		assert!(matches!(
			Slots::<T>::get(task, 0),
			Some(Slot::Submitted { ballot, .. }) if ballot.reveal_until.is_some()
		));
	}

	/// The last reveal rejects the item: every seat is paid its fee from the annotator's stake.
	#[benchmark]
	fn reveal_vote_item() {
		let (id, _) = dataset::<T>();
		reviewer_pool::<T>(id);
		let (task, _) = task::<T>(id, T::MaxItemsPerTask::get());
		let panel = T::MaxQuorum::get();
		// Approvals in the first seats, rejections from the middle on: a rejection.
		let approve = |i: usize| i < (panel / 2) as usize;
		let seated = seated_item::<T>(task, 0, ContentHash::repeat_byte(3), panel - 1, approve);
		let last = seated.last().unwrap().clone();
		let work = Work::Item { task, item: 0 };
		#[extrinsic_call]
		reveal_vote(
			RawOrigin::Signed(last),
			work,
			approve(seated.len() - 1),
			salt_of(seated.len() - 1),
		);
		assert!(Slots::<T>::get(task, 0).is_none());
	}

	/// The last reveal accepts the largest contribution: shares are minted to the contributor
	/// and every seat.
	#[benchmark]
	fn reveal_vote_contribution() {
		let (id, _) = dataset::<T>();
		let (contribution, contributor) = contribution_with_full_ballot::<T>(id);
		let Some(ballot) = Contributions::<T>::get(contribution).map(|c| c.ballot) else {
			panic!("the contribution is pending")
		};
		let index = ballot.seats.len() - 1;
		let last = ballot.seats[index].reviewer.clone();
		T::SharesHook::prepare_worst_mint(id);
		#[extrinsic_call]
		reveal_vote(
			RawOrigin::Signed(last),
			Work::Contribution(contribution),
			true,
			salt_of(index),
		);
		assert!(Contributions::<T>::get(contribution).is_none());
		assert!(Shareholdings::<T>::get(id, &contributor).unwrap().shares > 0);
	}

	#[benchmark]
	fn pay_item() {
		let (id, _) = dataset::<T>();
		reviewer_pool::<T>(id);
		let (task, _) = task::<T>(id, T::MaxItemsPerTask::get());
		let panel = T::MaxQuorum::get();
		seated_item::<T>(task, 0, ContentHash::repeat_byte(3), panel, |_| true);
		let payable_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::AcceptanceWindow::get());
		frame_system::Pallet::<T>::set_block_number(payable_at);
		let anyone = funded::<T>("anyone", 0);
		T::SharesHook::prepare_worst_mint(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), task, 0);
		assert!(matches!(Slots::<T>::get(task, 0), Some(Slot::Paid { .. })));
	}

	/// A dispute pays the reviewers who voted to reject (a minority) and rejudges every seat.
	#[benchmark]
	fn dispute_item() {
		let (id, _) = dataset::<T>();
		reviewer_pool::<T>(id);
		let (task, requester) = task::<T>(id, T::MaxItemsPerTask::get());
		let panel = T::MaxQuorum::get();
		let approve = |i: usize| i > (panel / 2).saturating_sub(1) as usize || panel == 1;
		seated_item::<T>(task, 0, ContentHash::repeat_byte(3), panel, approve);
		T::Currency::set_balance(
			&T::TreasuryAccount::get(),
			BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(requester), task, 0);
		assert!(matches!(Slots::<T>::get(task, 0), Some(Slot::Disputed { .. })));
	}

	/// A task of `n` items with the most gold items it may have, each delivered wrong by its own
	/// annotator and under review with every seat but one revealed as a rejection (each
	/// rejecter paid from the stake when it fails); every other item, delivered by one of
	/// those annotators and under review with a full sealed panel, is voided.
	#[benchmark]
	fn reveal_gold(n: Linear<1, { T::MaxItemsPerTask::get() }>) {
		let (id, _) = dataset::<T>();
		reviewer_pool::<T>(id);
		let gold = Pallet::<T>::max_gold_items(n);
		let answers: Vec<(ItemIndex, ContentHash)> =
			(0..gold).map(|item| (item, ContentHash::repeat_byte(9))).collect();
		let gold_salt = [5u8; 32];
		let (task, requester) =
			task_with_gold::<T>(id, n, Some(gold_commitment(&answers, &gold_salt)));
		let panel = T::MaxQuorum::get();
		for item in 0..n {
			let reveals = if item < gold { panel.saturating_sub(1) } else { 0 };
			let result = ContentHash::repeat_byte(3);
			let junk = annotator::<T>(item % gold);
			let seated = seated_item_by::<T>(task, item, junk, result, reveals, |_| false);
			// A reviewer outvoted on many items would fall below the floor and stop voting:
			// the setup keeps every seat's reputation where it started.
			for who in seated {
				Reviewers::<T>::mutate(&who, |r| {
					if let Some(r) = r.as_mut() {
						r.reputation = T::InitialReputation::get();
					}
				});
			}
		}
		T::Currency::set_balance(
			&T::TreasuryAccount::get(),
			BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(requester), task, answers, gold_salt);
		assert_eq!(Tasks::<T>::get(task).unwrap().gold, Gold::Revealed);
		assert!(Barred::<T>::contains_key(task, annotator::<T>(0)));
		assert_eq!(Tasks::<T>::get(task).unwrap().occupied, gold);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
