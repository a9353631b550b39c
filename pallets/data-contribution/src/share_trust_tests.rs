//! What an outsider would try on the shares of a dataset, each a test named after its
//! scenario: written against the pallet before its trust model existed (each failed then) and
//! passing since. Balances and shares are checked exactly.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{
	mock::*,
	pallet::*,
	tests::{commit, deliver, item_work, reputation, revision, sealed_review, submit},
	types::*,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Get,
	},
};
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
		b"speech".to_vec(),
		ContentHash::repeat_byte(1),
		b"audio/wav".to_vec(),
		b"CC-BY-4.0".to_vec(),
		DatasetTerms {
			min_model_share: Perbill::from_percent(10),
			shares_per_item: 100,
			contribution_quorum: quorum,
		},
	));
	id
}

type E = Error<Test>;

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::DataContribution(reason), &who)
}

fn admit(dataset: DatasetId, who: AccountId, role: Role) {
	assert_ok!(DataContribution::admit_member(origin(CURATOR), dataset, who, role));
}

/// A reviewer the curator admitted, with its bond.
fn admitted_reviewer(dataset: DatasetId, who: AccountId) {
	assert_ok!(DataContribution::register_reviewer(origin(who), MIN_REVIEWER_BOND));
	admit(dataset, who, Role::Reviewer);
}

fn funded_sybils() -> ExtBuilder {
	SYBILS.iter().fold(ExtBuilder::default(), |b, who| b.with_balance(*who, INITIAL_BALANCE))
}

/// An outsider registers `contribution_quorum` fresh reviewers (refundable bonds), submits the
/// largest contribution allowed and has its own reviewers approve it in one block. Only
/// reviewers the curator admitted vote, so the sybils' votes are refused; the curator rejects
/// the junk and the outsider's stake on every item it claimed goes to the treasury.
#[test]
fn sybil_reviewers_cannot_mint_an_outsider_the_datasets_shares() {
	funded_sybils().build_and_execute(|| {
		let data = dataset(2);
		for sybil in &SYBILS[..2] {
			assert_ok!(DataContribution::register_reviewer(origin(*sybil), MIN_REVIEWER_BOND));
		}
		let items = <Test as Config>::MaxItemsPerContribution::get();
		let contribution = submit(OUTSIDER, data, items);
		let stake = STAKE_PER_ITEM * items as Balance;
		assert_eq!(held(HoldReason::ContributionDeposit, OUTSIDER), CONTRIBUTION_DEPOSIT + stake);
		for sybil in &SYBILS[..2] {
			assert_noop!(
				commit(*sybil, Work::Contribution(contribution), true),
				E::NotDatasetReviewer
			);
		}
		assert_eq!(DataContribution::total_shares(data), 0, "no shares minted");

		let treasury = Balances::balance(&TREASURY);
		assert_ok!(DataContribution::decide_contribution(origin(CURATOR), contribution, false));
		assert_eq!(DataContribution::shares_of(data, &OUTSIDER), 0);
		assert_eq!(Balances::balance(&TREASURY), treasury + stake);
		assert_eq!(held(HoldReason::ContributionDeposit, OUTSIDER), 0);
		assert_eq!(
			Balances::total_balance(&OUTSIDER),
			INITIAL_BALANCE - stake,
			"the outsider lost exactly its stake"
		);
	});
}

/// An outsider opens a zero-bounty task with `required_approvals = 1` to approve its own
/// sybil's items with another sybil. Only the curator and the requesters it admitted open
/// tasks, and never below the dataset's quorum.
#[test]
fn an_outsiders_zero_bounty_task_mints_no_shares() {
	funded_sybils().build_and_execute(|| {
		let data = dataset(2);
		assert_ok!(DataContribution::register_reviewer(origin(SYBILS[0]), MIN_REVIEWER_BOND));
		assert_noop!(
			DataContribution::open_task(origin(OUTSIDER), data, 4, 0, 0, 1, 100, None),
			E::NotDatasetRequester
		);
		assert_noop!(
			DataContribution::open_task(origin(OUTSIDER), data, 4, 0, 0, 2, 100, None),
			E::NotDatasetRequester
		);
		// Even a requester the curator admitted cannot go below the dataset's quorum.
		admit(data, BOB, Role::Requester);
		assert_noop!(
			DataContribution::open_task(origin(BOB), data, 4, 0, 0, 1, 100, None),
			E::QuorumBelowDataset
		);
		assert_eq!(NextTaskId::<Test>::get(), 0, "no task was opened");
		assert_eq!(DataContribution::total_shares(data), 0, "no shares minted");
	});
}

