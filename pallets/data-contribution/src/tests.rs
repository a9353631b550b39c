//! Unit tests: every call, every error, exact balances; and a property test over random call
//! sequences checking the invariants after every step.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, types::*};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{DispatchError, DispatchResult, Perbill};
use tributary_primitives::{DatasetInspect, SharePools};

type E = Error<Test>;

const SHARES_PER_ITEM: u128 = 100;
const QUORUM: u32 = 2;
const REWARD: Balance = 1_000;
const FEE: Balance = 100;
const ITEMS: u32 = 4;
const DEADLINE: u64 = 100;
/// One accepted item costs the reward and two reviewer fees.
const PER_ITEM: Balance = REWARD + QUORUM as Balance * FEE;
const BOUNTY: Balance = PER_ITEM * ITEMS as Balance;
const TASK_DEPOSIT: Balance = TASK_DEPOSIT_BASE + TASK_DEPOSIT_PER_ITEM * ITEMS as Balance;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// The dataset's current revision, which an acceptance names.
pub(crate) fn revision(dataset: DatasetId) -> u32 {
	Datasets::<Test>::get(dataset).map_or(0, |record| record.revision)
}

fn terms() -> DatasetTerms {
	DatasetTerms {
		min_model_share: Perbill::from_percent(10),
		shares_per_item: SHARES_PER_ITEM,
		contribution_quorum: QUORUM,
	}
}

fn create_dataset_with(
	curator: AccountId,
	terms: DatasetTerms,
) -> Result<DatasetId, DispatchError> {
	let id = NextDatasetId::<Test>::get();
	DataContribution::create_dataset(
		origin(curator),
		b"speech-commands".to_vec(),
		ContentHash::repeat_byte(1),
		b"audio/wav".to_vec(),
		b"CC-BY-4.0".to_vec(),
		terms,
	)?;
	admit_every_test_account(id);
	Ok(id)
}

/// The accounts these tests work with, admitted by the curator as reviewers and requesters.
const MEMBERS: [AccountId; 7] = [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE, POOR];

/// Opens a dataset to every test account, as if its curator had admitted each to both roles:
/// these tests are about contributions, tasks and reviews, so they start from a dataset whose
/// governance admits everyone. Admission itself (`admit_member`, `dismiss_member`) and what it
/// keeps out are tested in `governance` and in `attacks`; this writes the same records without
/// the events those calls emit, so each test's event list stays about its own subject.
fn admit_every_test_account(dataset: DatasetId) {
	for who in MEMBERS {
		Members::<Test>::insert(dataset, who, Membership { reviewer: true, requester: true });
	}
	Datasets::<Test>::mutate(dataset, |record| {
		let record = record.as_mut().unwrap();
		record.members = MEMBERS.len() as u32;
		record.reviewers = MEMBERS.len() as u32;
	});
}

fn create_dataset(curator: AccountId) -> DatasetId {
	create_dataset_with(curator, terms()).unwrap()
}

fn open_task(requester: AccountId, dataset: DatasetId) -> TaskId {
	let id = NextTaskId::<Test>::get();
	assert_ok!(DataContribution::open_task(
		origin(requester),
		dataset,
		ITEMS,
		REWARD,
		FEE,
		QUORUM,
		DEADLINE,
		None
	));
	id
}

pub(crate) fn submit(contributor: AccountId, dataset: DatasetId, items: u32) -> ContributionId {
	let id = NextContributionId::<Test>::get();
	assert_ok!(DataContribution::submit_contribution(
		origin(contributor),
		dataset,
		ContentHash::repeat_byte(7),
		items
	));
	id
}

fn register(reviewer: AccountId) {
	assert_ok!(DataContribution::register_reviewer(origin(reviewer), MIN_REVIEWER_BOND));
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::DataContribution(reason), &who)
}

pub(crate) fn shares(dataset: DatasetId, who: AccountId) -> u128 {
	DataContribution::shares_of(dataset, &who)
}

pub(crate) fn reputation(who: AccountId) -> u32 {
	Reviewers::<Test>::get(who).unwrap().reputation
}

fn dataset_created(dataset: DatasetId, curator: AccountId) -> Event<Test> {
	Event::DatasetCreated { dataset, curator, terms: terms() }
}

/// The event of `open_task` (the helper above).
fn task_opened(task: TaskId, dataset: DatasetId, requester: AccountId) -> Event<Test> {
	Event::TaskOpened {
		task,
		dataset,
		requester,
		item_count: ITEMS,
		bounty: BOUNTY,
		deadline: DEADLINE,
		gold: None,
	}
}

/// The event of `submit` (the helper above).
fn contribution_submitted(
	contribution: ContributionId,
	dataset: DatasetId,
	contributor: AccountId,
	item_count: u32,
) -> Event<Test> {
	Event::ContributionSubmitted {
		contribution,
		dataset,
		contributor,
		content_hash: ContentHash::repeat_byte(7),
		item_count,
	}
}

fn reviewer_registered(reviewer: AccountId) -> Event<Test> {
	Event::ReviewerRegistered { reviewer, bond: MIN_REVIEWER_BOND }
}

/// Each account's salt for its sealed votes.
pub(crate) fn salt(who: AccountId) -> Salt {
	[who as u8; 32]
}

/// The work `item` of `task`.
/// `who` claims `item` of `task` and submits `result` for it.
pub(crate) fn deliver(task: TaskId, item: ItemIndex, who: AccountId, result: ContentHash) {
	assert_ok!(DataContribution::claim_slot(RuntimeOrigin::signed(who), task, item));
	assert_ok!(DataContribution::submit_result(RuntimeOrigin::signed(who), task, item, result));
}

pub(crate) fn item_work(task: TaskId, item: ItemIndex) -> Work {
	Work::Item { task, item }
}

/// `who` takes a seat on `work` with a sealed `approve`.
pub(crate) fn commit(who: AccountId, work: Work, approve: bool) -> DispatchResult {
	let commitment = vote_commitment(&work, &who, approve, &salt(who));
	DataContribution::commit_vote(origin(who), work, commitment)
}

/// `who` reveals the vote it sealed with `commit`.
pub(crate) fn reveal(who: AccountId, work: Work, approve: bool) -> DispatchResult {
	DataContribution::reveal_vote(origin(who), work, approve, salt(who))
}

/// From the next block (the draw's seed is the submission block's hash), seats every voter of
/// `votes` on `work`'s panel, then reveals every vote; the last reveal concludes the ballot.
pub(crate) fn sealed_review(work: Work, votes: &[(AccountId, bool)]) {
	run_to_block(System::block_number() + 1);
	for (who, approve) in votes {
		assert_ok!(commit(*who, work, *approve));
	}
	for (who, approve) in votes {
		assert_ok!(reveal(*who, work, *approve));
	}
}

/// Claims and submits item `item` for `annotator`, has `approvers` accept it on a sealed
/// panel, and has the requester pay it; asserts each step.
fn complete_item(task: TaskId, item: ItemIndex, annotator: AccountId, approvers: &[AccountId]) {
	assert_ok!(DataContribution::claim_slot(origin(annotator), task, item));
	assert_ok!(DataContribution::submit_result(
		origin(annotator),
		task,
		item,
		ContentHash::repeat_byte(9)
	));
	let votes: Vec<_> = approvers.iter().map(|who| (*who, true)).collect();
	sealed_review(item_work(task, item), &votes);
	let requester = Tasks::<Test>::get(task).unwrap().requester;
	assert_ok!(DataContribution::pay_item(origin(requester), task, item));
}

mod datasets {
	use super::*;

