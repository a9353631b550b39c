//! The captures an outsider would try on royalties, each a test named after its scenario with
//! exact amounts. `just_in_time_capture_fails` failed on the pallet before the distribution
//! queue (the newcomer took half of the revenue earned before it held anything).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};
use sp_runtime::Perbill;
use tributary_primitives::RoyaltySink;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// One paid invocation of `model` version 1 whose royalty is `royalty`.
fn pay(model: ModelId, royalty: Balance) {
	assert_ok!(RoyaltyDistribution::accrue(&PAYER, model, 1, 1, royalty, &[]));
}

/// A dataset whose pool gets all of model `model`'s royalties, with `holder` holding 1,000
/// shares.
fn dataset_of(model: ModelId, holder: AccountId) -> DatasetId {
	let data = add_dataset(CURATOR);
	mint(data, holder, 1_000);
	set_route(model, 1, vec![(Beneficiary::Dataset(data), Perbill::one())]);
	data
}

fn claimable(data: DatasetId, who: AccountId) -> Balance {
	RoyaltyDistribution::claimable_in_pool(data, &who)
}

/// Runs `on_idle` at block `now` with the whole block's weight.
fn idle(now: u64) -> Weight {
	System::set_block_number(now);
	RoyaltyDistribution::on_idle(now, Weight::MAX)
}

/// Revenue waits undistributed; a newcomer gets shares minted and calls `distribute` at once:
/// the revenue earned before it held anything goes to the holders of then, all of it.
#[test]
fn just_in_time_capture_fails() {
	ExtBuilder.build_and_execute(|| {
		let data = dataset_of(0, ALICE);
		pay(0, 1_000);
		mint(data, BOB, 1_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(BOB), 0, 1));
		assert_eq!(claimable(data, ALICE), 1_000);
		assert_eq!(claimable(data, BOB), 0);
		// Bob's shares activate at the pool's next distribution: nothing waits before them now.
		assert_eq!(Pools::<Test>::get(data).unwrap().inactive, 1_000);
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 1, tail: 1 });

		// Revenue paid after the newcomer's shares is shared by everyone.
		pay(0, 600);
		assert_ok!(RoyaltyDistribution::distribute(origin(BOB), 0, 1));
		assert_eq!(claimable(data, ALICE), 1_300);
		assert_eq!(claimable(data, BOB), 300);
		let before = Balances::free_balance(BOB);
		assert_ok!(RoyaltyDistribution::claim_pool(origin(BOB), data));
		assert_eq!(Balances::free_balance(BOB), before + 300);
	});
}

/// The newcomer waits for *every* revenue queued before its shares, not only its own
/// dataset's: distributing the dataset's version does not activate it while an older version
/// elsewhere still waits, and revenue that version brings meanwhile goes to the older holders.
#[test]
fn shares_wait_for_every_older_revenue_and_activate_together() {
	ExtBuilder.build_and_execute(|| {
		let other = dataset_of(1, DAVE);
		let data = dataset_of(0, ALICE);
		pay(1, 50);
		pay(0, 1_000);
		mint(data, BOB, 1_000);
		mint(data, CHARLIE, 2_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(BOB), 0, 1));
		pay(0, 400);
		assert_ok!(RoyaltyDistribution::distribute(origin(BOB), 0, 1));
		// Model 1's revenue, queued before Bob and Charlie, still waits: they are inactive.
		assert_eq!(claimable(data, ALICE), 1_400);
		assert_eq!(claimable(data, BOB) + claimable(data, CHARLIE), 0);
		assert_eq!(Pools::<Test>::get(data).unwrap().inactive, 3_000);

		assert_ok!(RoyaltyDistribution::distribute(origin(BOB), 1, 1));
		assert_eq!(claimable(other, DAVE), 50);
		// Model 0's places, distributed out of order, are holes the block's `on_idle` skips;
		// then the queue's head is past the cohort and the next payment activates it first.
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 1, tail: 3 });
		idle(2);
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 3, tail: 3 });
		pay(0, 600);
		assert_ok!(RoyaltyDistribution::distribute(origin(BOB), 0, 1));
		assert_eq!(claimable(data, ALICE), 1_550);
		assert_eq!(claimable(data, BOB), 150);
		assert_eq!(claimable(data, CHARLIE), 300);
		assert!(System::events().iter().any(|record| record.event
			== RuntimeEvent::RoyaltyDistribution(Event::SharesActivated {
				dataset: data,
				cohort: 0,
				shares: 3_000
			})));
		// Both holders settle with the activation's record; the last one removes it.
		assert_eq!(Activations::<Test>::get(data, 0).unwrap().holders, 2);
		assert_ok!(RoyaltyDistribution::claim_pool(origin(BOB), data));
		assert_eq!(Activations::<Test>::get(data, 0).unwrap().holders, 1);
		assert_ok!(RoyaltyDistribution::claim_pool(origin(CHARLIE), data));
		assert_eq!(Activations::<Test>::get(data, 0), None);
	});
}

