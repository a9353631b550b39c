//! What a ring of colluding accounts would try on reviews and bounties, each a test named after
//! its scenario. Each failed on the pallet as it was before sealed votes, the reviewer draw, the
//! acceptance window and gold items (the calls they use did not exist, or the ring was paid);
//! balances, stakes and shares are checked exactly.

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
	tests::{commit, deliver, item_work, reputation, reveal, salt, sealed_review},
	types::*,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	Perbill,
};
use tributary_primitives::SharePools;

type E = Error<Test>;

const CURATOR: AccountId = ALICE;
const REQUESTER: AccountId = BOB;
/// The ring: an annotator who submits junk and the reviewers it colludes with.
const RING_ANNOTATOR: AccountId = EVE;
const RING: [AccountId; 2] = [100, 101];
const HONEST: AccountId = CHARLIE;
const REWARD: Balance = 1_000;
const FEE: Balance = 100;
const SHARES_PER_ITEM: u128 = 100;
const JUNK: ContentHash = ContentHash::repeat_byte(0xee);

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::DataContribution(reason), &who)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn ring() -> ExtBuilder {
	RING.iter().fold(ExtBuilder::default(), |b, who| b.with_balance(*who, INITIAL_BALANCE))
}

/// A dataset with a panel of `quorum`, whose curator admitted the requester, the ring's
/// reviewers and `HONEST` (each bonded).
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
			shares_per_item: SHARES_PER_ITEM,
			contribution_quorum: quorum,
		},
	));
	assert_ok!(DataContribution::admit_member(origin(CURATOR), id, REQUESTER, Role::Requester));
	for who in RING.into_iter().chain([HONEST]) {
		assert_ok!(DataContribution::register_reviewer(origin(who), MIN_REVIEWER_BOND));
		assert_ok!(DataContribution::admit_member(origin(CURATOR), id, who, Role::Reviewer));
	}
	id
}

/// The requester opens a task of `items` with a panel of `panel` and an optional gold
/// commitment; returns its id.
fn task(data: DatasetId, items: u32, panel: u32, gold: Option<VoteCommitment>) -> TaskId {
	let id = NextTaskId::<Test>::get();
	assert_ok!(DataContribution::open_task(
		origin(REQUESTER),
		data,
		items,
		REWARD,
		FEE,
		panel,
		100,
		gold
	));
	id
}

/// A ring reviewer waits to see an honest vote and copies it, or copies its commitment. Votes
/// are sealed until the panel is full, and a commitment binds its maker: the copy never opens,
/// the copier is a no-show, loses reputation and is paid nothing.
#[test]
fn a_ring_cannot_see_or_copy_a_vote_before_casting_its_own() {
	ring().build_and_execute(|| {
		let data = dataset(3);
		let task = task(data, 1, 3, None);
		let work = item_work(task, 0);
		deliver(task, 0, DAVE, ContentHash::repeat_byte(5));
		run_to_block(2);
		assert_ok!(commit(HONEST, work, false));
		// Nothing is revealed while seats are open.
		assert_noop!(reveal(HONEST, work, false), E::RevealNotOpen);
		let Some(Slot::Submitted { ballot, .. }) = Slots::<Test>::get(task, 0) else { panic!() };
		let honest_commitment = ballot.seats[0].commitment;
		assert_ok!(commit(RING[0], work, true));
		assert_ok!(DataContribution::commit_vote(origin(RING[1]), work, honest_commitment));

		assert_ok!(reveal(HONEST, work, false));
		assert_ok!(reveal(RING[0], work, true));
		for approve in [true, false] {
			assert_noop!(
				DataContribution::reveal_vote(origin(RING[1]), work, approve, salt(HONEST)),
				E::CommitmentMismatch
			);
			assert_noop!(reveal(RING[1], work, approve), E::CommitmentMismatch);
		}
		assert_noop!(DataContribution::conclude_ballot(origin(DAVE), work), E::RevealPeriodNotOver);
		run_to_block(2 + REVEAL_WINDOW + 1);
		assert_noop!(reveal(HONEST, work, false), E::RevealPeriodOver);
		assert_ok!(DataContribution::conclude_ballot(origin(DAVE), work));

		// One approval, one rejection: a tie rejects. The two who revealed are paid from the
		// annotator's stake; the copier is not, and loses reputation as a no-show.
		assert!(Slots::<Test>::get(task, 0).is_none());
		assert_eq!(reputation(HONEST), INITIAL_REPUTATION + REPUTATION_REWARD);
		assert_eq!(reputation(RING[0]), INITIAL_REPUTATION - REPUTATION_PENALTY);
		assert_eq!(reputation(RING[1]), INITIAL_REPUTATION - REPUTATION_PENALTY);
		let bonded = INITIAL_BALANCE - MIN_REVIEWER_BOND - SHAREHOLDING_DEPOSIT;
		assert_eq!(free(HONEST), bonded + FEE);
		assert_eq!(free(RING[0]), bonded + FEE);
		assert_eq!(free(RING[1]), bonded);
		assert_eq!(free(DAVE), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT - 2 * FEE);
		assert_eq!(held(HoldReason::AnnotationStake, DAVE), 0);
	});
}