	#[test]
	fn create_holds_the_deposit_and_stores_the_dataset() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			assert_eq!(id, 0);
			assert_eq!(NextDatasetId::<Test>::get(), 1);
			let dataset = Datasets::<Test>::get(id).unwrap();
			assert_eq!(dataset.curator, ALICE);
			assert_eq!(dataset.terms, terms());
			assert_eq!(dataset.metadata.manifest_hash, ContentHash::repeat_byte(1));
			assert_eq!(dataset.total_shares, 0);
			assert!(!dataset.frozen);
			assert_eq!(held(HoldReason::DatasetDeposit, ALICE), DATASET_DEPOSIT);
			assert_eq!(free(ALICE), INITIAL_BALANCE - DATASET_DEPOSIT);
			assert_eq!(events_since_last_call(), vec![dataset_created(0, ALICE)]);
			assert_eq!(create_dataset(BOB), 1);
			assert_eq!(events_since_last_call(), vec![dataset_created(1, BOB)]);
		});
	}

	#[test]
	fn create_rejects_bad_terms_and_poor_curators() {
		ExtBuilder::default().build_and_execute(|| {
			let zero_shares = DatasetTerms { shares_per_item: 0, ..terms() };
			assert_noop!(create_dataset_with(ALICE, zero_shares), E::ZeroSharesPerItem);
			let no_quorum = DatasetTerms { contribution_quorum: 0, ..terms() };
			assert_noop!(create_dataset_with(ALICE, no_quorum), E::InvalidQuorum);
			let big_quorum = DatasetTerms { contribution_quorum: MAX_QUORUM + 1, ..terms() };
			assert_noop!(create_dataset_with(ALICE, big_quorum), E::InvalidQuorum);
			assert_noop!(create_dataset_with(POOR, terms()), E::InsufficientFunds);
		});
	}

	#[test]
	fn update_metadata_by_the_curator_only() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let update = |who, dataset| {
				DataContribution::update_dataset_metadata(
					origin(who),
					dataset,
					b"speech-commands-v2".to_vec(),
					ContentHash::repeat_byte(2),
					b"audio/flac".to_vec(),
					b"CC0".to_vec(),
				)
			};
			assert_noop!(update(BOB, id), E::NotCurator);
			assert_noop!(update(ALICE, 9), E::UnknownDataset);
			assert_ok!(update(ALICE, id));
			let metadata = Datasets::<Test>::get(id).unwrap().metadata;
			assert_eq!(metadata.name.to_vec(), b"speech-commands-v2".to_vec());
			assert_eq!(metadata.manifest_hash, ContentHash::repeat_byte(2));
			assert_eq!(metadata.schema.to_vec(), b"audio/flac".to_vec());
			assert_eq!(metadata.license.to_vec(), b"CC0".to_vec());
			assert_eq!(
				events_since_last_call(),
				vec![dataset_created(id, ALICE), Event::DatasetMetadataUpdated { dataset: id },]
			);
		});
	}

	/// A text one byte over its bound fails with the error naming that bound, in creation and
	/// in an update, and changes nothing; texts exactly at their bounds are taken.
	#[test]
	fn oversized_texts_fail_with_the_bound_they_exceed() {
		ExtBuilder::default().build_and_execute(|| {
			use frame_support::traits::Get;
			let at = |max: u32| vec![b'x'; max as usize];
			let over = |max: u32| vec![b'x'; max as usize + 1];
			let name: u32 = <Test as Config>::MaxNameLength::get();
			let schema: u32 = <Test as Config>::MaxSchemaLength::get();
			let license: u32 = <Test as Config>::MaxLicenseLength::get();
			let create = |name, schema, license| {
				DataContribution::create_dataset(
					origin(ALICE),
					name,
					ContentHash::repeat_byte(1),
					schema,
					license,
					terms(),
				)
			};
			assert_noop!(create(over(name), at(schema), at(license)), E::NameTooLong);
			assert_noop!(create(at(name), over(schema), at(license)), E::SchemaTooLong);
			assert_noop!(create(at(name), at(schema), over(license)), E::LicenseTooLong);
			let id = NextDatasetId::<Test>::get();
			assert_ok!(create(at(name), at(schema), at(license)));
			let update = |name, schema, license| {
				DataContribution::update_dataset_metadata(
					origin(ALICE),
					id,
					name,
					ContentHash::repeat_byte(2),
					schema,
					license,
				)
			};
			assert_noop!(update(over(name), at(schema), at(license)), E::NameTooLong);
			assert_noop!(update(at(name), over(schema), at(license)), E::SchemaTooLong);
			assert_noop!(update(at(name), at(schema), over(license)), E::LicenseTooLong);
			assert_eq!(Datasets::<Test>::get(id).unwrap().metadata.name.len(), name as usize);
		});
	}

	#[test]
	fn curatorship_moves_with_its_deposit_once_accepted() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			assert_noop!(
				DataContribution::offer_curatorship(origin(BOB), id, Some(BOB)),
				E::NotCurator
			);
			assert_noop!(
				DataContribution::offer_curatorship(origin(ALICE), 9, Some(BOB)),
				E::UnknownDataset
			);
			assert_noop!(
				DataContribution::accept_curatorship(origin(BOB), id, revision(id)),
				E::NotPendingCurator
			);

			assert_ok!(DataContribution::offer_curatorship(origin(ALICE), id, Some(BOB)));
			assert_eq!(Datasets::<Test>::get(id).unwrap().pending_curator, Some(BOB));
			assert_noop!(
				DataContribution::accept_curatorship(origin(CHARLIE), id, revision(id)),
				E::NotPendingCurator
			);
			assert_noop!(
				DataContribution::accept_curatorship(origin(BOB), 9, 0),
				E::UnknownDataset
			);

			assert_ok!(DataContribution::accept_curatorship(origin(BOB), id, revision(id)));
			let dataset = Datasets::<Test>::get(id).unwrap();
			assert_eq!(dataset.curator, BOB);
			assert_eq!(dataset.pending_curator, None);
			assert_eq!(held(HoldReason::DatasetDeposit, ALICE), 0);
			assert_eq!(free(ALICE), INITIAL_BALANCE);
			assert_eq!(held(HoldReason::DatasetDeposit, BOB), DATASET_DEPOSIT);
			assert_eq!(free(BOB), INITIAL_BALANCE - DATASET_DEPOSIT);
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					Event::CuratorshipOffered { dataset: id, to: Some(BOB), revision: 1 },
					Event::CuratorshipTransferred { dataset: id, from: ALICE, to: BOB },
				]
			);
			assert_noop!(DataContribution::freeze_dataset(origin(ALICE), id), E::NotCurator);
		});
	}

	#[test]
	fn an_offer_can_be_withdrawn_and_a_poor_account_cannot_accept() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			assert_ok!(DataContribution::offer_curatorship(origin(ALICE), id, Some(POOR)));
			assert_noop!(
				DataContribution::accept_curatorship(origin(POOR), id, revision(id)),
				E::InsufficientFunds
			);
			assert_ok!(DataContribution::offer_curatorship(origin(ALICE), id, None));
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					Event::CuratorshipOffered { dataset: id, to: Some(POOR), revision: 1 },
					Event::CuratorshipOffered { dataset: id, to: None, revision: 2 },
				]
			);
			assert_noop!(
				DataContribution::accept_curatorship(origin(POOR), id, revision(id)),
				E::NotPendingCurator
			);
		});
	}

	#[test]
	fn a_frozen_dataset_takes_no_new_work_but_decides_pending_work() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let pending = submit(BOB, id, 3);
			assert_noop!(DataContribution::freeze_dataset(origin(BOB), id), E::NotCurator);
			assert_noop!(DataContribution::freeze_dataset(origin(ALICE), 9), E::UnknownDataset);
			assert_ok!(DataContribution::freeze_dataset(origin(ALICE), id));
			assert!(Datasets::<Test>::get(id).unwrap().frozen);
			assert_noop!(DataContribution::freeze_dataset(origin(ALICE), id), E::AlreadyFrozen);
			assert_noop!(
				DataContribution::submit_contribution(origin(CHARLIE), id, ContentHash::zero(), 1),
				E::DatasetFrozen
			);
			assert_noop!(
				DataContribution::open_task(origin(CHARLIE), id, 1, REWARD, FEE, 1, DEADLINE, None),
				E::DatasetFrozen
			);
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), pending, true));
			assert_eq!(shares(id, BOB), 300);
		});
	}
}

mod contributions {
	use super::*;