/// A holder untouched while two cohorts of its pool activate earns from its own cohort's
/// activation, exactly.
#[test]
fn a_holder_left_alone_across_cohorts_earns_from_its_own_activation() {
	ExtBuilder.build_and_execute(|| {
		let data = dataset_of(0, ALICE);
		pay(0, 1_000);
		mint(data, BOB, 1_000); // cohort 0
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		pay(0, 2_000);
		mint(data, CHARLIE, 2_000); // cohort 0 activates first, Charlie starts cohort 1
		assert_eq!(Pools::<Test>::get(data).unwrap().activated, 1);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		// 2,000 among Alice's and Bob's 2,000 active shares.
		assert_eq!((claimable(data, ALICE), claimable(data, BOB)), (2_000, 1_000));
		pay(0, 4_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		// Cohort 1 activated: 4,000 among 4,000 shares.
		assert_eq!(claimable(data, ALICE), 3_000);
		assert_eq!(claimable(data, BOB), 2_000);
		assert_eq!(claimable(data, CHARLIE), 2_000);
	});
}

/// Shares minted when nothing waits for distribution are active at once.
#[test]
fn shares_minted_with_nothing_waiting_are_active_at_once() {
	ExtBuilder.build_and_execute(|| {
		let data = dataset_of(0, ALICE);
		mint(data, BOB, 1_000);
		assert_eq!(Pools::<Test>::get(data), None);
		pay(0, 1_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!((claimable(data, ALICE), claimable(data, BOB)), (500, 500));
	});
}

/// A dataset whose only shares are inactive pays its curator, as a pool without shares does.
#[test]
fn a_pool_whose_shares_are_all_inactive_pays_its_curator() {
	ExtBuilder.build_and_execute(|| {
		let data = add_dataset(CURATOR);
		set_route(0, 1, vec![(Beneficiary::Dataset(data), Perbill::one())]);
		pay(0, 1_000);
		mint(data, BOB, 1_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!(RoyaltyDistribution::claimable_credits(&CURATOR), 1_000);
		assert_eq!(claimable(data, BOB), 0);
	});
}

/// Nobody has to call `distribute`: `on_idle` distributes a version once its revenue waited
/// `AutoDistributeAfter` blocks, oldest first, and skips places left empty by versions
/// distributed by hand.
#[test]
fn waiting_revenue_is_distributed_automatically_oldest_first() {
	ExtBuilder.build_and_execute(|| {
		let first = dataset_of(0, ALICE);
		let second = dataset_of(1, BOB);
		let third = dataset_of(2, CHARLIE);
		pay(0, 100); // place 0, block 1
		System::set_block_number(3);
		pay(1, 200); // place 1, block 3
		pay(2, 300); // place 2, block 3
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 1, 1));
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 0, tail: 3 });

		// Not yet: place 0 waited 9 blocks.
		idle(AUTO_DISTRIBUTE_AFTER);
		assert_eq!(claimable(first, ALICE), 0);
		idle(1 + AUTO_DISTRIBUTE_AFTER);
		assert_eq!(claimable(first, ALICE), 100);
		assert_eq!(claimable(third, CHARLIE), 0);
		// Place 1 is a hole; place 2 is not due before block 13.
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 2, tail: 3 });
		idle(3 + AUTO_DISTRIBUTE_AFTER);
		assert_eq!(claimable(third, CHARLIE), 300);
		assert_eq!(claimable(second, BOB), 200);
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 3, tail: 3 });
		assert_eq!(RevenueQueue::<Test>::iter().count(), 0);
	});
}

/// `on_idle` distributes only what fits the weight it is given, and charges what it used.
#[test]
fn automatic_distribution_stays_within_the_weight_it_is_given() {
	ExtBuilder.build_and_execute(|| {
		let data = dataset_of(0, ALICE);
		pay(0, 100);
		System::set_block_number(100);
		assert_eq!(RoyaltyDistribution::on_idle(100, Weight::zero()), Weight::zero());
		assert_eq!(claimable(data, ALICE), 0);
		let used = RoyaltyDistribution::on_idle(100, Weight::MAX);
		assert!(used.any_gt(Weight::zero()));
		assert_eq!(claimable(data, ALICE), 100);
	});
}

/// What rounding leaves of a distribution does not hold the queue: it waits out of the queue
/// for the version's next payment.
#[test]
fn rounding_dust_does_not_block_the_queue() {
	ExtBuilder.build_and_execute(|| {
		let datasets: Vec<_> = (0..3).map(|_| dataset_of(9, ALICE)).collect();
		set_route(0, 1, even_route(&datasets));
		pay(0, 100);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		let revenue = Undistributed::<Test>::get(0, 1).unwrap();
		assert_eq!((revenue.amount, revenue.queued), (1, None));
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 1, tail: 1 });
		// A newcomer now is active at once: nothing waits in the queue.
		mint(datasets[0], BOB, 1_000);
		assert_eq!(Pools::<Test>::get(datasets[0]).unwrap().inactive, 0);
	});
}

