//! The v0 → v1 migration on storage written in the v0 layout.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{migrations::MigrateToV1, mock::*, pallet::*, types::*};
use codec::Encode;
use frame_support::{
	assert_ok,
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};
use sp_core::U256;
use sp_runtime::Perbill;
use tributary_primitives::RoyaltySink;

#[derive(Encode)]
struct RevenueV0 {
	amount: Balance,
	invocations: u64,
	units: u128,
}

#[derive(Encode)]
struct PoolV0 {
	reward_per_share: U256,
	balance: Balance,
	remainder: U256,
}

#[derive(Encode)]
struct SettlementV0 {
	paid_per_share: U256,
	pending: U256,
}

/// A pool with distributed revenue, a holder's settlement and revenue waiting, rewritten in
/// the v0 layout: the migration keeps every amount, queues the waiting revenue and indexes the
/// holder's pool; distribution and claims work after it, to the unit.
#[test]
fn v0_storage_migrates_with_every_amount_kept() {
	ExtBuilder.build_and_execute(|| {
		let data = add_dataset(CURATOR);
		mint(data, ALICE, 1_000);
		set_route(0, 1, vec![(Beneficiary::Dataset(data), Perbill::one())]);
		assert_ok!(RoyaltyDistribution::accrue(&PAYER, 0, 1, 2, 1_000, &[]));
		assert_ok!(RoyaltyDistribution::distribute(RuntimeOrigin::signed(DAVE), 0, 1));
		assert_ok!(RoyaltyDistribution::accrue(&PAYER, 0, 1, 3, 500, &[]));

		// The same state as v0 wrote it.
		let pool = Pools::<Test>::get(data).unwrap();
		let settlement = Settlements::<Test>::get(data, ALICE).unwrap();
		unhashed::put(
			&Undistributed::<Test>::hashed_key_for(0, 1),
			&RevenueV0 { amount: 500, invocations: 1, units: 3 },
		);
		unhashed::put(
			&Pools::<Test>::hashed_key_for(data),
			&PoolV0 {
				reward_per_share: pool.reward_per_share,
				balance: pool.balance,
				remainder: pool.remainder,
			},
		);
		unhashed::put(
			&Settlements::<Test>::hashed_key_for(data, ALICE),
			&SettlementV0 {
				paid_per_share: settlement.paid_per_share,
				pending: settlement.pending,
			},
		);
		let _ = RevenueQueue::<Test>::clear(u32::MAX, None);
		Queue::<Test>::kill();
		let _ = HolderPools::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<RoyaltyDistribution>();

		System::set_block_number(7);
		MigrateToV1::<Test>::on_runtime_upgrade();

		assert_eq!(RoyaltyDistribution::on_chain_storage_version(), 1);
		assert_eq!(
			Undistributed::<Test>::get(0, 1),
			Some(Revenue { amount: 500, invocations: 1, units: 3, queued: Some(0) })
		);
		assert_eq!(
			RevenueQueue::<Test>::get(0),
			Some(QueuedRevenue { model: 0, version: 1, since: 7 })
		);
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 0, tail: 1 });
		assert_eq!(Pools::<Test>::get(data), Some(pool));
		assert_eq!(Settlements::<Test>::get(data, ALICE), Some(settlement));
		assert!(HolderPools::<Test>::contains_key(ALICE, data));
		RoyaltyDistribution::do_try_state().unwrap();

		// Running it again changes nothing.
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Queue::<Test>::get(), QueueBounds { head: 0, tail: 1 });

		assert_ok!(RoyaltyDistribution::distribute(RuntimeOrigin::signed(DAVE), 0, 1));
		let before = Balances::free_balance(ALICE);
		assert_ok!(RoyaltyDistribution::claim_pool(RuntimeOrigin::signed(ALICE), data));
		assert_eq!(Balances::free_balance(ALICE), before + 1_500);
	});
}