/// A ballot whose seats all stay silent lapses: each seat loses reputation and the ballot
/// starts again with a new draw, so a ring cannot park an item by taking its seats.
#[test]
fn silent_seats_lapse_and_the_item_is_drawn_again() {
	ring().build_and_execute(|| {
		let data = dataset(2);
		let task = task(data, 1, 2, None);
		let work = item_work(task, 0);
		deliver(task, 0, DAVE, ContentHash::repeat_byte(5));
		run_to_block(2);
		for who in RING {
			assert_ok!(commit(who, work, true));
		}
		run_to_block(2 + REVEAL_WINDOW + 1);
		assert_ok!(DataContribution::conclude_ballot(origin(HONEST), work));
		for who in RING {
			assert_eq!(reputation(who), INITIAL_REPUTATION - REPUTATION_PENALTY);
			assert_eq!(Reviewers::<Test>::get(who).unwrap().open_votes, 0);
		}
		let now = System::block_number();
		assert!(matches!(
			Slots::<Test>::get(task, 0),
			Some(Slot::Submitted { ballot, .. }) if ballot.seats.is_empty() && ballot.opened_at == now
		));
		assert_eq!(
			events_since_last_call().last(),
			Some(&Event::BallotLapsed { work, no_shows: 2 })
		);
		// A fresh panel decides.
		assert_noop!(commit(HONEST, work, true), E::DrawPending);
		run_to_block(now + 1);
		assert_ok!(commit(HONEST, work, true));
	});
}

