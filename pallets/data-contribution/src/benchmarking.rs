//! Benchmarks of every call, each at the worst case of its bounds.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{
	Contributions, Datasets, Members, NextContributionId, NextDatasetId, NextTaskId, Reviewers,
	Shareholdings, Slots, Tasks,
};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_runtime::{
	traits::{Bounded, StaticLookup},
	Perbill, Saturating,
};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// A large but safe balance: bounties of the largest task fit many times over.
	let amount = BalanceOf::<T>::max_value() / 1_000_000u32.into();
	T::Currency::set_balance(&who, amount);
	who
}

fn max_bytes<S: Get<u32>>() -> Vec<u8> {
	vec![b'x'; S::get() as usize]
}

fn unit<T: Config>() -> BalanceOf<T> {
	1_000_000u32.into()
}

/// A dataset whose contribution quorum is the largest allowed, curated by a funded account.
fn dataset<T: Config>() -> (DatasetId, T::AccountId) {
	let curator = funded::<T>("curator", 0);
	let id = NextDatasetId::<T>::get();
	Pallet::<T>::create_dataset(
		RawOrigin::Signed(curator.clone()).into(),
		max_bytes::<T::MaxNameLength>(),
		ContentHash::repeat_byte(1),
		max_bytes::<T::MaxSchemaLength>(),
		max_bytes::<T::MaxLicenseLength>(),
		DatasetTerms {
			min_model_share: Perbill::from_percent(10),
			shares_per_item: 1_000,
			contribution_quorum: T::MaxQuorum::get(),
		},
	)
	.unwrap();
	(id, curator)
}

fn reviewer<T: Config>(index: u32) -> T::AccountId {
	let who = funded::<T>("reviewer", index);
	Pallet::<T>::register_reviewer(
		RawOrigin::Signed(who.clone()).into(),
		T::MinReviewerBond::get(),
	)
	.unwrap();
	who
}

/// The dataset's curator admits `who` to `role`.
fn admit<T: Config>(dataset: DatasetId, who: &T::AccountId, role: Role) {
	let curator = Datasets::<T>::get(dataset).unwrap().curator;
	Pallet::<T>::admit_member(
		RawOrigin::Signed(curator).into(),
		dataset,
		T::Lookup::unlookup(who.clone()),
		role,
	)
	.unwrap();
}

/// A bonded reviewer the dataset's curator admitted.
fn dataset_reviewer<T: Config>(dataset: DatasetId, index: u32) -> T::AccountId {
	let who: T::AccountId = account("reviewer", index, 0);
	if !Reviewers::<T>::contains_key(&who) {
		reviewer::<T>(index);
	}
	if !Members::<T>::get(dataset, &who).is_some_and(|roles| roles.has(Role::Reviewer)) {
		admit::<T>(dataset, &who, Role::Reviewer);
	}
	who
}

/// A pending contribution with `quorum - 1` approvals and `quorum - 1` rejections: the fullest
/// ballot that has not decided yet.
fn contribution_with_full_ballot<T: Config>(dataset: DatasetId) -> (ContributionId, T::AccountId) {
	let contributor = funded::<T>("contributor", 0);
	let id = NextContributionId::<T>::get();
	Pallet::<T>::submit_contribution(
		RawOrigin::Signed(contributor.clone()).into(),
		dataset,
		ContentHash::repeat_byte(2),
		T::MaxItemsPerContribution::get(),
	)
	.unwrap();
	let side = T::MaxQuorum::get().saturating_sub(1);
	for i in 0..side {
		let r = dataset_reviewer::<T>(dataset, i);
		Pallet::<T>::review_contribution(RawOrigin::Signed(r).into(), id, true).unwrap();
	}
	for i in side..2 * side {
		let r = dataset_reviewer::<T>(dataset, i);
		Pallet::<T>::review_contribution(RawOrigin::Signed(r).into(), id, false).unwrap();
	}
	(id, contributor)
}

/// A task with `items` items, the largest quorum and real amounts, opened by an admitted
/// requester.
fn task<T: Config>(dataset: DatasetId, items: u32) -> (TaskId, T::AccountId) {
	let requester = funded::<T>("requester", 0);
	admit::<T>(dataset, &requester, Role::Requester);
	let id = NextTaskId::<T>::get();
	let deadline =
		frame_system::Pallet::<T>::block_number().saturating_add(T::MaxTaskDuration::get());
	Pallet::<T>::open_task(
		RawOrigin::Signed(requester.clone()).into(),
		dataset,
		items,
		unit::<T>(),
		unit::<T>(),
		T::MaxQuorum::get(),
		deadline,
	)
	.unwrap();
	(id, requester)
}

/// Claims and submits `item`, then casts `quorum - 1` approvals and `quorum - 1` rejections.
fn submitted_item_with_full_ballot<T: Config>(
	task: TaskId,
	item: ItemIndex,
	annotator: &T::AccountId,
) {
	Pallet::<T>::claim_slot(RawOrigin::Signed(annotator.clone()).into(), task, item).unwrap();
	Pallet::<T>::submit_result(
		RawOrigin::Signed(annotator.clone()).into(),
		task,
		item,
		ContentHash::repeat_byte(3),
	)
	.unwrap();
	let side = T::MaxQuorum::get().saturating_sub(1);
	let dataset = Tasks::<T>::get(task).unwrap().dataset;
	for i in 0..2 * side {
		let r = dataset_reviewer::<T>(dataset, i);
		Pallet::<T>::review_item(RawOrigin::Signed(r).into(), task, item, i < side).unwrap();
	}
}

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
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), contribution, true);
		assert!(Contributions::<T>::get(contribution).is_none());
		assert!(Shareholdings::<T>::get(id, &contributor).unwrap().shares > 0);
	}

	#[benchmark]
	fn review_contribution() {
		let (id, _) = dataset::<T>();
		let (contribution, contributor) = contribution_with_full_ballot::<T>(id);
		let deciding = dataset_reviewer::<T>(id, 1_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(deciding), contribution, true);
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
	fn review_item() {
		let (id, _) = dataset::<T>();
		let (task, _) = task::<T>(id, T::MaxItemsPerTask::get());
		let annotator = funded::<T>("annotator", 0);
		submitted_item_with_full_ballot::<T>(task, 0, &annotator);
		let deciding = dataset_reviewer::<T>(id, 1_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(deciding), task, 0, true);
		assert!(matches!(Slots::<T>::get(task, 0), Some(Slot::Accepted { .. })));
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
		let (task, _) = task::<T>(id, T::MaxItemsPerTask::get());
		let annotator = funded::<T>("annotator", 0);
		for item in 0..n {
			submitted_item_with_full_ballot::<T>(task, item, &annotator);
		}
		// Results still under review keep a task open until the review window has passed.
		let after_review = Tasks::<T>::get(task)
			.unwrap()
			.deadline
			.saturating_add(T::ReviewWindow::get())
			.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(after_review);
		let anyone = funded::<T>("anyone", 0);
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

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