/// A holder's pending royalties are read from its own pools.
#[test]
fn pending_royalties_read_the_holders_own_pools() {
	ExtBuilder.build_and_execute(|| {
		let data = dataset_of(0, ALICE);
		let _unrelated: Vec<_> = (0..5).map(|_| add_dataset(CURATOR)).collect();
		pay(0, 1_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!(HolderPools::<Test>::iter_key_prefix(ALICE).collect::<Vec<_>>(), vec![data]);
		let pending = RoyaltyDistribution::api_pending_royalties(&ALICE);
		assert_eq!(pending.total, 1_000);
		assert_eq!(pending.pools.len(), 1);
	});
}

/// Minting more shares later never postpones shares minted earlier: each pending cohort waits
/// for its own place. (With one cohort per pool, a mint every few blocks kept the first
/// newcomer inactive for good, its part going to the incumbent.)
#[test]
fn later_mints_do_not_postpone_earlier_shares() {
	ExtBuilder.build_and_execute(|| {
		let data = dataset_of(0, ALICE);
		let _other = dataset_of(1, DAVE);
		pay(0, 1_000); // place 0
		mint(data, BOB, 1_000); // cohort 0: waits for place 0 only
		pay(1, 1); // place 1, left waiting to the end
		mint(data, CHARLIE, 1); // cohort 1: waits for place 1 too
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!(claimable(data, ALICE), 1_000);
		for _ in 0..4 {
			pay(0, 1_000);
			mint(data, CHARLIE, 1); // a mint every round
			assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		}
		// Bob's cohort activated at the first of these payments and shared all four.
		assert_eq!(claimable(data, ALICE), 3_000);
		assert_eq!(claimable(data, BOB), 2_000);
		assert_eq!(claimable(data, CHARLIE), 0);
		let pool = Pools::<Test>::get(data).unwrap();
		assert_eq!((pool.activated, pool.inactive), (1, 5));
	});
}

/// Past `MaxPendingCohorts`, new shares join the newest cohort and postpone only it; a
/// holder's own shares move with its newest mint.
#[test]
fn a_pool_keeps_at_most_its_pending_cohorts() {
	ExtBuilder.build_and_execute(|| {
		let data = dataset_of(0, ALICE);
		let holders = [BOB, CHARLIE, DAVE, NOBODY, 50];
		for (place, holder) in holders.iter().enumerate() {
			let side = dataset_of(10 + place as u32, ALICE);
			let _ = side;
			pay(10 + place as u32, 1); // a new place
			mint(data, *holder, 100);
		}
		let pool = Pools::<Test>::get(data).unwrap();
		assert_eq!(pool.next_cohort - pool.activated, MAX_PENDING_COHORTS);
		assert_eq!(pool.inactive, 500);
		let newest = PendingCohorts::<Test>::get(data, MAX_PENDING_COHORTS - 1).unwrap();
		assert_eq!((newest.shares, newest.holders, newest.activates_at), (300, 3, 5));
		// Bob mints again: his shares leave cohort 0 for the newest.
		mint(data, BOB, 50);
		assert_eq!(PendingCohorts::<Test>::get(data, 0).unwrap().holders, 0);
		let newest = PendingCohorts::<Test>::get(data, MAX_PENDING_COHORTS - 1).unwrap();
		assert_eq!((newest.shares, newest.holders), (450, 4));
		assert_eq!(Settlements::<Test>::get(data, BOB).unwrap().inactive, 150);
	});
}

/// While a version's royalties are frozen by a dispute of its lineage (at most one dispute
/// timeout) its revenue still accrues and nothing is distributed, by hand or automatically; the
/// queue lets it go (its revenue waits out of the queue) so that the versions and shares behind
/// it are not held up. Once it unfreezes anyone distributes it.
#[test]
fn a_frozen_versions_revenue_waits_out_of_the_queue() {
	ExtBuilder.build_and_execute(|| {
		let data = dataset_of(0, ALICE);
		let second = dataset_of(1, BOB);
		let third = dataset_of(2, CHARLIE);
		pay(0, 1_000); // place 0
		tributary_primitives::test_utils::MockModels::set_frozen(0, 1, true);
		pay(0, 500);
		pay(1, 200); // place 1
		mint(third, DAVE, 1_000); // waits for places 0 and 1
		assert_noop!(
			RoyaltyDistribution::distribute(origin(DAVE), 0, 1),
			Error::<Test>::RoyaltiesFrozen
		);
		idle(1 + AUTO_DISTRIBUTE_AFTER);
		let revenue = Undistributed::<Test>::get(0, 1).unwrap();
		assert_eq!((revenue.amount, revenue.queued), (1_500, None));
		assert_eq!(claimable(data, ALICE), 0);
		assert_eq!(claimable(second, BOB), 200);
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 2, tail: 2 });
		// Dave's shares were not held back by the frozen version.
		pay(2, 1_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(NOBODY), 2, 1));
		assert_eq!((claimable(third, CHARLIE), claimable(third, DAVE)), (500, 500));

		// The ruling: anyone distributes what waited.
		tributary_primitives::test_utils::MockModels::set_frozen(0, 1, false);
		assert_ok!(RoyaltyDistribution::distribute(origin(NOBODY), 0, 1));
		assert_eq!(claimable(data, ALICE), 1_500);
	});
}