	#[test]
	fn submitting_holds_the_deposits_once_per_holder() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let first = submit(BOB, id, 5);
			// The record's deposit and a stake on each of the five items.
			assert_eq!(
				held(HoldReason::ContributionDeposit, BOB),
				CONTRIBUTION_DEPOSIT + 5 * STAKE_PER_ITEM
			);
			assert_eq!(held(HoldReason::ShareholdingDeposit, BOB), SHAREHOLDING_DEPOSIT);
			let second = submit(BOB, id, 2);
			assert_eq!(second, first + 1);
			let staked = 7 * STAKE_PER_ITEM;
			assert_eq!(
				held(HoldReason::ContributionDeposit, BOB),
				2 * CONTRIBUTION_DEPOSIT + staked
			);
			assert_eq!(
				held(HoldReason::ShareholdingDeposit, BOB),
				SHAREHOLDING_DEPOSIT,
				"one share record"
			);
			assert_eq!(
				free(BOB),
				INITIAL_BALANCE - 2 * CONTRIBUTION_DEPOSIT - staked - SHAREHOLDING_DEPOSIT
			);
			let holding = Shareholdings::<Test>::get(id, BOB).unwrap();
			assert_eq!((holding.shares, holding.pending), (0, 2));
			let dataset = Datasets::<Test>::get(id).unwrap();
			assert_eq!((dataset.holders, dataset.pending_contributions), (1, 2));
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					contribution_submitted(first, id, BOB, 5),
					contribution_submitted(second, id, BOB, 2),
				]
			);
		});
	}

	#[test]
	fn bad_submissions_fail_and_change_nothing() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let submit_n = |who, dataset, items| {
				DataContribution::submit_contribution(
					origin(who),
					dataset,
					ContentHash::zero(),
					items,
				)
			};
			assert_noop!(submit_n(BOB, id, 0), E::ZeroItems);
			assert_noop!(submit_n(BOB, id, 1_001), E::TooManyItems);
			assert_noop!(submit_n(BOB, 9, 1), E::UnknownDataset);
			assert_noop!(submit_n(POOR, id, 1), E::InsufficientFunds);
			for _ in 0..4 {
				submit(BOB, id, 1);
			}
			assert_noop!(submit_n(CHARLIE, id, 1), E::TooManyPendingContributions);
		});
	}

	#[test]
	fn a_dataset_has_at_most_max_holders() {
		let builder = (100..=108u64)
			.fold(ExtBuilder::default(), |b, who| b.with_balance(who, INITIAL_BALANCE));
		builder.build_and_execute(|| {
			let id = create_dataset(ALICE);
			// MaxHolders is 8 in the mock.
			for who in 100..108u64 {
				let c = submit(who, id, 1);
				assert_ok!(DataContribution::decide_contribution(origin(ALICE), c, true));
			}
			assert_noop!(
				DataContribution::submit_contribution(origin(108), id, ContentHash::zero(), 1),
				E::TooManyHolders
			);
		});
	}

	#[test]
	fn the_curator_accepts_and_shares_are_minted_after_the_hook() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let c = submit(BOB, id, 5);
			assert_noop!(
				DataContribution::decide_contribution(origin(BOB), c, true),
				E::NotCurator
			);
			assert_noop!(
				DataContribution::decide_contribution(origin(ALICE), 9, true),
				E::UnknownContribution
			);
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), c, true));
			assert_eq!(shares(id, BOB), 5 * SHARES_PER_ITEM);
			assert_eq!(DataContribution::total_shares(id), 5 * SHARES_PER_ITEM);
			assert_eq!(mint_hook_calls(), vec![(id, BOB, 0, 0)]);
			assert!(Contributions::<Test>::get(c).is_none());
			assert_eq!(held(HoldReason::ContributionDeposit, BOB), 0);
			assert_eq!(free(BOB), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT);
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					contribution_submitted(c, id, BOB, 5),
					Event::SharesMinted { dataset: id, holder: BOB, shares: 500, total: 500 },
					Event::ContributionAccepted {
						contribution: c,
						dataset: id,
						contributor: BOB,
						shares: 500
					},
				]
			);

			// A second holder: the hook sees BOB's existing pool before CHARLIE's mint.
			let c2 = submit(CHARLIE, id, 2);
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), c2, true));
			assert_eq!(mint_hook_calls()[1], (id, CHARLIE, 0, 500));
			let c3 = submit(BOB, id, 1);
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), c3, true));
			assert_eq!(mint_hook_calls()[2], (id, BOB, 500, 700));
			assert_eq!(DataContribution::total_shares(id), 800);
		});
	}

	#[test]
	fn the_curator_rejects_and_no_shares_are_minted() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let c = submit(BOB, id, 5);
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), c, false));
			assert_eq!(shares(id, BOB), 0);
			assert_eq!(held(HoldReason::ContributionDeposit, BOB), 0);
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					contribution_submitted(c, id, BOB, 5),
					Event::ContributionRejected {
						contribution: c,
						dataset: id,
						contributor: BOB,
						forfeited: 5 * STAKE_PER_ITEM,
					},
				]
			);
			// The stake on the five items went to the treasury; the empty share record can be
			// closed for its deposit.
			assert_eq!(free(TREASURY), EXISTENTIAL_DEPOSIT + 5 * STAKE_PER_ITEM);
			assert_ok!(DataContribution::close_shareholding(origin(BOB), id));
			assert_eq!(free(BOB), INITIAL_BALANCE - 5 * STAKE_PER_ITEM);
		});
	}

	#[test]
	fn a_sealed_panel_decides_by_majority_and_every_revealed_reviewer_earns_shares() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset_with(ALICE, DatasetTerms { contribution_quorum: 3, ..terms() })
				.unwrap();
			for r in [CHARLIE, DAVE, EVE] {
				register(r);
			}
			let c = submit(BOB, id, 2);
			let work = Work::Contribution(c);
			// Seats open from the next block: the draw's seed is this block's hash.
			assert_noop!(commit(CHARLIE, work, true), E::DrawPending);
			run_to_block(2);
			assert_noop!(commit(BOB, work, true), E::SelfReview);
			assert_noop!(commit(FERDIE, work, true), E::NotReviewer);
			assert_noop!(commit(CHARLIE, Work::Contribution(9), true), E::UnknownContribution);

			assert_ok!(commit(EVE, work, false));
			assert_noop!(commit(EVE, work, true), E::AlreadyVoted);
			assert_noop!(reveal(EVE, work, false), E::RevealNotOpen);
			assert_eq!(Reviewers::<Test>::get(EVE).unwrap().open_votes, 1);
			assert_ok!(commit(CHARLIE, work, true));
			assert_ok!(commit(DAVE, work, true));
			register(FERDIE);
			assert_noop!(commit(FERDIE, work, true), E::PanelFull);
			assert_eq!(
				events_since_last_call()[5..],
				[
					Event::VoteCommitted {
						work,
						reviewer: EVE,
						seats_taken: 1,
						reveal_until: None
					},
					Event::VoteCommitted {
						work,
						reviewer: CHARLIE,
						seats_taken: 2,
						reveal_until: None
					},
					Event::VoteCommitted {
						work,
						reviewer: DAVE,
						seats_taken: 3,
						reveal_until: Some(2 + REVEAL_WINDOW)
					},
					reviewer_registered(FERDIE),
				]
			);

			// A commitment opens only with the vote and salt it sealed, and only for its maker.
			assert_noop!(reveal(EVE, work, true), E::CommitmentMismatch);
			assert_noop!(
				DataContribution::reveal_vote(origin(EVE), work, false, salt(CHARLIE)),
				E::CommitmentMismatch
			);
			assert_noop!(reveal(FERDIE, work, true), E::NotSeated);
			assert_ok!(reveal(EVE, work, false));
			assert_noop!(reveal(EVE, work, false), E::AlreadyRevealed);
			assert_ok!(reveal(CHARLIE, work, true));
			assert!(Contributions::<Test>::get(c).is_some(), "a seat has not revealed yet");
			assert_ok!(reveal(DAVE, work, true));

			// Two approvals to one rejection: accepted.
			assert!(Contributions::<Test>::get(c).is_none());
			assert_eq!(shares(id, BOB), 200);
			assert_eq!(reputation(CHARLIE), INITIAL_REPUTATION + REPUTATION_REWARD);
			assert_eq!(reputation(DAVE), INITIAL_REPUTATION + REPUTATION_REWARD);
			assert_eq!(reputation(EVE), INITIAL_REPUTATION - REPUTATION_PENALTY);
			// Every reviewer who revealed earns `ReviewerShare` (10%) of the contribution's
			// shares, whichever way it voted: paying only approvals pays for rubber stamps.
			for r in [CHARLIE, DAVE, EVE] {
				assert_eq!(Reviewers::<Test>::get(r).unwrap().open_votes, 0);
				assert_eq!(Shareholdings::<Test>::get(id, r).unwrap().pending, 0);
				assert_eq!(shares(id, r), 20);
			}
			assert_eq!(DataContribution::total_shares(id), 260);
		});
	}

	#[test]
	fn a_tie_rejects_and_forfeits_the_stake() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			register(CHARLIE);
			register(DAVE);
			let c = submit(BOB, id, 3);
			sealed_review(Work::Contribution(c), &[(CHARLIE, true), (DAVE, false)]);
			assert!(Contributions::<Test>::get(c).is_none());
			assert_eq!(shares(id, BOB), 0);
			assert_eq!(DataContribution::total_shares(id), 0);
			assert_eq!(free(TREASURY), EXISTENTIAL_DEPOSIT + 3 * STAKE_PER_ITEM);
			assert_eq!(free(BOB), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT - 3 * STAKE_PER_ITEM);
			assert_eq!(reputation(CHARLIE), INITIAL_REPUTATION - REPUTATION_PENALTY);
			assert_eq!(reputation(DAVE), INITIAL_REPUTATION + REPUTATION_REWARD);
		});
	}

	#[test]
	fn the_curator_decides_over_an_unrevealed_panel_without_judging_it() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			register(CHARLIE);
			let c = submit(BOB, id, 1);
			run_to_block(2);
			assert_ok!(commit(CHARLIE, Work::Contribution(c), true));
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), c, false));
			// The sealed vote was never revealed: nobody knows how it went, so it is not judged.
			assert_eq!(reputation(CHARLIE), INITIAL_REPUTATION);
			assert_eq!(Reviewers::<Test>::get(CHARLIE).unwrap().open_votes, 0);
			assert_eq!(Shareholdings::<Test>::get(id, CHARLIE).unwrap().pending, 0);
		});
	}

	#[test]
	fn a_contributor_withdraws_and_voters_are_not_judged() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			register(CHARLIE);
			let c = submit(BOB, id, 1);
			run_to_block(2);
			assert_ok!(commit(CHARLIE, Work::Contribution(c), false));
			assert_noop!(
				DataContribution::withdraw_contribution(origin(CHARLIE), c),
				E::NotContributor
			);
			assert_noop!(
				DataContribution::withdraw_contribution(origin(BOB), 9),
				E::UnknownContribution
			);
			assert_ok!(DataContribution::withdraw_contribution(origin(BOB), c));
			assert_eq!(reputation(CHARLIE), INITIAL_REPUTATION);
			assert_eq!(Reviewers::<Test>::get(CHARLIE).unwrap().open_votes, 0);
			assert_eq!(held(HoldReason::ContributionDeposit, BOB), 0);
			// Withdrawn work has no verdict: no reputation changes.
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					reviewer_registered(CHARLIE),
					contribution_submitted(c, id, BOB, 1),
					Event::VoteCommitted {
						work: Work::Contribution(c),
						reviewer: CHARLIE,
						seats_taken: 1,
						reveal_until: None
					},
					Event::ContributionWithdrawn {
						contribution: c,
						dataset: id,
						contributor: BOB,
						forfeited: STAKE_PER_ITEM,
					},
				]
			);
			// Withdrawing is no way out of a coming rejection: the stake went to the treasury.
			assert_eq!(free(TREASURY), EXISTENTIAL_DEPOSIT + STAKE_PER_ITEM);
		});
	}
}

mod tasks {
	use super::*;

