//! The attacks an outsider would try on the shares of a dataset, each a test named after its
//! scenario: written against the pallet before its trust model existed (each failed then) and
//! passing since. Balances and shares are checked exactly.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_ok, traits::{fungible::Inspect, Get}};
use sp_runtime::Perbill;
use tributary_primitives::SharePools;

const CURATOR: AccountId = ALICE;
const OUTSIDER: AccountId = EVE;
/// Fresh accounts the outsider controls.
const SYBILS: [AccountId; 3] = [100, 101, 102];

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn dataset(quorum: u32) -> DatasetId {
	let id = NextDatasetId::<Test>::get();
	assert_ok!(DataContribution::create_dataset(
		origin(CURATOR),
		b"speech".to_vec().try_into().unwrap(),
		ContentHash::repeat_byte(1),
		b"audio/wav".to_vec().try_into().unwrap(),
		b"CC-BY-4.0".to_vec().try_into().unwrap(),
		DatasetTerms {
			min_model_share: Perbill::from_percent(10),
			shares_per_item: 100,
			contribution_quorum: quorum,
		},
	));
	id
}

fn funded_sybils() -> ExtBuilder {
	SYBILS.iter().fold(ExtBuilder::default(), |b, who| b.with_balance(*who, INITIAL_BALANCE))
}

/// An outsider registers `contribution_quorum` fresh reviewers (refundable bonds), submits the
/// largest contribution allowed and has its own reviewers approve it in one block.
#[test]
fn sybil_reviewers_cannot_mint_an_outsider_the_datasets_shares() {
	funded_sybils().build_and_execute(|| {
		let data = dataset(2);
		for sybil in &SYBILS[..2] {
			assert_ok!(DataContribution::register_reviewer(origin(*sybil), MIN_REVIEWER_BOND));
		}
		let items = <Test as Config>::MaxItemsPerContribution::get();
		let contribution = NextContributionId::<Test>::get();
		let _ = DataContribution::submit_contribution(
			origin(OUTSIDER),
			data,
			ContentHash::repeat_byte(7),
			items,
		);
		for sybil in &SYBILS[..2] {
			let _ = DataContribution::review_contribution(origin(*sybil), contribution, true);
		}
		assert_eq!(DataContribution::total_shares(data), 0, "no shares minted");
		assert_eq!(DataContribution::shares_of(data, &OUTSIDER), 0);
	});
}

/// An outsider opens a zero-bounty task with `required_approvals = 1` and approves its own
/// sybil's items with another sybil.
#[test]
fn an_outsiders_zero_bounty_task_mints_no_shares() {
	funded_sybils().build_and_execute(|| {
		let data = dataset(2);
		assert_ok!(DataContribution::register_reviewer(origin(SYBILS[0]), MIN_REVIEWER_BOND));
		let task = NextTaskId::<Test>::get();
		let _ = DataContribution::open_task(origin(OUTSIDER), data, 4, 0, 0, 1, 100);
		for item in 0..4 {
			let _ = DataContribution::claim_slot(origin(SYBILS[1]), task, item);
			let _ = DataContribution::submit_result(
				origin(SYBILS[1]),
				task,
				item,
				ContentHash::repeat_byte(9),
			);
			let _ = DataContribution::review_item(origin(SYBILS[0]), task, item, true);
		}
		assert_eq!(DataContribution::total_shares(data), 0, "no shares minted");
	});
}

/// A requester reviews the items of its own task.
#[test]
fn a_requester_cannot_review_its_own_task() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		assert_ok!(DataContribution::register_reviewer(origin(CURATOR), MIN_REVIEWER_BOND));
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(CURATOR), data, 1, 1_000, 100, 1, 100));
		assert_ok!(DataContribution::claim_slot(origin(BOB), task, 0));
		assert_ok!(DataContribution::submit_result(
			origin(BOB),
			task,
			0,
			ContentHash::repeat_byte(9)
		));
		assert!(DataContribution::review_item(origin(CURATOR), task, 0, true).is_err());
		assert_eq!(DataContribution::shares_of(data, &BOB), 0);
	});
}

/// The requester closes its task while a delivered result awaits review: the annotator's work
/// would be voided unpaid.
#[test]
fn closing_a_task_does_not_void_delivered_work() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(CURATOR), data, 1, 1_000, 100, 1, 100));
		assert_ok!(DataContribution::claim_slot(origin(BOB), task, 0));
		assert_ok!(DataContribution::submit_result(
			origin(BOB),
			task,
			0,
			ContentHash::repeat_byte(9)
		));
		assert!(DataContribution::close_task(origin(CURATOR), task).is_err());
		assert!(Tasks::<Test>::contains_key(task), "the task stays open for the review");
	});
}

/// A contribution that is never decided keeps every voter's bond locked.
#[test]
fn an_undecided_contribution_expires_and_frees_its_voters() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(2);
		assert_ok!(DataContribution::register_reviewer(origin(CHARLIE), MIN_REVIEWER_BOND));
		let contribution = NextContributionId::<Test>::get();
		assert_ok!(DataContribution::submit_contribution(
			origin(BOB),
			data,
			ContentHash::repeat_byte(7),
			1
		));
		let _ = DataContribution::review_contribution(origin(CHARLIE), contribution, true);
		assert_ok!(DataContribution::unregister_reviewer(origin(CHARLIE)));
		run_to_block(10_000);
		let bond = MIN_REVIEWER_BOND;
		let before = Balances::balance(&CHARLIE);
		let _ = DataContribution::withdraw_reviewer(origin(CHARLIE));
		assert_eq!(Balances::balance(&CHARLIE), before + bond, "the bond came back");
	});
}