/// The ring's reviewers want to review the ring's work. They cannot choose: the hash of the
/// block the work was submitted in draws who may take a seat, and the places open only widen
/// with time. The check below recomputes the documented draw independently.
#[test]
fn reviewers_are_drawn_not_self_selected() {
	ring().build_and_execute(|| {
		let data = dataset(1);
		for who in [DAVE, FERDIE, 102, 103] {
			assert_ok!(DataContribution::admit_member(origin(CURATOR), data, who, Role::Reviewer));
		}
		let pool = Datasets::<Test>::get(data).unwrap().reviewers;
		assert_eq!(pool, 7);
		let task = task(data, 1, 1, None);
		let work = item_work(task, 0);
		deliver(task, 0, RING_ANNOTATOR, JUNK);
		let seed = sp_core::H256::repeat_byte(0x42);
		frame_system::BlockHash::<Test>::insert(1, seed);
		run_to_block(2);

		let candidates = [HONEST, DAVE, FERDIE, RING[0], RING[1], 102, 103];
		let position = |who: AccountId| {
			let draw = BlakeTwo256::hash(&(*b"tributary/draw", seed, work, who).encode());
			u64::from_le_bytes(draw.as_bytes()[..8].try_into().unwrap()) % u64::from(pool)
		};
		// A panel of one opens two places at first.
		let drawn: Vec<_> = candidates.into_iter().filter(|who| position(*who) < 2).collect();
		let not_drawn: Vec<_> = candidates.into_iter().filter(|who| position(*who) >= 2).collect();
		assert!(!not_drawn.is_empty(), "this seed leaves some reviewers out");
		for who in candidates {
			assert_eq!(
				DataContribution::ensure_drawn(&work, &who, 1, pool, 1).is_ok(),
				drawn.contains(&who),
				"the draw of {who} follows the documented formula"
			);
		}
		let excluded = not_drawn[0];
		if RING.contains(&excluded) || [HONEST].contains(&excluded) {
			assert_noop!(commit(excluded, work, true), E::NotDrawn);
		}
		// The pool is fixed when the ballot opens: admitting or dismissing reviewers once the
		// seed is known does not re-roll the draw.
		for who in [102, 103] {
			assert_ok!(DataContribution::dismiss_member(
				origin(CURATOR),
				data,
				who,
				Role::Reviewer
			));
		}
		assert_eq!(Datasets::<Test>::get(data).unwrap().reviewers, pool - 2);
		for who in candidates {
			assert_eq!(DataContribution::is_drawn(&work, &who), drawn.contains(&who));
		}
		// The places double every `DrawWidening` blocks: after two doublings (8 ≥ 7) everyone
		// admitted is drawn.
		run_to_block(1 + 2 * DRAW_WIDENING);
		for who in candidates {
			assert_ok!(DataContribution::ensure_drawn(&work, &who, 1, pool, 1));
		}
	});
}

/// The ring accepts its annotator's junk in one block. The requester disputes it within the
/// acceptance window: the annotator is paid nothing and forfeits its stake, nobody earns
/// shares, and the item's budget goes to the treasury, so disputing honest work would gain the
/// requester nothing either.
#[test]
fn junk_a_ring_accepted_is_disputed_before_payment() {
	ring().build_and_execute(|| {
		let data = dataset(2);
		let task = task(data, 2, 2, None);
		deliver(task, 0, RING_ANNOTATOR, JUNK);
		sealed_review(item_work(task, 0), &[(RING[0], true), (RING[1], true)]);
		let accepted_at = System::block_number();
		assert!(matches!(Slots::<Test>::get(task, 0), Some(Slot::Accepted { .. })));

		let per_item = REWARD + 2 * FEE;
		let requester_total = Balances::total_balance(&REQUESTER);
		let treasury = free(TREASURY);
		assert_noop!(
			DataContribution::dispute_item(origin(DAVE), task, 0),
			E::NotRequesterOrCurator
		);
		assert_noop!(DataContribution::pay_item(origin(RING[0]), task, 0), E::NotPayableYet);
		// Not the curator either: it could otherwise pay its own ring past the requester.
		assert_noop!(DataContribution::pay_item(origin(CURATOR), task, 0), E::NotPayableYet);
		// A ring reviewer cannot leave before the finding judges it.
		assert_ok!(DataContribution::unregister_reviewer(origin(RING[1])));
		run_to_block(accepted_at + REVIEWER_COOLDOWN);
		assert_noop!(DataContribution::withdraw_reviewer(origin(RING[1])), E::OpenVotes);
		System::set_block_number(accepted_at);
		assert_ok!(DataContribution::dispute_item(origin(REQUESTER), task, 0));

		let stake = 2 * FEE;
		assert_eq!(free(TREASURY), treasury + per_item + stake);
		assert_eq!(Balances::total_balance(&REQUESTER), requester_total - per_item);
		assert_eq!(free(RING_ANNOTATOR), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT - stake);
		assert_eq!(held(HoldReason::AnnotationStake, RING_ANNOTATOR), 0);
		for who in RING {
			assert_eq!(free(who), INITIAL_BALANCE - MIN_REVIEWER_BOND - SHAREHOLDING_DEPOSIT);
			// The dispute overturns the verdict's judgement: the reward is undone, the
			// penalty taken.
			assert_eq!(reputation(who), INITIAL_REPUTATION - REPUTATION_PENALTY);
		}
		assert_eq!(DataContribution::total_shares(data), 0, "nobody earned shares");
		assert!(matches!(Slots::<Test>::get(task, 0), Some(Slot::Disputed { .. })));
		assert_noop!(DataContribution::claim_slot(origin(DAVE), task, 0), E::SlotTaken);

		// Once its window is over an accepted item is final: anyone may have it paid, and the
		// requester may no longer dispute it.
		deliver(task, 1, DAVE, ContentHash::repeat_byte(5));
		sealed_review(item_work(task, 1), &[(HONEST, true), (RING[0], true)]);
		let payable_at = System::block_number() + ACCEPTANCE_WINDOW;
		assert!(payable_at > accepted_at);
		run_to_block(payable_at);
		assert_noop!(
			DataContribution::dispute_item(origin(REQUESTER), task, 1),
			E::DisputeWindowClosed
		);
		assert_ok!(DataContribution::pay_item(origin(FERDIE), task, 1));
		assert_eq!(free(DAVE), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT + REWARD);
		assert_eq!(DataContribution::shares_of(data, &DAVE), SHARES_PER_ITEM);
	});
}