	#[test]
	fn opening_holds_bounty_and_deposit_exactly() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let task = open_task(BOB, id);
			assert_eq!(held(HoldReason::TaskBounty, BOB), BOUNTY);
			assert_eq!(held(HoldReason::TaskDeposit, BOB), TASK_DEPOSIT);
			assert_eq!(free(BOB), INITIAL_BALANCE - BOUNTY - TASK_DEPOSIT);
			let stored = Tasks::<Test>::get(task).unwrap();
			assert_eq!(stored.remaining_bounty, BOUNTY);
			assert_eq!((stored.occupied, stored.paid), (0, 0));
			assert_eq!(Datasets::<Test>::get(id).unwrap().open_tasks, 1);
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					Event::TaskOpened {
						task,
						dataset: id,
						requester: BOB,
						item_count: ITEMS,
						bounty: BOUNTY,
						deadline: DEADLINE,
						gold: None,
					},
				]
			);
		});
	}

	#[test]
	fn bad_tasks_fail_and_change_nothing() {
		ExtBuilder::default().with_balance(FERDIE, 5_000).build_and_execute(|| {
			let id = create_dataset(ALICE);
			let open = |who, dataset, items, reward: Balance, k, deadline| {
				DataContribution::open_task(
					origin(who),
					dataset,
					items,
					reward,
					FEE,
					k,
					deadline,
					None,
				)
			};
			assert_noop!(open(BOB, id, 0, REWARD, QUORUM, DEADLINE), E::ZeroItems);
			assert_noop!(
				open(BOB, id, MAX_ITEMS_PER_TASK + 1, REWARD, QUORUM, DEADLINE),
				E::TooManyItems
			);
			assert_noop!(open(BOB, id, 1, REWARD, 0, DEADLINE), E::InvalidQuorum);
			assert_noop!(open(BOB, id, 1, REWARD, MAX_QUORUM + 1, DEADLINE), E::InvalidQuorum);
			assert_noop!(open(BOB, id, 1, REWARD, QUORUM, 1), E::InvalidDeadline);
			assert_noop!(
				open(BOB, id, 1, REWARD, QUORUM, 2 + MAX_TASK_DURATION),
				E::InvalidDeadline
			);
			assert_noop!(open(BOB, 9, 1, REWARD, QUORUM, DEADLINE), E::UnknownDataset);
			assert_noop!(open(BOB, id, 2, Balance::MAX / 2, QUORUM, DEADLINE), E::BountyOverflow);
			// 4 items × 1,200 = 4,800 plus the 280 deposit exceeds 5,000.
			assert_noop!(open(FERDIE, id, ITEMS, REWARD, QUORUM, DEADLINE), E::InsufficientFunds);
			for _ in 0..4 {
				open_task(BOB, id);
			}
			assert_noop!(open(CHARLIE, id, 1, REWARD, QUORUM, DEADLINE), E::TooManyOpenTasks);
		});
	}

	#[test]
	fn claims_and_submissions_follow_the_rules() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let task = open_task(BOB, id);
			assert_noop!(DataContribution::claim_slot(origin(CHARLIE), 9, 0), E::UnknownTask);
			assert_noop!(
				DataContribution::claim_slot(origin(CHARLIE), task, ITEMS),
				E::UnknownItem
			);
			assert_noop!(DataContribution::claim_slot(origin(POOR), task, 0), E::InsufficientFunds);
			assert_ok!(DataContribution::claim_slot(origin(CHARLIE), task, 0));
			assert_eq!(held(HoldReason::ShareholdingDeposit, CHARLIE), SHAREHOLDING_DEPOSIT);
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					task_opened(task, id, BOB),
					Event::SlotClaimed { task, item: 0, annotator: CHARLIE },
				]
			);
			assert_noop!(DataContribution::claim_slot(origin(DAVE), task, 0), E::SlotTaken);

			assert_noop!(
				DataContribution::submit_result(origin(DAVE), task, 0, ContentHash::zero()),
				E::NotAnnotator
			);
			assert_noop!(
				DataContribution::submit_result(origin(CHARLIE), task, 1, ContentHash::zero()),
				E::NotClaimed
			);
			assert_noop!(
				DataContribution::submit_result(origin(CHARLIE), task, ITEMS, ContentHash::zero()),
				E::UnknownItem
			);
			assert_noop!(
				DataContribution::submit_result(origin(CHARLIE), 9, 0, ContentHash::zero()),
				E::UnknownTask
			);
			assert_ok!(DataContribution::submit_result(
				origin(CHARLIE),
				task,
				0,
				ContentHash::repeat_byte(3)
			));
			assert!(matches!(
				Slots::<Test>::get(task, 0),
				Some(Slot::Submitted { annotator: CHARLIE, .. })
			));
			assert_eq!(
				events_since_last_call(),
				vec![Event::ResultSubmitted {
					task,
					item: 0,
					annotator: CHARLIE,
					result_hash: ContentHash::repeat_byte(3)
				}]
			);
			assert_noop!(
				DataContribution::submit_result(origin(CHARLIE), task, 0, ContentHash::zero()),
				E::NotClaimed
			);

			for item in 1..ITEMS {
				assert_ok!(DataContribution::claim_slot(origin(DAVE), task, item));
			}
			assert_eq!(Tasks::<Test>::get(task).unwrap().occupied, ITEMS);
			assert_noop!(DataContribution::claim_slot(origin(EVE), task, 1), E::TaskFull);

			run_to_block(DEADLINE + 1);
			assert_noop!(
				DataContribution::submit_result(origin(DAVE), task, 1, ContentHash::zero()),
				E::DeadlinePassed
			);
		});
	}

	#[test]
	fn claims_after_the_deadline_fail() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let task = open_task(BOB, id);
			run_to_block(DEADLINE + 1);
			assert_noop!(DataContribution::claim_slot(origin(CHARLIE), task, 0), E::DeadlinePassed);
		});
	}

	#[test]
	fn an_accepted_item_is_paid_exactly_to_the_annotator_and_every_revealed_reviewer() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			register(DAVE);
			register(EVE);
			let task = open_task(BOB, id);
			let work = item_work(task, 2);
			assert_ok!(DataContribution::claim_slot(origin(CHARLIE), task, 2));
			assert_noop!(commit(DAVE, work, true), E::NotSubmitted);
			assert_ok!(DataContribution::submit_result(
				origin(CHARLIE),
				task,
				2,
				ContentHash::repeat_byte(9)
			));
			// The annotator stakes one reviewer fee per seat.
			let stake = QUORUM as Balance * FEE;
			assert_eq!(held(HoldReason::AnnotationStake, CHARLIE), stake);
			let bob_free = free(BOB);
			events_since_last_call();

			// One approval and one rejection: a tie rejects (work must convince).
			sealed_review(work, &[(DAVE, true), (EVE, false)]);
			assert!(Slots::<Test>::get(task, 2).is_none(), "a tie rejects: the item is free");
			// The rejected annotator paid each revealed reviewer's fee from its stake.
			assert_eq!(held(HoldReason::AnnotationStake, CHARLIE), 0);
			assert_eq!(free(CHARLIE), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT - stake);
			events_since_last_call();

			assert_ok!(DataContribution::claim_slot(origin(FERDIE), task, 2));
			assert_ok!(DataContribution::submit_result(
				origin(FERDIE),
				task,
				2,
				ContentHash::repeat_byte(8)
			));
			events_since_last_call();
			sealed_review(work, &[(DAVE, true), (EVE, true)]);
			let payable_at = System::block_number() + ACCEPTANCE_WINDOW;
			// Accepted, not paid yet: the acceptance window is for disputes.
			assert_eq!(free(FERDIE), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT - stake);
			assert_eq!(shares(id, FERDIE), 0);
			let stored = Tasks::<Test>::get(task).unwrap();
			assert_eq!((stored.awaiting_payment, stored.paid, stored.under_review), (1, 0, 0));
			assert_eq!(
				events_since_last_call(),
				vec![
					Event::VoteCommitted {
						work,
						reviewer: DAVE,
						seats_taken: 1,
						reveal_until: None
					},
					Event::VoteCommitted {
						work,
						reviewer: EVE,
						seats_taken: 2,
						reveal_until: Some(System::block_number() + REVEAL_WINDOW)
					},
					Event::VoteRevealed { work, reviewer: DAVE, approve: true },
					Event::VoteRevealed { work, reviewer: EVE, approve: true },
					// Dave was outvoted on the tie, Eve was not.
					Event::ReputationChanged {
						reviewer: DAVE,
						reputation: INITIAL_REPUTATION - REPUTATION_PENALTY + REPUTATION_REWARD
					},
					Event::ReputationChanged {
						reviewer: EVE,
						reputation: INITIAL_REPUTATION + 2 * REPUTATION_REWARD
					},
					Event::ItemAccepted { task, item: 2, annotator: FERDIE, payable_at },
				]
			);

			// Nobody else may pay it before the window ends; the requester may confirm early.
			assert_noop!(DataContribution::pay_item(origin(CHARLIE), task, 2), E::NotPayableYet);
			assert_noop!(DataContribution::pay_item(origin(BOB), task, 1), E::NotAccepted);
			assert_ok!(DataContribution::pay_item(origin(BOB), task, 2));

			let reviewer_shares = Perbill::from_percent(10) * SHARES_PER_ITEM;
			assert_eq!(free(FERDIE), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT + REWARD);
			assert_eq!(held(HoldReason::AnnotationStake, FERDIE), 0);
			for r in [DAVE, EVE] {
				// Two fees each: one from Charlie's stake, one from the bounty.
				assert_eq!(
					free(r),
					INITIAL_BALANCE - MIN_REVIEWER_BOND - SHAREHOLDING_DEPOSIT + 2 * FEE
				);
				assert_eq!(shares(id, r), reviewer_shares);
				assert_eq!(Shareholdings::<Test>::get(id, r).unwrap().pending, 0);
			}
			assert_eq!(shares(id, FERDIE), SHARES_PER_ITEM);
			assert_eq!(DataContribution::total_shares(id), SHARES_PER_ITEM + 2 * reviewer_shares);
			// The bounty paid exactly one item's cost; nothing else moved for the requester.
			assert_eq!(held(HoldReason::TaskBounty, BOB), BOUNTY - PER_ITEM);
			assert_eq!(free(BOB), bob_free);
			let stored = Tasks::<Test>::get(task).unwrap();
			assert_eq!((stored.paid, stored.awaiting_payment, stored.occupied), (1, 0, 1));
			assert!(matches!(
				Slots::<Test>::get(task, 2),
				Some(Slot::Paid { annotator: FERDIE, .. })
			));
			// Shares are minted annotator first, then each reviewer in seat order.
			assert_eq!(
				events_since_last_call(),
				vec![
					Event::SharesMinted {
						dataset: id,
						holder: FERDIE,
						shares: SHARES_PER_ITEM,
						total: SHARES_PER_ITEM
					},
					Event::SharesMinted {
						dataset: id,
						holder: DAVE,
						shares: reviewer_shares,
						total: SHARES_PER_ITEM + reviewer_shares
					},
					Event::SharesMinted {
						dataset: id,
						holder: EVE,
						shares: reviewer_shares,
						total: SHARES_PER_ITEM + 2 * reviewer_shares
					},
					Event::ItemPaid {
						task,
						item: 2,
						annotator: FERDIE,
						reward: REWARD,
						annotator_shares: SHARES_PER_ITEM,
						reviewers_paid: 2,
						reviewer_fee: FEE,
						reviewer_shares,
						refunded: 0,
					},
				]
			);
			assert_noop!(DataContribution::pay_item(origin(BOB), task, 2), E::NotAccepted);
			assert_noop!(commit(DAVE, work, true), E::NotSubmitted);
			assert_noop!(DataContribution::claim_slot(origin(CHARLIE), task, 2), E::SlotTaken);
		});
	}

	#[test]
	fn a_rejected_item_pays_its_reviewers_from_the_stake_and_is_free_again() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			for r in [DAVE, EVE, FERDIE] {
				register(r);
			}
			let task = open_task(BOB, id);
			let work = item_work(task, 0);
			assert_ok!(DataContribution::claim_slot(origin(CHARLIE), task, 0));
			assert_ok!(DataContribution::submit_result(
				origin(CHARLIE),
				task,
				0,
				ContentHash::repeat_byte(9)
			));
			run_to_block(2);
			assert_noop!(commit(CHARLIE, work, true), E::SelfReview);
			assert_noop!(commit(BOB, work, true), E::SelfReview);
			assert_noop!(commit(ALICE, work, true), E::NotReviewer);
			assert_noop!(commit(DAVE, item_work(9, 0), true), E::UnknownTask);
			assert_noop!(commit(DAVE, item_work(task, ITEMS), true), E::UnknownItem);
			events_since_last_call();

			assert_ok!(commit(EVE, work, false));
			assert_ok!(commit(FERDIE, work, false));
			assert_ok!(reveal(EVE, work, false));
			assert_ok!(reveal(FERDIE, work, false));

			assert!(Slots::<Test>::get(task, 0).is_none(), "the item is free again");
			assert_eq!(Tasks::<Test>::get(task).unwrap().occupied, 0);
			assert_eq!(held(HoldReason::TaskBounty, BOB), BOUNTY, "the bounty paid nothing");
			assert_eq!(
				free(CHARLIE),
				INITIAL_BALANCE - SHAREHOLDING_DEPOSIT - 2 * FEE,
				"the stake paid both reviewers"
			);
			for r in [EVE, FERDIE] {
				assert_eq!(
					free(r),
					INITIAL_BALANCE - MIN_REVIEWER_BOND - SHAREHOLDING_DEPOSIT + FEE
				);
				assert_eq!(reputation(r), INITIAL_REPUTATION + REPUTATION_REWARD);
			}
			assert_eq!(
				events_since_last_call()[4..],
				[
					Event::ReputationChanged {
						reviewer: EVE,
						reputation: INITIAL_REPUTATION + REPUTATION_REWARD
					},
					Event::ReputationChanged {
						reviewer: FERDIE,
						reputation: INITIAL_REPUTATION + REPUTATION_REWARD
					},
					Event::ItemRejected {
						task,
						item: 0,
						annotator: CHARLIE,
						paid_to_reviewers: 2 * FEE
					},
				]
			);
			// Another annotator can take it.
			assert_ok!(DataContribution::claim_slot(origin(ALICE), task, 0));
		});
	}

	#[test]
	fn a_timed_out_claim_can_be_reclaimed_by_anyone() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let task = open_task(BOB, id);
			assert_ok!(DataContribution::claim_slot(origin(CHARLIE), task, 1));
			assert_noop!(DataContribution::reclaim_slot(origin(DAVE), task, 1), E::ClaimNotExpired);
			assert_noop!(DataContribution::reclaim_slot(origin(DAVE), task, 0), E::NotClaimed);
			assert_noop!(DataContribution::reclaim_slot(origin(DAVE), task, ITEMS), E::UnknownItem);
			assert_noop!(DataContribution::reclaim_slot(origin(DAVE), 9, 1), E::UnknownTask);
			run_to_block(1 + SLOT_TIMEOUT);
			assert_noop!(DataContribution::reclaim_slot(origin(DAVE), task, 1), E::ClaimNotExpired);
			run_to_block(2 + SLOT_TIMEOUT);
			assert_ok!(DataContribution::reclaim_slot(origin(DAVE), task, 1));
			assert!(Slots::<Test>::get(task, 1).is_none());
			assert_eq!(Shareholdings::<Test>::get(id, CHARLIE).unwrap().pending, 0);
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					task_opened(task, id, BOB),
					Event::SlotClaimed { task, item: 1, annotator: CHARLIE },
					Event::SlotReclaimed { task, item: 1, annotator: CHARLIE },
				]
			);
		});
	}

	#[test]
	fn closing_refunds_exactly_the_unspent_bounty() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			register(DAVE);
			register(EVE);
			let task = open_task(BOB, id);
			complete_item(task, 0, CHARLIE, &[DAVE, EVE]);
			complete_item(task, 1, FERDIE, &[DAVE, EVE]);
			// One item pending review with one sealed vote, one merely claimed.
			assert_ok!(DataContribution::claim_slot(origin(CHARLIE), task, 2));
			assert_ok!(DataContribution::submit_result(
				origin(CHARLIE),
				task,
				2,
				ContentHash::zero()
			));
			run_to_block(System::block_number() + 1);
			assert_ok!(commit(DAVE, item_work(task, 2), false));
			assert_ok!(DataContribution::claim_slot(origin(FERDIE), task, 3));
			// The setup's events are asserted in the tests of each call; this one checks the close.
			events_since_last_call();

			assert_noop!(DataContribution::close_task(origin(CHARLIE), task), E::NotRequester);
			assert_noop!(DataContribution::close_task(origin(BOB), 9), E::UnknownTask);
			// A result awaits review: it keeps the task open, for the requester too, until the
			// review window after the deadline has passed.
			assert_noop!(DataContribution::close_task(origin(BOB), task), E::ItemsUnderReview);
			run_to_block(DEADLINE + REVIEW_WINDOW);
			assert_noop!(DataContribution::close_task(origin(CHARLIE), task), E::ItemsUnderReview);
			run_to_block(DEADLINE + REVIEW_WINDOW + 1);
			let bob_before = free(BOB);
			assert_ok!(DataContribution::close_task(origin(CHARLIE), task));

			let paid = 2 * PER_ITEM;
			let refunded = BOUNTY - paid;
			// Held bounty = paid out + refunded, to the unit.
			assert_eq!(free(BOB), bob_before + refunded + TASK_DEPOSIT);
			assert_eq!(free(BOB), INITIAL_BALANCE - paid);
			assert_eq!(held(HoldReason::TaskBounty, BOB) + held(HoldReason::TaskDeposit, BOB), 0);
			// The stake on the voided result returned to its annotator.
			assert_eq!(held(HoldReason::AnnotationStake, CHARLIE), 0);
			assert_eq!(
				free(CHARLIE) + free(FERDIE),
				2 * INITIAL_BALANCE - 2 * SHAREHOLDING_DEPOSIT + 2 * REWARD
			);
			assert!(Tasks::<Test>::get(task).is_none());
			assert_eq!(Slots::<Test>::iter_prefix(task).count(), 0);
			assert_eq!(Reviewers::<Test>::get(DAVE).unwrap().open_votes, 0);
			assert_eq!(
				reputation(DAVE),
				INITIAL_REPUTATION + 2 * REPUTATION_REWARD,
				"an open vote is not judged"
			);
			assert_eq!(Datasets::<Test>::get(id).unwrap().open_tasks, 0);
			// Closing judges nobody: the open vote ends without a reputation change.
			assert_eq!(
				events_since_last_call(),
				vec![Event::TaskClosed { task, paid: 2, refunded }]
			);
		});
	}

	#[test]
	fn anyone_closes_after_the_deadline() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let task = open_task(BOB, id);
			run_to_block(DEADLINE);
			assert_noop!(DataContribution::close_task(origin(CHARLIE), task), E::NotRequester);
			run_to_block(DEADLINE + 1);
			assert_ok!(DataContribution::close_task(origin(CHARLIE), task));
			assert_eq!(free(BOB), INITIAL_BALANCE);
		});
	}
}