/// Reviews of a task that pays reviewers nothing earn no reputation: reputation cannot be
/// farmed for free.
#[test]
fn zero_fee_tasks_earn_reviewers_no_reputation() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		admitted_reviewer(data, CHARLIE);
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(CURATOR), data, 1, 1_000, 0, 1, 100, None));
		deliver(task, 0, BOB, ContentHash::repeat_byte(9));
		sealed_review(item_work(task, 0), &[(CHARLIE, true)]);
		assert_eq!(reputation(CHARLIE), INITIAL_REPUTATION);
		assert_ok!(DataContribution::pay_item(origin(CURATOR), task, 0));
		assert_eq!(DataContribution::shares_of(data, &BOB), 100, "the work itself counts");
	});
}

/// A requester reviews the items of its own task: refused, even when the curator admitted it as
/// a reviewer.
#[test]
fn a_requester_cannot_review_its_own_task() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		admitted_reviewer(data, CURATOR);
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(CURATOR), data, 1, 1_000, 100, 1, 100, None));
		deliver(task, 0, BOB, ContentHash::repeat_byte(9));
		run_to_block(2);
		assert_noop!(commit(CURATOR, item_work(task, 0), true), E::SelfReview);
		assert_eq!(DataContribution::shares_of(data, &BOB), 0);
	});
}

/// The requester closes its task while a delivered result awaits review: the annotator's work
/// would be voided unpaid. The result gets its review first.
#[test]
fn closing_a_task_does_not_void_delivered_work() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		admitted_reviewer(data, CHARLIE);
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(CURATOR), data, 1, 1_000, 100, 1, 100, None));
		deliver(task, 0, BOB, ContentHash::repeat_byte(9));
		assert_noop!(DataContribution::close_task(origin(CURATOR), task), E::ItemsUnderReview);
		let bob = Balances::balance(&BOB);
		sealed_review(item_work(task, 0), &[(CHARLIE, true)]);
		// Accepted work is paid (or disputed) before the task closes.
		assert_noop!(DataContribution::close_task(origin(CURATOR), task), E::ItemsAwaitingPayment);
		assert_ok!(DataContribution::pay_item(origin(CURATOR), task, 0));
		assert_eq!(
			Balances::balance(&BOB),
			bob + 1_000 + 100,
			"the annotator was paid, and its stake returned"
		);
		assert_ok!(DataContribution::close_task(origin(CURATOR), task));
	});
}

/// A contribution that is never decided kept every voter's bond locked. It expires: anyone
/// ends it without a verdict, the contributor gets its deposit and stake back and the voters'
/// bonds are free.
#[test]
fn an_undecided_contribution_expires_and_frees_its_voters() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(2);
		admitted_reviewer(data, CHARLIE);
		let contribution = submit(BOB, data, 1);
		run_to_block(2);
		assert_ok!(commit(CHARLIE, Work::Contribution(contribution), true));
		assert_ok!(DataContribution::unregister_reviewer(origin(CHARLIE)));
		run_to_block(2 + REVIEWER_COOLDOWN);
		assert_noop!(DataContribution::withdraw_reviewer(origin(CHARLIE)), E::OpenVotes);
		assert_noop!(
			DataContribution::expire_contribution(origin(DAVE), contribution),
			E::ContributionNotExpired
		);
		run_to_block(1 + CONTRIBUTION_TIMEOUT);
		let bob = Balances::balance(&BOB);
		assert_ok!(DataContribution::expire_contribution(origin(DAVE), contribution));
		assert_eq!(Balances::balance(&BOB), bob + CONTRIBUTION_DEPOSIT + STAKE_PER_ITEM);
		assert_eq!(DataContribution::shares_of(data, &BOB), 0);
		assert_eq!(reputation(CHARLIE), INITIAL_REPUTATION);
		let before = Balances::balance(&CHARLIE);
		assert_ok!(DataContribution::withdraw_reviewer(origin(CHARLIE)));
		assert_eq!(Balances::balance(&CHARLIE), before + MIN_REVIEWER_BOND, "the bond came back");
	});
}