/// The ring's annotator claims every item and submits junk; the requester had committed to a
/// gold answer for item 0 when it opened the task. Revealing it bars the annotator from the
/// task, forfeits its stake on the gold item and voids its unpaid items, accepted or not; the
/// budget stays in the bounty, and honest annotators take the items.
#[test]
fn an_annotator_failing_a_gold_item_is_barred_and_its_unpaid_items_voided() {
	ring().build_and_execute(|| {
		let data = dataset(2);
		let answer = ContentHash::repeat_byte(0x60);
		let answers = vec![(0, answer)];
		let gold_salt = [7u8; 32];
		let task = task(data, 3, 2, Some(gold_commitment(&answers, &gold_salt)));
		for item in 0..3 {
			deliver(task, item, RING_ANNOTATOR, JUNK);
		}
		// The ring accepts item 1; item 2 waits for review.
		sealed_review(item_work(task, 1), &[(RING[0], true), (RING[1], true)]);
		// A task with sealed gold answers pays nobody but on the requester's or curator's word
		// until the answers are out or their reveal period (deadline + window) is over.
		run_to_block(System::block_number() + ACCEPTANCE_WINDOW);
		assert_noop!(DataContribution::pay_item(origin(RING[0]), task, 1), E::NotPayableYet);

		assert_noop!(
			DataContribution::reveal_gold(origin(DAVE), task, answers.clone(), gold_salt),
			E::NotRequester
		);
		assert_noop!(
			DataContribution::reveal_gold(origin(REQUESTER), task, answers.clone(), [0; 32]),
			E::GoldMismatch
		);
		let treasury = free(TREASURY);
		let bounty = held(HoldReason::TaskBounty, REQUESTER);
		assert_ok!(DataContribution::reveal_gold(
			origin(REQUESTER),
			task,
			answers.clone(),
			gold_salt
		));

		let stake = 2 * FEE;
		assert_eq!(free(TREASURY), treasury + stake, "the gold item's stake is forfeited");
		assert_eq!(held(HoldReason::AnnotationStake, RING_ANNOTATOR), 0);
		assert_eq!(free(RING_ANNOTATOR), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT - stake);
		assert_eq!(held(HoldReason::TaskBounty, REQUESTER), bounty, "nothing was paid");
		assert_eq!(DataContribution::total_shares(data), 0);
		assert!(Barred::<Test>::contains_key(task, RING_ANNOTATOR));
		assert_eq!(Slots::<Test>::get(task, 0), Some(Slot::Gold));
		assert!(Slots::<Test>::get(task, 1).is_none() && Slots::<Test>::get(task, 2).is_none());
		let stored = Tasks::<Test>::get(task).unwrap();
		assert_eq!(
			(stored.occupied, stored.under_review, stored.awaiting_payment, stored.gold),
			(1, 0, 0, Gold::Revealed)
		);
		let events = events_since_last_call();
		assert!(events.contains(&Event::GoldFailed {
			task,
			item: 0,
			annotator: RING_ANNOTATOR,
			expected: answer,
			submitted: JUNK,
		}));
		assert_eq!(events.last(), Some(&Event::GoldRevealed { task, gold_items: 1, barred: 1 }));

		assert_noop!(
			DataContribution::reveal_gold(origin(REQUESTER), task, answers, gold_salt),
			E::NoGoldCommitted
		);
		assert_noop!(
			DataContribution::claim_slot(origin(RING_ANNOTATOR), task, 1),
			E::AnnotatorBarred
		);
		assert_noop!(DataContribution::claim_slot(origin(DAVE), task, 0), E::SlotTaken);
		assert_ok!(DataContribution::claim_slot(origin(DAVE), task, 1));
	});
}