mod reviewers {
	use super::*;

	#[test]
	fn register_unregister_and_withdraw() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				DataContribution::register_reviewer(origin(CHARLIE), MIN_REVIEWER_BOND - 1),
				E::BondTooLow
			);
			assert_noop!(
				DataContribution::register_reviewer(origin(POOR), MIN_REVIEWER_BOND),
				E::InsufficientFunds
			);
			register(CHARLIE);
			assert_eq!(held(HoldReason::ReviewerBond, CHARLIE), MIN_REVIEWER_BOND);
			assert_noop!(
				DataContribution::register_reviewer(origin(CHARLIE), MIN_REVIEWER_BOND),
				E::AlreadyReviewer
			);
			assert_noop!(DataContribution::withdraw_reviewer(origin(CHARLIE)), E::NotUnbonding);
			assert_noop!(DataContribution::unregister_reviewer(origin(DAVE)), E::NotReviewer);
			assert_ok!(DataContribution::unregister_reviewer(origin(CHARLIE)));
			assert_eq!(
				events_since_last_call(),
				vec![
					reviewer_registered(CHARLIE),
					Event::ReviewerUnbonding {
						reviewer: CHARLIE,
						unlock_at: 1 + REVIEWER_COOLDOWN
					},
				]
			);
			assert_noop!(
				DataContribution::unregister_reviewer(origin(CHARLIE)),
				E::AlreadyUnbonding
			);
			assert_noop!(DataContribution::withdraw_reviewer(origin(CHARLIE)), E::CooldownNotOver);
			run_to_block(1 + REVIEWER_COOLDOWN);
			assert_noop!(DataContribution::withdraw_reviewer(origin(DAVE)), E::NotReviewer);
			assert_ok!(DataContribution::withdraw_reviewer(origin(CHARLIE)));
			assert!(Reviewers::<Test>::get(CHARLIE).is_none());
			assert_eq!(free(CHARLIE), INITIAL_BALANCE);
			assert_eq!(
				events_since_last_call(),
				vec![Event::ReviewerWithdrawn { reviewer: CHARLIE, bond: MIN_REVIEWER_BOND }]
			);
		});
	}

	#[test]
	fn a_leaving_reviewer_cannot_vote_and_waits_for_open_votes() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			register(CHARLIE);
			let c = submit(BOB, id, 1);
			let c2 = submit(BOB, id, 1);
			run_to_block(2);
			assert_ok!(commit(CHARLIE, Work::Contribution(c), true));
			assert_ok!(DataContribution::unregister_reviewer(origin(CHARLIE)));
			assert_noop!(commit(CHARLIE, Work::Contribution(c2), true), E::ReviewerInactive);
			run_to_block(2 + REVIEWER_COOLDOWN);
			assert_noop!(DataContribution::withdraw_reviewer(origin(CHARLIE)), E::OpenVotes);
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), c, true));
			assert_ok!(DataContribution::withdraw_reviewer(origin(CHARLIE)));
		});
	}

	#[test]
	fn bad_reviewers_are_barred_then_slashed_to_the_treasury() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			register(CHARLIE);
			assert_noop!(
				DataContribution::slash_reviewer(origin(DAVE), CHARLIE),
				E::ReputationAboveFloor
			);
			assert_noop!(DataContribution::slash_reviewer(origin(DAVE), EVE), E::NotReviewer);
			// Outvoted twice (a tie rejects): 100 - 30 - 30 = 40 < floor 50.
			register(DAVE);
			for _ in 0..2 {
				let c = submit(BOB, id, 1);
				sealed_review(Work::Contribution(c), &[(CHARLIE, true), (DAVE, false)]);
			}
			assert_eq!(reputation(CHARLIE), 40);
			let c = submit(BOB, id, 1);
			run_to_block(System::block_number() + 1);
			assert_noop!(commit(CHARLIE, Work::Contribution(c), true), E::ReviewerInactive);
			// Each round ran one block after its submission: the first at block 2, the second at 3.
			let outvoted = |contribution, reputation: u32, block: u64| {
				let work = Work::Contribution(contribution);
				vec![
					contribution_submitted(contribution, id, BOB, 1),
					Event::VoteCommitted {
						work,
						reviewer: CHARLIE,
						seats_taken: 1,
						reveal_until: None,
					},
					Event::VoteCommitted {
						work,
						reviewer: DAVE,
						seats_taken: 2,
						reveal_until: Some(block + REVEAL_WINDOW),
					},
					Event::VoteRevealed { work, reviewer: CHARLIE, approve: true },
					Event::VoteRevealed { work, reviewer: DAVE, approve: false },
					Event::ReputationChanged { reviewer: CHARLIE, reputation },
					Event::ReputationChanged {
						reviewer: DAVE,
						reputation: INITIAL_REPUTATION
							+ (INITIAL_REPUTATION - reputation) / REPUTATION_PENALTY
								* REPUTATION_REWARD,
					},
					Event::ContributionRejected {
						contribution,
						dataset: id,
						contributor: BOB,
						forfeited: STAKE_PER_ITEM,
					},
				]
			};
			let first = outvoted(0, INITIAL_REPUTATION - REPUTATION_PENALTY, 2);
			let second = outvoted(1, INITIAL_REPUTATION - 2 * REPUTATION_PENALTY, 3);
			assert_eq!(
				events_since_last_call(),
				[
					vec![
						dataset_created(id, ALICE),
						reviewer_registered(CHARLIE),
						reviewer_registered(DAVE)
					],
					first,
					second,
					vec![contribution_submitted(c, id, BOB, 1)],
				]
				.concat()
			);

			let treasury_before = free(TREASURY);
			let reporter_before = free(DAVE);
			assert_ok!(DataContribution::slash_reviewer(origin(DAVE), CHARLIE));
			let slashed = Perbill::from_percent(20) * MIN_REVIEWER_BOND;
			// The reporter is paid a quarter of the slash for reporting it; the rest is the
			// treasury's.
			let reward = Perbill::from_percent(25) * slashed;
			assert_eq!(free(DAVE), reporter_before + reward);
			assert_eq!(free(TREASURY), treasury_before + slashed - reward);
			assert_eq!(held(HoldReason::ReviewerBond, CHARLIE), MIN_REVIEWER_BOND - slashed);
			let reviewer = Reviewers::<Test>::get(CHARLIE).unwrap();
			assert_eq!(
				(reviewer.bond, reviewer.reputation),
				(MIN_REVIEWER_BOND - slashed, INITIAL_REPUTATION)
			);
			assert_eq!(
				events_since_last_call(),
				vec![Event::ReviewerSlashed {
					reviewer: CHARLIE,
					amount: slashed,
					reporter: DAVE,
					reporter_reward: reward,
					remaining_bond: MIN_REVIEWER_BOND - slashed
				}]
			);
			// Below the minimum bond it still may not vote.
			assert_noop!(commit(CHARLIE, Work::Contribution(c), true), E::ReviewerInactive);
		});
	}
}

mod governance {
	use super::*;