/// A reviewer below the reputation floor leaves before anyone slashes it: leaving slashes it
/// first, all of it to the treasury.
#[test]
fn leaving_below_the_reputation_floor_does_not_dodge_the_slash() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(2);
		admitted_reviewer(data, CHARLIE);
		admitted_reviewer(data, DAVE);
		// Outvoted twice (a tie rejects): 100 - 30 - 30 = 40, below the floor of 50.
		for _ in 0..2 {
			let c = submit(BOB, data, 1);
			sealed_review(Work::Contribution(c), &[(CHARLIE, true), (DAVE, false)]);
		}
		assert_eq!(reputation(CHARLIE), 40);
		assert_ok!(DataContribution::unregister_reviewer(origin(CHARLIE)));
		run_to_block(3 + REVIEWER_COOLDOWN);
		let treasury = Balances::balance(&TREASURY);
		let before = Balances::balance(&CHARLIE);
		assert_ok!(DataContribution::withdraw_reviewer(origin(CHARLIE)));
		let slashed = Perbill::from_percent(20) * MIN_REVIEWER_BOND;
		assert_eq!(Balances::balance(&TREASURY), treasury + slashed);
		assert_eq!(Balances::balance(&CHARLIE), before + MIN_REVIEWER_BOND - slashed);
	});
}

/// One account fills a dataset with huge contributions, or floods it day after day. The
/// curator bounds both: the largest contribution and the items per account per day.
#[test]
fn contribution_size_and_daily_caps_bound_what_one_account_claims() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		let rules = DatasetRules {
			max_contribution_items: 10,
			contribution_items_per_day: 15,
			annotations_per_day: 1,
		};
		assert_noop!(DataContribution::set_rules(origin(BOB), data, rules), E::NotCurator);
		assert_ok!(DataContribution::set_rules(origin(CURATOR), data, rules));
		assert_noop!(
			DataContribution::submit_contribution(origin(BOB), data, ContentHash::zero(), 11),
			E::TooManyItems
		);
		submit(BOB, data, 10);
		assert_noop!(
			DataContribution::submit_contribution(origin(BOB), data, ContentHash::zero(), 6),
			E::DailyCapReached
		);
		submit(BOB, data, 5);
		// The next day the count starts again.
		run_to_block(BLOCKS_PER_DAY);
		submit(BOB, data, 10);

		// One claim a day: one account cannot squat on every slot of a task.
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(CURATOR), data, 2, 10, 1, 1, 2_000, None));
		assert_ok!(DataContribution::claim_slot(origin(DAVE), task, 0));
		assert_noop!(DataContribution::claim_slot(origin(DAVE), task, 1), E::DailyCapReached);
		assert_ok!(DataContribution::submit_result(origin(DAVE), task, 0, ContentHash::zero()));
		assert_ok!(DataContribution::claim_slot(origin(CHARLIE), task, 1));
	});
}

/// Accounts open share records and leave them empty to fill the dataset's `MaxHolders`. The
/// curator removes idle empty records (their deposits go back to their holders).
#[test]
fn the_curator_clears_idle_share_records() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		let c = submit(BOB, data, 1);
		assert_noop!(
			DataContribution::remove_idle_shareholding(origin(CURATOR), data, BOB),
			E::ShareholdingInUse
		);
		assert_ok!(DataContribution::withdraw_contribution(origin(BOB), c));
		assert_noop!(
			DataContribution::remove_idle_shareholding(origin(CHARLIE), data, BOB),
			E::NotCurator
		);
		let holders = Datasets::<Test>::get(data).unwrap().holders;
		assert_ok!(DataContribution::remove_idle_shareholding(origin(CURATOR), data, BOB));
		assert_eq!(Datasets::<Test>::get(data).unwrap().holders, holders - 1);
		assert_eq!(
			Balances::balance(&BOB),
			INITIAL_BALANCE - STAKE_PER_ITEM,
			"every deposit returned; the withdrawn item's stake forfeited"
		);
		assert_noop!(
			DataContribution::remove_idle_shareholding(origin(CURATOR), data, BOB),
			E::NoShareholding
		);
	});
}