/// Reviewers were paid only for approving, so approving everything paid best. Every reviewer
/// who reveals is paid its fee and earns shares on an accepted item, whichever way it voted.
#[test]
fn a_dissenting_reviewer_is_paid_like_the_majority() {
	ring().build_and_execute(|| {
		let data = dataset(3);
		let task = task(data, 1, 3, None);
		deliver(task, 0, DAVE, ContentHash::repeat_byte(5));
		sealed_review(item_work(task, 0), &[(RING[0], true), (RING[1], true), (HONEST, false)]);
		assert_ok!(DataContribution::pay_item(origin(REQUESTER), task, 0));
		let reviewer_shares = Perbill::from_percent(10) * SHARES_PER_ITEM;
		for who in RING.into_iter().chain([HONEST]) {
			assert_eq!(free(who), INITIAL_BALANCE - MIN_REVIEWER_BOND - SHAREHOLDING_DEPOSIT + FEE);
			assert_eq!(DataContribution::shares_of(data, &who), reviewer_shares);
		}
		assert_eq!(reputation(HONEST), INITIAL_REPUTATION - REPUTATION_PENALTY);
	});
}

/// A requester commits to gold answers for every item of its task, answers nobody could give,
/// to bar every annotator after the work is delivered and take the whole budget back. Gold is
/// one item in ten at most: the reveal fails, and the work is paid.
#[test]
fn a_requester_cannot_make_every_item_gold() {
	ring().build_and_execute(|| {
		let data = dataset(1);
		let answers: Vec<_> = (0..11).map(|item| (item, ContentHash::repeat_byte(0x61))).collect();
		let gold_salt = [3u8; 32];
		let task = task(data, 11, 1, Some(gold_commitment(&answers, &gold_salt)));
		deliver(task, 0, DAVE, ContentHash::repeat_byte(5));
		sealed_review(item_work(task, 0), &[(HONEST, true)]);
		assert_noop!(
			DataContribution::reveal_gold(origin(REQUESTER), task, answers, gold_salt),
			E::TooManyGoldItems
		);
		// The sealed answers are never revealed: after their reveal period anyone has the
		// accepted work paid.
		run_to_block(100 + ACCEPTANCE_WINDOW + 1);
		assert_ok!(DataContribution::pay_item(origin(FERDIE), task, 0));
		assert_eq!(free(DAVE), INITIAL_BALANCE - SHAREHOLDING_DEPOSIT + REWARD);
	});
}