	#[test]
	fn the_curator_admits_and_dismisses_members_by_role() {
		ExtBuilder::default().build_and_execute(|| {
			let id = NextDatasetId::<Test>::get();
			assert_ok!(DataContribution::create_dataset(
				origin(ALICE),
				b"d".to_vec(),
				ContentHash::zero(),
				b"s".to_vec(),
				b"l".to_vec(),
				terms()
			));
			let admit = |who, role| DataContribution::admit_member(origin(ALICE), id, who, role);
			assert_noop!(
				DataContribution::admit_member(origin(BOB), id, CHARLIE, Role::Reviewer),
				E::NotCurator
			);
			assert_noop!(
				DataContribution::admit_member(origin(ALICE), 9, CHARLIE, Role::Reviewer),
				E::UnknownDataset
			);
			assert_ok!(admit(CHARLIE, Role::Reviewer));
			assert_noop!(admit(CHARLIE, Role::Reviewer), E::AlreadyMember);
			// A second role is the same record.
			assert_ok!(admit(CHARLIE, Role::Requester));
			assert_eq!(
				Members::<Test>::get(id, CHARLIE),
				Some(Membership { reviewer: true, requester: true })
			);
			assert_eq!(Datasets::<Test>::get(id).unwrap().members, 1);
			for who in 100..100 + MAX_MEMBERS as u64 - 1 {
				assert_ok!(admit(who, Role::Reviewer));
			}
			assert_noop!(admit(DAVE, Role::Reviewer), E::TooManyMembers);

			let dismiss =
				|who, role| DataContribution::dismiss_member(origin(ALICE), id, who, role);
			assert_noop!(dismiss(DAVE, Role::Reviewer), E::NotMember);
			assert_ok!(dismiss(CHARLIE, Role::Reviewer));
			assert_noop!(dismiss(CHARLIE, Role::Reviewer), E::NotMember);
			assert_eq!(Datasets::<Test>::get(id).unwrap().members, MAX_MEMBERS);
			assert_ok!(dismiss(CHARLIE, Role::Requester));
			assert_eq!(Members::<Test>::get(id, CHARLIE), None, "no role left, no record");
			assert_eq!(Datasets::<Test>::get(id).unwrap().members, MAX_MEMBERS - 1);
			assert_ok!(admit(DAVE, Role::Requester));

			let events = events_since_last_call();
			assert_eq!(events.len(), 1 + 2 + (MAX_MEMBERS as usize - 1) + 2 + 1);
			assert_eq!(
				events[1..3],
				[
					Event::MemberAdmitted { dataset: id, member: CHARLIE, role: Role::Reviewer },
					Event::MemberAdmitted { dataset: id, member: CHARLIE, role: Role::Requester },
				]
			);
			assert_eq!(
				events[events.len() - 3..],
				[
					Event::MemberDismissed { dataset: id, member: CHARLIE, role: Role::Reviewer },
					Event::MemberDismissed { dataset: id, member: CHARLIE, role: Role::Requester },
					Event::MemberAdmitted { dataset: id, member: DAVE, role: Role::Requester },
				]
			);
		});
	}

	#[test]
	fn a_dismissed_reviewer_votes_no_more() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			register(CHARLIE);
			let c = submit(BOB, id, 1);
			assert_ok!(DataContribution::dismiss_member(
				origin(ALICE),
				id,
				CHARLIE,
				Role::Reviewer
			));
			assert_noop!(commit(CHARLIE, Work::Contribution(c), true), E::NotDatasetReviewer);
		});
	}

	#[test]
	fn rules_stay_within_the_runtimes_bounds() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			let max = <<Test as Config>::MaxItemsPerContribution as frame_support::traits::Get<
				u32,
			>>::get();
			assert_eq!(
				Datasets::<Test>::get(id).unwrap().rules,
				DatasetRules {
					max_contribution_items: max,
					contribution_items_per_day: max,
					annotations_per_day: MAX_ITEMS_PER_TASK,
				},
				"a new dataset is as open as the runtime allows"
			);
			let valid = DatasetRules {
				max_contribution_items: max,
				contribution_items_per_day: 1,
				annotations_per_day: 1,
			};
			for invalid in [
				DatasetRules { max_contribution_items: 0, ..valid },
				DatasetRules { max_contribution_items: max + 1, ..valid },
				DatasetRules { contribution_items_per_day: 0, ..valid },
				DatasetRules { annotations_per_day: 0, ..valid },
			] {
				assert_noop!(
					DataContribution::set_rules(origin(ALICE), id, invalid),
					E::InvalidRules
				);
			}
			events_since_last_call();
			assert_ok!(DataContribution::set_rules(origin(ALICE), id, valid));
			assert_eq!(
				events_since_last_call(),
				vec![Event::RulesSet { dataset: id, rules: valid }]
			);
		});
	}
}

mod shareholdings {
	use super::*;

	#[test]
	fn only_an_empty_idle_share_record_can_be_closed() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create_dataset(ALICE);
			assert_noop!(DataContribution::close_shareholding(origin(BOB), id), E::NoShareholding);
			let c = submit(BOB, id, 1);
			assert_noop!(
				DataContribution::close_shareholding(origin(BOB), id),
				E::ShareholdingInUse
			);
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), c, true));
			assert_noop!(
				DataContribution::close_shareholding(origin(BOB), id),
				E::ShareholdingInUse
			);
			assert_eq!(Datasets::<Test>::get(id).unwrap().holders, 1);

			let task = open_task(ALICE, id);
			assert_ok!(DataContribution::claim_slot(origin(CHARLIE), task, 0));
			assert_ok!(DataContribution::close_task(origin(ALICE), task));
			assert_ok!(DataContribution::close_shareholding(origin(CHARLIE), id));
			assert_eq!(free(CHARLIE), INITIAL_BALANCE);
			assert_eq!(Datasets::<Test>::get(id).unwrap().holders, 1);
			assert_eq!(
				events_since_last_call(),
				vec![
					dataset_created(id, ALICE),
					contribution_submitted(c, id, BOB, 1),
					Event::SharesMinted {
						dataset: id,
						holder: BOB,
						shares: SHARES_PER_ITEM,
						total: SHARES_PER_ITEM
					},
					Event::ContributionAccepted {
						contribution: c,
						dataset: id,
						contributor: BOB,
						shares: SHARES_PER_ITEM
					},
					task_opened(task, id, ALICE),
					Event::SlotClaimed { task, item: 0, annotator: CHARLIE },
					Event::TaskClosed { task, paid: 0, refunded: BOUNTY },
					Event::ShareholdingClosed { dataset: id, holder: CHARLIE },
				]
			);
		});
	}

	#[test]
	fn the_shares_trait_reports_datasets_and_holders() {
		ExtBuilder::default().build_and_execute(|| {
			assert!(!DataContribution::dataset_exists(0));
			assert_eq!(DataContribution::min_model_share(0), None);
			assert_eq!(DataContribution::curator(0), None);
			assert_eq!(DataContribution::total_shares(0), 0);
			let id = create_dataset(ALICE);
			assert!(DataContribution::dataset_exists(id));
			assert_eq!(DataContribution::min_model_share(id), Some(Perbill::from_percent(10)));
			assert_eq!(DataContribution::curator(id), Some(ALICE));
			let c = submit(BOB, id, 3);
			assert_ok!(DataContribution::decide_contribution(origin(ALICE), c, true));
			assert_eq!(DataContribution::shares_of(id, &BOB), 300);
			assert_eq!(DataContribution::shares_of(id, &CHARLIE), 0);
		});
	}
}

#[test]
fn try_state_catches_a_broken_share_total() {
	ExtBuilder::default().build().execute_with(|| {
		let id = create_dataset(ALICE);
		let c = submit(BOB, id, 1);
		assert_ok!(DataContribution::decide_contribution(origin(ALICE), c, true));
		assert_ok!(DataContribution::do_try_state());
		Datasets::<Test>::mutate(id, |d| d.as_mut().unwrap().total_shares += 1);
		assert!(DataContribution::do_try_state().is_err());
	});
}

#[test]
fn try_state_catches_a_missing_hold() {
	ExtBuilder::default().build().execute_with(|| {
		let id = create_dataset(ALICE);
		let _ = open_task(BOB, id);
		assert_ok!(DataContribution::do_try_state());
		use frame_support::traits::{fungible::MutateHold, tokens::Precision};
		assert_ok!(Balances::release(
			&RuntimeHoldReason::DataContribution(HoldReason::TaskBounty),
			&BOB,
			1,
			Precision::Exact
		));
		assert_eq!(
			DataContribution::do_try_state(),
			Err(sp_runtime::TryRuntimeError::Other(
				"held bounties differ from the open tasks' remaining bounties"
			))
		);
	});
}

#[test]
fn try_state_catches_a_hold_under_a_reason_no_record_accounts_for() {
	ExtBuilder::default().build().execute_with(|| {
		let id = create_dataset(ALICE);
		let _ = open_task(BOB, id);
		assert_ok!(DataContribution::do_try_state());
		// BOB has no contribution: any contribution deposit held from him is unaccounted for.
		use frame_support::traits::fungible::MutateHold;
		assert_ok!(Balances::hold(
			&RuntimeHoldReason::DataContribution(HoldReason::ContributionDeposit),
			&BOB,
			1
		));
		assert_eq!(
			DataContribution::do_try_state(),
			Err(sp_runtime::TryRuntimeError::Other(
				"held contribution deposits differ from the pending contributions"
			))
		);
	});
}

mod properties {
	use super::*;
	use proptest::prelude::*;

	const ACTORS: [AccountId; 6] = [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE];

	#[derive(Debug, Clone)]
	enum Op {
		CreateDataset(usize),
		Submit(usize, u32, u32),
		Decide(usize, u64, bool),
		CommitOnContribution(usize, u64, bool),
		Withdraw(usize, u64),
		/// The last flag commits to a gold answer for item 0 (the zero hash).
		OpenTask(usize, u32, u32, u32, bool),
		Claim(usize, u64, u32),
		/// The flag picks the result: the zero hash (gold item 0's answer) or another.
		SubmitResult(usize, u64, u32, bool),
		CommitOnItem(usize, u64, u32, bool),
		/// A seated reviewer of some open ballot reveals (the vote it sealed, or the other
		/// one, which fails).
		Reveal(u64, usize, bool),
		Conclude(u64),
		/// Every actor tries to take a seat on some open ballot (votes from pairs of bits of the
		/// second field), then every seat reveals: a panel meeting in a few blocks.
		PanelMeets(u64, u8),
		/// An actor claims an item and submits its result at once.
		Deliver(usize, u64, u32, bool),
		PayItem(usize, u64, u32),
		DisputeItem(usize, u64, u32),
		RevealGold(usize, u64),
		Reclaim(u64, u32),
		CloseTask(usize, u64),
		Register(usize),
		Unregister(usize),
		WithdrawReviewer(usize),
		Slash(usize),
		CloseShareholding(usize, u32),
		Advance(u64),
		/// The dataset's curator (even actor) or someone else admits an actor or the outsider.
		Admit(usize, u32, usize, bool),
		Dismiss(usize, u32, usize, bool),
		SetRules(usize, u32, u32),
		Expire(u64),
		RemoveIdle(usize, u32, usize),
		/// The outsider, admitted nowhere unless an `Admit` let it in, tries to mint itself
		/// shares: it votes on work, opens a task with a single approval, and submits junk.
		OutsiderReviewsContribution(u64),
		OutsiderReviewsItem(u64, u32),
		OutsiderOpensTask(u32),
		OutsiderSubmits(u32, u32),
	}