/// A contributor of junk withdraws as soon as rejections appear (or the curator's rejection is
/// in the pool): withdrawing forfeits the stake as a rejection does.
#[test]
fn withdrawing_junk_does_not_dodge_the_stake() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(2);
		admitted_reviewer(data, CHARLIE);
		let contribution = submit(OUTSIDER, data, 100);
		run_to_block(2);
		assert_ok!(commit(CHARLIE, Work::Contribution(contribution), false));
		let treasury = Balances::balance(&TREASURY);
		assert_ok!(DataContribution::withdraw_contribution(origin(OUTSIDER), contribution));
		assert_eq!(Balances::balance(&TREASURY), treasury + 100 * STAKE_PER_ITEM);
		assert_eq!(Balances::total_balance(&OUTSIDER), INITIAL_BALANCE - 100 * STAKE_PER_ITEM);
	});
}

/// A requester annotates its own task: it would pay itself the bounty and mint itself shares.
#[test]
fn a_requester_cannot_annotate_its_own_task() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(CURATOR), data, 1, 1_000, 100, 1, 100, None));
		assert_noop!(DataContribution::claim_slot(origin(CURATOR), task, 0), E::SelfReview);
	});
}

/// The curator offers the dataset, then admits a sybil reviewer before the offer is accepted.
/// The taker names the state it accepts (the dataset's revision, which the offer's event gives);
/// a dataset changed since is not handed over, and the taker may accept it as it now is,
/// knowingly.
#[test]
fn accepting_a_curatorship_that_changed_after_the_offer_fails() {
	funded_sybils().build_and_execute(|| {
		let id = dataset(2);
		assert_ok!(DataContribution::offer_curatorship(origin(CURATOR), id, Some(BOB)));
		let offered = revision(id);
		assert_eq!(
			events_since_last_call().last(),
			Some(&Event::CuratorshipOffered { dataset: id, to: Some(BOB), revision: offered })
		);
		admit(id, SYBILS[0], Role::Reviewer);
		assert_noop!(
			DataContribution::accept_curatorship(origin(BOB), id, offered),
			E::OfferChanged
		);
		let now = revision(id);
		assert_ok!(DataContribution::accept_curatorship(origin(BOB), id, now));
		assert_eq!(Datasets::<Test>::get(id).unwrap().curator, BOB);
		assert_eq!(held(HoldReason::DatasetDeposit, CURATOR), 0);
		assert_eq!(held(HoldReason::DatasetDeposit, BOB), DATASET_DEPOSIT);
		// The new curator dismisses the member it did not want.
		assert_ok!(DataContribution::dismiss_member(origin(BOB), id, SYBILS[0], Role::Reviewer));
	});
}

/// The curator offers a dataset with no shares yet (its pool revenue goes to the curator), then
/// has its own alt's contribution accepted before the offer is taken: the alt would hold every
/// share of the dataset the taker pays the deposit for. A curator's verdict is a change the
/// taker must see.
#[test]
fn a_verdict_after_the_offer_changes_what_is_accepted() {
	funded_sybils().build_and_execute(|| {
		let id = dataset(2);
		assert_ok!(DataContribution::offer_curatorship(origin(CURATOR), id, Some(BOB)));
		let offered = revision(id);
		let contribution = submit(SYBILS[0], id, 1);
		assert_ok!(DataContribution::decide_contribution(origin(CURATOR), contribution, true));
		assert_noop!(
			DataContribution::accept_curatorship(origin(BOB), id, offered),
			E::OfferChanged
		);
	});
}

/// A requester the curator admitted opens tasks that nobody works on, holding the dataset's
/// task slots until their deadlines. The curator closes them (the requester gets its bounty
/// and deposit back) and may dismiss the requester.
#[test]
fn the_curator_clears_spam_tasks() {
	ExtBuilder::default().build_and_execute(|| {
		let data = dataset(1);
		admit(data, BOB, Role::Requester);
		let task = NextTaskId::<Test>::get();
		assert_ok!(DataContribution::open_task(origin(BOB), data, 4, 0, 0, 1, 1_000, None));
		assert_noop!(DataContribution::close_task(origin(CHARLIE), task), E::NotRequester);
		assert_ok!(DataContribution::close_task(origin(CURATOR), task));
		assert_eq!(Datasets::<Test>::get(data).unwrap().open_tasks, 0);
		assert_eq!(Balances::balance(&BOB), INITIAL_BALANCE, "deposit and bounty returned");
		assert_ok!(DataContribution::dismiss_member(origin(CURATOR), data, BOB, Role::Requester));
		assert_noop!(
			DataContribution::open_task(origin(BOB), data, 4, 0, 0, 1, 1_000, None),
			E::NotDatasetRequester
		);
	});
}