/// A correct result on a gold item is paid like any other, but once the answers are public a
/// gold item freed by a rejection cannot be claimed again and paid for copying the answer; and
/// answers revealed after their period would race payments already due.
#[test]
fn a_revealed_gold_answer_cannot_be_copied_or_revealed_late() {
	ring().build_and_execute(|| {
		let data = dataset(2);
		let answer = ContentHash::repeat_byte(0x60);
		let answers = vec![(0, answer)];
		let gold_salt = [7u8; 32];
		let task = task(data, 2, 2, Some(gold_commitment(&answers, &gold_salt)));
		deliver(task, 0, DAVE, answer);
		assert_ok!(DataContribution::reveal_gold(
			origin(REQUESTER),
			task,
			answers.clone(),
			gold_salt
		));
		assert_eq!(
			events_since_last_call().last(),
			Some(&Event::GoldRevealed { task, gold_items: 1, barred: 0 })
		);
		// The right answer stays under review; a tie rejects it and frees the item.
		sealed_review(item_work(task, 0), &[(HONEST, true), (RING[0], false)]);
		assert!(Slots::<Test>::get(task, 0).is_none());
		assert_noop!(DataContribution::claim_slot(origin(RING_ANNOTATOR), task, 0), E::GoldItem);

		// Another task: its gold is revealed too late.
		let late = NextTaskId::<Test>::get();
		let deadline = System::block_number() + 10;
		assert_ok!(DataContribution::open_task(
			origin(REQUESTER),
			data,
			2,
			REWARD,
			FEE,
			2,
			deadline,
			Some(gold_commitment(&answers, &gold_salt))
		));
		run_to_block(deadline + ACCEPTANCE_WINDOW + 1);
		assert_noop!(
			DataContribution::reveal_gold(origin(REQUESTER), late, answers, gold_salt),
			E::GoldRevealPeriodOver
		);
	});
}

/// A reviewer outvoted by a ring that accepted junk is vindicated by the dispute: the penalty
/// it took at the verdict is undone, it gets the reward, and its fee.
#[test]
fn a_vindicated_dissenter_ends_better_off_than_the_ring() {
	ring().build_and_execute(|| {
		let data = dataset(3);
		let task = task(data, 1, 3, None);
		deliver(task, 0, RING_ANNOTATOR, JUNK);
		sealed_review(item_work(task, 0), &[(RING[0], true), (RING[1], true), (HONEST, false)]);
		assert_eq!(reputation(HONEST), INITIAL_REPUTATION - REPUTATION_PENALTY);
		assert_ok!(DataContribution::dispute_item(origin(REQUESTER), task, 0));
		assert_eq!(reputation(HONEST), INITIAL_REPUTATION + REPUTATION_REWARD);
		for who in RING {
			assert_eq!(reputation(who), INITIAL_REPUTATION - REPUTATION_PENALTY);
		}
		assert_eq!(free(HONEST), INITIAL_BALANCE - MIN_REVIEWER_BOND - SHAREHOLDING_DEPOSIT + FEE);
		assert_eq!(Reviewers::<Test>::get(HONEST).unwrap().open_votes, 0);
	});
}

/// A curator creates a dataset whose items mint shares close to the total's limit, then has
/// its own contributions accepted until one more item would overflow: every accepted item of
/// every task on the dataset would fail to pay, and its task could never close. Shares per
/// item are bounded far below the limit.
#[test]
fn shares_per_item_cannot_be_large_enough_to_overflow_a_dataset() {
	ExtBuilder::default().build_and_execute(|| {
		let terms = |shares_per_item| DatasetTerms {
			min_model_share: Perbill::from_percent(10),
			shares_per_item,
			contribution_quorum: 1,
		};
		let create = |shares| {
			DataContribution::create_dataset(
				origin(CURATOR),
				b"d".to_vec(),
				ContentHash::zero(),
				b"s".to_vec(),
				b"l".to_vec(),
				terms(shares),
			)
		};
		assert_noop!(create(u128::MAX / 2), E::TooManySharesPerItem);
		assert_noop!(create(MAX_SHARES_PER_ITEM + 1), E::TooManySharesPerItem);
		assert_ok!(create(MAX_SHARES_PER_ITEM));
	});
}

/// A requester lists one gold item twice with two answers: every result on it would fail. Gold
/// answers name distinct items, in order.
#[test]
fn a_gold_item_has_one_answer() {
	ring().build_and_execute(|| {
		let data = dataset(2);
		let answers = vec![(0, ContentHash::repeat_byte(1)), (0, ContentHash::repeat_byte(2))];
		let gold_salt = [7u8; 32];
		let task = task(data, 16, 2, Some(gold_commitment(&answers, &gold_salt)));
		deliver(task, 0, DAVE, ContentHash::repeat_byte(1));
		assert_noop!(
			DataContribution::reveal_gold(origin(REQUESTER), task, answers, gold_salt),
			E::GoldAnswersNotSorted
		);
	});
}