	/// An account outside every dataset's governance.
	const OUTSIDER: AccountId = 50;
	/// The gold answers of tasks opened with gold: item 0's result is the zero hash.
	const GOLD_ANSWERS: [(ItemIndex, ContentHash); 1] = [(0, ContentHash::zero())];
	const GOLD_SALT: Salt = [9; 32];

	/// Actors and the outsider, by index (the last index is the outsider).
	fn member(i: usize) -> AccountId {
		ACTORS.get(i).copied().unwrap_or(OUTSIDER)
	}

	fn op() -> impl Strategy<Value = Op> {
		let who = 0..ACTORS.len();
		prop_oneof![
			1 => who.clone().prop_map(Op::CreateDataset),
			1 => (who.clone(), 0..3u32, 1..4u32).prop_map(|(w, d, n)| Op::Submit(w, d, n)),
			1 => (who.clone(), 0..12u64, any::<bool>()).prop_map(|(w, c, a)| Op::Decide(w, c, a)),
			1 => (who.clone(), 0..12u64).prop_map(|(w, c)| Op::Withdraw(w, c)),
			3 => (who.clone(), 0..3u32, 1..5u32, 1..4u32, any::<bool>()).prop_map(|(w, d, n, k, g)| Op::OpenTask(w, d, n, k, g)),
			4 => (who.clone(), 0..6u64, 0..5u32).prop_map(|(w, t, i)| Op::Claim(w, t, i)),
			4 => (who.clone(), 0..6u64, 0..5u32, any::<bool>()).prop_map(|(w, t, i, z)| Op::SubmitResult(w, t, i, z)),
			6 => (who.clone(), 0..6u64, 0..5u32, any::<bool>()).prop_map(|(w, t, i, a)| Op::CommitOnItem(w, t, i, a)),
			2 => (who.clone(), 0..12u64, any::<bool>()).prop_map(|(w, c, a)| Op::CommitOnContribution(w, c, a)),
			6 => (0..12u64, 0..3usize, prop_oneof![4 => Just(true), 1 => Just(false)]).prop_map(|(b, s, m)| Op::Reveal(b, s, m)),
			1 => (0..12u64).prop_map(Op::Conclude),
			3 => (0..12u64, any::<u8>()).prop_map(|(b, v)| Op::PanelMeets(b, v)),
			3 => (who.clone(), 0..6u64, 0..5u32, any::<bool>()).prop_map(|(w, t, i, z)| Op::Deliver(w, t, i, z)),
			2 => (who.clone(), 0..6u64, 0..5u32).prop_map(|(w, t, i)| Op::PayItem(w, t, i)),
			1 => (who.clone(), 0..6u64, 0..5u32).prop_map(|(w, t, i)| Op::DisputeItem(w, t, i)),
			1 => (who.clone(), 0..6u64).prop_map(|(w, t)| Op::RevealGold(w, t)),
			1 => (0..6u64, 0..5u32).prop_map(|(t, i)| Op::Reclaim(t, i)),
			1 => (who.clone(), 0..6u64).prop_map(|(w, t)| Op::CloseTask(w, t)),
			3 => who.clone().prop_map(Op::Register),
			1 => who.clone().prop_map(Op::Unregister),
			1 => who.clone().prop_map(Op::WithdrawReviewer),
			1 => who.clone().prop_map(Op::Slash),
			1 => (who.clone(), 0..3u32).prop_map(|(w, d)| Op::CloseShareholding(w, d)),
			1 => (1..30u64).prop_map(Op::Advance),
			// Long enough for undecided contributions to expire.
			1 => Just(Op::Advance(CONTRIBUTION_TIMEOUT)),
			1 => (who.clone(), 0..3u32, 0..=ACTORS.len(), any::<bool>()).prop_map(|(w, d, m, r)| Op::Admit(w, d, m, r)),
			1 => (who.clone(), 0..3u32, 0..=ACTORS.len(), any::<bool>()).prop_map(|(w, d, m, r)| Op::Dismiss(w, d, m, r)),
			1 => (who.clone(), 0..3u32, 1..6u32).prop_map(|(w, d, n)| Op::SetRules(w, d, n)),
			1 => (0..12u64).prop_map(Op::Expire),
			1 => (who.clone(), 0..3u32, 0..=ACTORS.len()).prop_map(|(w, d, m)| Op::RemoveIdle(w, d, m)),
			1 => (0..12u64).prop_map(Op::OutsiderReviewsContribution),
			1 => (0..6u64, 0..5u32).prop_map(|(t, i)| Op::OutsiderReviewsItem(t, i)),
			1 => (0..3u32).prop_map(Op::OutsiderOpensTask),
			1 => (0..3u32, 1..4u32).prop_map(|(d, n)| Op::OutsiderSubmits(d, n)),
		]
	}

	/// Picks the `index`-th existing key (modulo their number), so that random indices mostly
	/// hit live objects and the deep paths (reviews, acceptance, closing) are exercised.
	fn pick<K: Clone>(keys: &[K], index: u64) -> Option<K> {
		(!keys.is_empty()).then(|| keys[(index % keys.len() as u64) as usize].clone())
	}

	fn sorted<K: Ord>(mut keys: Vec<K>) -> Vec<K> {
		keys.sort();
		keys
	}

