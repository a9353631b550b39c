//! The v0 → v1 migration on a chain that lived under v0: open ballots with votes, a submitted
//! result under review, an item paid on acceptance.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{
	migrations::{BallotV0, ContributionV0, DatasetV0, MigrateToV1, SlotV0, TaskV0},
	mock::*,
	pallet::*,
	tests::{commit, item_work, sealed_review},
	types::*,
};
use frame_support::{
	assert_ok,
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};
use sp_runtime::Perbill;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn v0_ballot(approvals: Vec<AccountId>) -> BallotV0<Test> {
	BallotV0 { approvals: approvals.try_into().unwrap(), rejections: Default::default() }
}

#[test]
fn v0_state_migrates_to_sealed_ballots_with_every_vote_released() {
	ExtBuilder::default().build_and_execute(|| {
		// A chain as v1 would have it, then rewritten record by record into its v0 layout
		// (the counters and holds are the same in both).
		let data = NextDatasetId::<Test>::get();
		assert_ok!(DataContribution::create_dataset(
			origin(ALICE),
			b"d".to_vec(),
			ContentHash::zero(),
			b"s".to_vec(),
			b"l".to_vec(),
			DatasetTerms {
				min_model_share: Perbill::from_percent(10),
				shares_per_item: 100,
				contribution_quorum: 2,
			},
		));
		for who in [CHARLIE, DAVE] {
			assert_ok!(DataContribution::register_reviewer(origin(who), MIN_REVIEWER_BOND));
			assert_ok!(DataContribution::admit_member(origin(ALICE), data, who, Role::Reviewer));
		}
		assert_ok!(DataContribution::admit_member(origin(ALICE), data, BOB, Role::Requester));
		let contribution = NextContributionId::<Test>::get();
		assert_ok!(DataContribution::submit_contribution(
			origin(BOB),
			data,
			ContentHash::zero(),
			1
		));
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(BOB), data, 2, 1_000, 100, 2, 100, None));
		for (item, annotator) in [(0, EVE), (1, FERDIE)] {
			assert_ok!(DataContribution::claim_slot(origin(annotator), task, item));
			assert_ok!(DataContribution::submit_result(
				origin(annotator),
				task,
				item,
				ContentHash::zero()
			));
		}
		sealed_review(item_work(task, 1), &[(CHARLIE, true), (DAVE, true)]);
		assert_ok!(DataContribution::pay_item(origin(BOB), task, 1));
		// Open votes, as v0 voters had them: Charlie on the contribution, Dave on item 0.
		assert_ok!(commit(CHARLIE, Work::Contribution(contribution), true));
		assert_ok!(commit(DAVE, item_work(task, 0), true));
		// v0 took no annotation stake.
		assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<_>>::release(
			&RuntimeHoldReason::DataContribution(HoldReason::AnnotationStake),
			&EVE,
			200,
			frame_support::traits::tokens::Precision::Exact,
		));

		let record = Datasets::<Test>::get(data).unwrap();
		unhashed::put(
			&Datasets::<Test>::hashed_key_for(data),
			&DatasetV0::<Test> {
				curator: record.curator,
				pending_curator: record.pending_curator,
				metadata: record.metadata,
				terms: record.terms,
				total_shares: record.total_shares,
				holders: record.holders,
				pending_contributions: record.pending_contributions,
				open_tasks: record.open_tasks,
				members: record.members,
				rules: record.rules,
				frozen: record.frozen,
				deposit: record.deposit,
				revision: record.revision,
			},
		);
		let c = Contributions::<Test>::get(contribution).unwrap();
		unhashed::put(
			&Contributions::<Test>::hashed_key_for(contribution),
			&ContributionV0::<Test> {
				dataset: c.dataset,
				contributor: c.contributor,
				content_hash: c.content_hash,
				item_count: c.item_count,
				ballot: v0_ballot(vec![CHARLIE]),
				deposit: c.deposit,
				stake: c.stake,
				submitted_at: c.submitted_at,
			},
		);
		let t = Tasks::<Test>::get(task).unwrap();
		unhashed::put(
			&Tasks::<Test>::hashed_key_for(task),
			&TaskV0::<Test> {
				requester: t.requester,
				dataset: t.dataset,
				item_count: t.item_count,
				reward_per_item: t.reward_per_item,
				reviewer_fee: t.reviewer_fee,
				required_approvals: t.reviewers_per_item,
				deadline: t.deadline,
				occupied: t.occupied,
				under_review: t.under_review,
				accepted: t.paid,
				remaining_bounty: t.remaining_bounty,
				deposit: t.deposit,
			},
		);
		unhashed::put(
			&Slots::<Test>::hashed_key_for(task, 0),
			&SlotV0::<Test>::Submitted {
				annotator: EVE,
				result_hash: ContentHash::zero(),
				ballot: v0_ballot(vec![DAVE]),
			},
		);
		unhashed::put(
			&Slots::<Test>::hashed_key_for(task, 1),
			&SlotV0::<Test>::Accepted { annotator: FERDIE, result_hash: ContentHash::zero() },
		);
		StorageVersion::new(0).put::<DataContribution>();

		run_to_block(10);
		MigrateToV1::<Test>::on_runtime_upgrade();

		assert_eq!(DataContribution::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Datasets::<Test>::get(data).unwrap().reviewers, 2);
		let ballot = Contributions::<Test>::get(contribution).unwrap().ballot;
		assert_eq!((ballot.opened_at, ballot.pool, ballot.seats.len()), (10, 2, 0));
		let task_now = Tasks::<Test>::get(task).unwrap();
		assert_eq!(
			(task_now.reviewers_per_item, task_now.paid, task_now.awaiting_payment),
			(2, 1, 0)
		);
		assert!(matches!(
			Slots::<Test>::get(task, 0),
			Some(Slot::Submitted { annotator: EVE, stake: 0, ballot, .. }) if ballot.seats.is_empty()
		));
		assert!(matches!(Slots::<Test>::get(task, 1), Some(Slot::Paid { annotator: FERDIE, .. })));
		// The v0 votes were released without judgement.
		for who in [CHARLIE, DAVE] {
			let reviewer = Reviewers::<Test>::get(who).unwrap();
			assert_eq!(reviewer.open_votes, 0);
		}
		DataContribution::do_try_state().unwrap();

		// The migrated result, holding no stake, is still judged: rejected, its reviewers are paid
		// what its (absent) stake covers, nothing, and no other item's stake is touched.
		let eve = Balances::free_balance(EVE);
		sealed_review(item_work(task, 0), &[(CHARLIE, false), (DAVE, false)]);
		assert!(Slots::<Test>::get(task, 0).is_none());
		assert_eq!(Balances::free_balance(EVE), eve);
		DataContribution::do_try_state().unwrap();

		// It runs once: a second upgrade changes nothing.
		let before = Datasets::<Test>::get(data);
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Datasets::<Test>::get(data), before);
	});
}