	/// Applies one call; even actor indices act as the object's owner where one exists.
	fn apply(op: &Op) -> bool {
		let o = |i: usize| origin(ACTORS[i]);
		let deadline = System::block_number() + 50;
		let dataset = |d: u32| d % NextDatasetId::<Test>::get().max(1);
		let contributions = sorted(Contributions::<Test>::iter_keys().collect());
		let tasks = sorted(Tasks::<Test>::iter_keys().collect());
		let task_item = |t: u64, i: u32| {
			pick(&tasks, t).map(|t| (t, i % Tasks::<Test>::get(t).unwrap().item_count))
		};
		// Prefers slots in the state the call needs (submitted for reviews, claimed for
		// submissions), falling back to any item.
		let slot_in = |t: u64, i: u32, wanted: fn(&Slot<Test>) -> bool| {
			let mut slots: Vec<(TaskId, ItemIndex)> = Slots::<Test>::iter()
				.filter(|(_, _, slot)| wanted(slot))
				.map(|(t, i, _)| (t, i))
				.collect();
			slots.sort();
			pick(&slots, t.wrapping_add(i as u64)).or_else(|| task_item(t, i))
		};
		let submitted_or = |t: u64, i: u32, submitted: bool| {
			if submitted {
				slot_in(t, i, |slot| matches!(slot, Slot::Submitted { .. }))
			} else {
				slot_in(t, i, |slot| matches!(slot, Slot::Claimed { .. }))
			}
		};
		// Every open ballot, contributions first, in key order.
		let submitted: Vec<(TaskId, ItemIndex)> = sorted(
			Slots::<Test>::iter()
				.filter(|(_, _, slot)| matches!(slot, Slot::Submitted { .. }))
				.map(|(t, i, _)| (t, i))
				.collect(),
		);
		let ballots: Vec<(Work, Ballot<Test>)> = contributions
			.iter()
			.map(|c| (Work::Contribution(*c), Contributions::<Test>::get(c).unwrap().ballot))
			.chain(submitted.into_iter().filter_map(|(t, i)| match Slots::<Test>::get(t, i) {
				Some(Slot::Submitted { ballot, .. }) => Some((item_work(t, i), ballot)),
				_ => None,
			}))
			.collect();
		let item_ballots: Vec<(Work, Ballot<Test>)> =
			ballots.iter().filter(|(work, _)| matches!(work, Work::Item { .. })).cloned().collect();
		// Ballots with a full panel, which reveals and conclusions aim at.
		let revealing: Vec<(Work, Ballot<Test>)> =
			ballots.iter().filter(|(_, ballot)| ballot.reveal_until.is_some()).cloned().collect();
		let result = match *op {
			Op::CreateDataset(w) => create_dataset_with(ACTORS[w], terms()).map(|_| ()),
			Op::Submit(w, d, n) => {
				DataContribution::submit_contribution(o(w), dataset(d), ContentHash::zero(), n)
			}
			Op::Decide(w, c, a) => match pick(&contributions, c) {
				Some(c) => {
					let dataset = Contributions::<Test>::get(c).unwrap().dataset;
					let curator = Datasets::<Test>::get(dataset).unwrap().curator;
					let who = if w % 2 == 0 { RuntimeOrigin::signed(curator) } else { o(w) };
					DataContribution::decide_contribution(who, c, a)
				}
				None => Ok(()),
			},
			Op::CommitOnContribution(w, c, a) => match pick(&contributions, c) {
				Some(c) => commit_when_drawn(ACTORS[w], Work::Contribution(c), a),
				None => Ok(()),
			},
			Op::Reveal(b, seat, matching) => match pick(&revealing, b) {
				Some((work, ballot)) => match pick(&ballot.seats, seat as u64) {
					Some(seat) => {
						let sealed =
							vote_commitment(&work, &seat.reviewer, true, &salt(seat.reviewer))
								== seat.commitment;
						reveal(seat.reviewer, work, sealed == matching)
					}
					None => Ok(()),
				},
				None => Ok(()),
			},
			Op::Deliver(w, t, i, zero) => match task_item(t, i) {
				Some((t, i)) => DataContribution::claim_slot(o(w), t, i).and_then(|()| {
					let result =
						if zero { ContentHash::zero() } else { ContentHash::repeat_byte(1) };
					DataContribution::submit_result(o(w), t, i, result)
				}),
				None => Ok(()),
			},
			// Even picks prefer task items, whose panels are rarer than contributions'.
			Op::PanelMeets(b, votes) => match pick(
				if b % 2 == 0 && ballots.iter().any(|(w, _)| matches!(w, Work::Item { .. })) {
					&item_ballots
				} else {
					&ballots
				},
				b / 2,
			) {
				Some((work, _)) => {
					// Three votes in four approve.
					let vote = |who: AccountId| (votes >> (2 * (who % 4))) & 3 != 0;
					for who in ACTORS {
						let _ = commit_when_drawn(who, work, vote(who));
					}
					let seated: Vec<AccountId> = match work {
						Work::Contribution(c) => Contributions::<Test>::get(c).map(|c| c.ballot),
						Work::Item { task, item } => match Slots::<Test>::get(task, item) {
							Some(Slot::Submitted { ballot, .. }) => Some(ballot),
							_ => None,
						},
					}
					.map(|ballot| ballot.voters().copied().collect())
					.unwrap_or_default();
					// One panel in eight stays silent (and lapses once concluded).
					if votes % 8 == 0 {
						Ok(())
					} else {
						seated.into_iter().try_for_each(|who| reveal(who, work, vote(who)))
					}
				}
				None => Ok(()),
			},
			Op::Conclude(b) => match pick(&revealing, b) {
				Some((work, _)) => DataContribution::conclude_ballot(o(1), work),
				None => Ok(()),
			},
			Op::PayItem(w, t, i) | Op::DisputeItem(w, t, i) => {
				match slot_in(t, i, |slot| matches!(slot, Slot::Accepted { .. })) {
					Some((t, i)) => {
						let requester = Tasks::<Test>::get(t).unwrap().requester;
						let who = if w % 2 == 0 { RuntimeOrigin::signed(requester) } else { o(w) };
						if matches!(op, Op::PayItem(..)) {
							DataContribution::pay_item(who, t, i)
						} else {
							DataContribution::dispute_item(who, t, i)
						}
					}
					None => Ok(()),
				}
			}
			Op::RevealGold(w, t) => match pick(&tasks, t) {
				Some(t) => {
					let requester = Tasks::<Test>::get(t).unwrap().requester;
					let who = if w % 2 == 0 { RuntimeOrigin::signed(requester) } else { o(w) };
					DataContribution::reveal_gold(who, t, GOLD_ANSWERS.to_vec(), GOLD_SALT)
						.map(|_| ())
						.map_err(|e| e.error)
				}
				None => Ok(()),
			},
			Op::Withdraw(w, c) => match pick(&contributions, c) {
				Some(c) => {
					let contributor = Contributions::<Test>::get(c).unwrap().contributor;
					let who = if w % 2 == 0 { RuntimeOrigin::signed(contributor) } else { o(w) };
					DataContribution::withdraw_contribution(who, c)
				}
				None => Ok(()),
			},
			Op::OpenTask(w, d, n, k, gold) => DataContribution::open_task(
				o(w),
				dataset(d),
				n,
				REWARD,
				FEE,
				k,
				deadline,
				gold.then(|| gold_commitment(&GOLD_ANSWERS, &GOLD_SALT)),
			),
			Op::Claim(w, t, i) => match task_item(t, i) {
				Some((t, i)) => DataContribution::claim_slot(o(w), t, i),
				None => Ok(()),
			},
			Op::SubmitResult(w, t, i, zero) => match submitted_or(t, i, false) {
				Some((t, i)) => {
					let who = match Slots::<Test>::get(t, i) {
						Some(Slot::Claimed { annotator, .. }) if w % 2 == 0 => {
							RuntimeOrigin::signed(annotator)
						}
						_ => o(w),
					};
					let result =
						if zero { ContentHash::zero() } else { ContentHash::repeat_byte(1) };
					DataContribution::submit_result(who, t, i, result)
				}
				None => Ok(()),
			},
			Op::CommitOnItem(w, t, i, a) => match submitted_or(t, i, true) {
				Some((t, i)) => commit_when_drawn(ACTORS[w], item_work(t, i), a),
				None => Ok(()),
			},
			Op::Reclaim(t, i) => match task_item(t, i) {
				Some((t, i)) => DataContribution::reclaim_slot(o(0), t, i),
				None => Ok(()),
			},
			Op::CloseTask(w, t) => match pick(&tasks, t) {
				Some(t) => {
					let requester = Tasks::<Test>::get(t).unwrap().requester;
					let who = if w % 2 == 0 { RuntimeOrigin::signed(requester) } else { o(w) };
					DataContribution::close_task(who, t).map(|_| ()).map_err(|e| e.error)
				}
				None => Ok(()),
			},
			Op::Register(w) => DataContribution::register_reviewer(o(w), MIN_REVIEWER_BOND),
			Op::Unregister(w) => DataContribution::unregister_reviewer(o(w)),
			Op::WithdrawReviewer(w) => DataContribution::withdraw_reviewer(o(w)),
			Op::Slash(w) => DataContribution::slash_reviewer(o(0), ACTORS[w]),
			Op::CloseShareholding(w, d) => DataContribution::close_shareholding(o(w), dataset(d)),
			Op::Advance(n) => {
				run_to_block(System::block_number() + n);
				Ok(())
			}
			Op::Admit(w, d, m, reviewer) | Op::Dismiss(w, d, m, reviewer) => {
				let d = dataset(d);
				let who = match Datasets::<Test>::get(d) {
					Some(record) if w % 2 == 0 => RuntimeOrigin::signed(record.curator),
					_ => o(w),
				};
				let role = if reviewer { Role::Reviewer } else { Role::Requester };
				if matches!(op, Op::Admit(..)) {
					DataContribution::admit_member(who, d, member(m), role)
				} else {
					DataContribution::dismiss_member(who, d, member(m), role)
				}
			}
			Op::SetRules(w, d, n) => {
				let d = dataset(d);
				let who = match Datasets::<Test>::get(d) {
					Some(record) if w % 2 == 0 => RuntimeOrigin::signed(record.curator),
					_ => o(w),
				};
				let rules = DatasetRules {
					max_contribution_items: n,
					contribution_items_per_day: 2 * n,
					annotations_per_day: n,
				};
				DataContribution::set_rules(who, d, rules)
			}
			Op::Expire(c) => match pick(&contributions, c) {
				Some(c) => DataContribution::expire_contribution(o(1), c),
				None => Ok(()),
			},
			Op::RemoveIdle(w, d, m) => {
				let d = dataset(d);
				let who = match Datasets::<Test>::get(d) {
					Some(record) if w % 2 == 0 => RuntimeOrigin::signed(record.curator),
					_ => o(w),
				};
				DataContribution::remove_idle_shareholding(who, d, member(m))
			}
			Op::OutsiderReviewsContribution(c) => match pick(&contributions, c) {
				Some(c) => {
					let d = Contributions::<Test>::get(c).unwrap().dataset;
					outsider_acts(d, Role::Reviewer, || {
						commit(OUTSIDER, Work::Contribution(c), true)
					})
				}
				None => Ok(()),
			},
			Op::OutsiderReviewsItem(t, i) => match submitted_or(t, i, true) {
				Some((t, i)) => {
					let d = Tasks::<Test>::get(t).unwrap().dataset;
					outsider_acts(d, Role::Reviewer, || commit(OUTSIDER, item_work(t, i), true))
				}
				None => Ok(()),
			},
			Op::OutsiderOpensTask(d) => {
				let d = dataset(d);
				outsider_acts(d, Role::Requester, || {
					DataContribution::open_task(origin(OUTSIDER), d, 1, 0, 0, 1, deadline, None)
				})
			}
			Op::OutsiderSubmits(d, n) => DataContribution::submit_contribution(
				origin(OUTSIDER),
				dataset(d),
				ContentHash::zero(),
				n,
			),
		};
		result.is_ok()
	}

	/// Commits, moving to the next block first if the work was submitted in this one (whose
	/// hash draws its reviewers), as a reviewer would wait.
	fn commit_when_drawn(who: AccountId, work: Work, approve: bool) -> DispatchResult {
		match commit(who, work, approve) {
			Err(error) if error == E::DrawPending.into() => {
				run_to_block(System::block_number() + 1);
				commit(who, work, approve)
			}
			result => result,
		}
	}

	/// The outsider registers as a reviewer if it has not (its bond is refundable) and acts in
	/// `role` on `dataset`: whatever else happens, it succeeds only where the curator admitted
	/// it to that role.
	fn outsider_acts(
		dataset: DatasetId,
		role: Role,
		act: impl FnOnce() -> sp_runtime::DispatchResult,
	) -> sp_runtime::DispatchResult {
		if !Reviewers::<Test>::contains_key(OUTSIDER) {
			let _ = DataContribution::register_reviewer(origin(OUTSIDER), MIN_REVIEWER_BOND);
		}
		let admitted = Members::<Test>::get(dataset, OUTSIDER).is_some_and(|m| m.has(role));
		let result = act();
		assert!(
			result.is_err() || admitted,
			"the outsider acted as {role:?} in dataset {dataset} without the curator's admission"
		);
		result
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

		/// Random calls from six accounts: after every step the storage invariants hold
		/// (held amounts, share totals, counters) and no unit is created or destroyed.
		#[test]
		fn invariants_hold_after_every_step(ops in proptest::collection::vec(op(), 1..120)) {
			ExtBuilder::default().with_balance(OUTSIDER, INITIAL_BALANCE).build_and_execute(|| {
				let accounts: Vec<AccountId> =
					ACTORS.iter().copied().chain([POOR, TREASURY, OUTSIDER]).collect();
				let total = |accounts: &[AccountId]| -> Balance {
					accounts.iter().map(Balances::total_balance).sum()
				};
				let before = total(&accounts);
				for op in &ops {
					apply(op);
					DataContribution::do_try_state().expect("invariants hold");
					assert_eq!(total(&accounts), before, "funds are conserved");
				}
			});
		}
	}

	/// The generator reaches the deep paths: over a fixed set of random sequences, items and
	/// contributions get accepted and rejected and tasks get closed, so the property above
	/// checks more than the error paths.
	#[test]
	fn random_sequences_reach_every_outcome() {
		use proptest::strategy::{Strategy, ValueTree};
		let mut runner = proptest::test_runner::TestRunner::deterministic();
		let sequences = proptest::collection::vec(op(), 100..120);
		let mut seen = std::collections::BTreeMap::<&'static str, usize>::new();
		for _ in 0..80 {
			let ops = sequences.new_tree(&mut runner).unwrap().current();
			ExtBuilder::default().with_balance(OUTSIDER, INITIAL_BALANCE).build_and_execute(|| {
				for op in &ops {
					apply(op);
				}
				for event in events_since_last_call() {
					let name = match event {
						Event::ItemAccepted { .. } => "item accepted",
						Event::ItemPaid { .. } => "item paid",
						Event::ItemDisputed { .. } => "item disputed",
						Event::GoldFailed { .. } => "gold failed",
						Event::ItemVoided { .. } => "item voided",
						Event::BallotLapsed { .. } => "ballot lapsed",
						Event::ItemRejected { .. } => "item rejected",
						Event::ContributionAccepted { .. } => "contribution accepted",
						Event::ContributionRejected { .. } => "contribution rejected",
						Event::TaskClosed { .. } => "task closed",
						Event::SlotReclaimed { .. } => "slot reclaimed",
						Event::MemberAdmitted { .. } => "member admitted",
						Event::MemberDismissed { .. } => "member dismissed",
						Event::RulesSet { .. } => "rules set",
						Event::ContributionExpired { .. } => "contribution expired",
						Event::ShareholdingRemoved { .. } => "share record removed",
						_ => continue,
					};
					*seen.entry(name).or_default() += 1;
				}
			});
		}
		for outcome in [
			"item accepted",
			"item paid",
			"item disputed",
			"gold failed",
			"ballot lapsed",
			"item rejected",
			"contribution accepted",
			"contribution rejected",
			"task closed",
			"slot reclaimed",
			"member admitted",
			"member dismissed",
			"rules set",
			"contribution expired",
			"share record removed",
		] {
			assert!(
				seen.get(outcome).copied().unwrap_or(0) > 0,
				"no sequence reached `{outcome}`: {seen:?}"
			);
		}
	}
}
