//! Unit tests: accrual, distribution, pools, claims and their errors, with exact balances; and
//! a property test of random accruals, mints, distributions and claims checking conservation
//! after every step.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, types::*};
use frame_support::{
	assert_noop, assert_ok, dispatch::PostDispatchInfo, traits::fungible::Inspect,
};
use tributary_primitives::RoyaltySink;

use sp_runtime::{traits::AccountIdConversion, Perbill};

type E = Error<Test>;
type Weights = ();

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn balance(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn acct(who: AccountId) -> Beneficiary<AccountId> {
	Beneficiary::Account(who)
}

fn ds(dataset: DatasetId) -> Beneficiary<AccountId> {
	Beneficiary::Dataset(dataset)
}

fn pct(percent: u32) -> Perbill {
	Perbill::from_percent(percent)
}

/// One invocation paying `royalty` to model 0 version 1, a provider fee of 30 and a protocol
/// fee of 7.
fn invoke(royalty: Balance) {
	assert_ok!(RoyaltyDistribution::accrue(
		&PAYER,
		0,
		1,
		5,
		royalty,
		&[(PROVIDER, 30), (TREASURY, 7)]
	));
}

/// The event of `invoke(royalty)`.
fn accrued(royalty: Balance) -> Event<Test> {
	Event::RevenueAccrued { model: 0, version: 1, payer: PAYER, royalty, total: royalty + 37 }
}

/// The event of distributing model 0 version 1's revenue along a route of `route_length`.
fn distributed(distributed: Balance, carried: Balance, route_length: u32) -> Event<Test> {
	Event::RevenueDistributed { model: 0, version: 1, distributed, carried, route_length }
}

#[test]
fn the_pot_is_its_own_account_and_starts_with_the_existential_deposit() {
	ExtBuilder.build_and_execute(|| {
		let pot: AccountId = RoyaltyPotId::get().into_account_truncating();
		assert_eq!(RoyaltyDistribution::pot(), pot);
		assert_eq!(balance(pot), EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn accrual_moves_the_whole_payment_once_and_credits_the_fees() {
	ExtBuilder.build_and_execute(|| {
		set_route(0, 1, vec![(acct(ALICE), Perbill::one())]);
		invoke(1_000);
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 1_037);
		assert_eq!(balance(RoyaltyDistribution::pot()), EXISTENTIAL_DEPOSIT + 1_037);
		assert_eq!(Credits::<Test>::get(PROVIDER), Some(30));
		assert_eq!(Credits::<Test>::get(TREASURY), Some(7));
		assert_eq!(
			Undistributed::<Test>::get(0, 1),
			Some(Revenue { amount: 1_000, invocations: 1, units: 5, queued: Some(0) })
		);
		invoke(500);
		assert_eq!(Credits::<Test>::get(PROVIDER), Some(60));
		assert_eq!(
			Undistributed::<Test>::get(0, 1),
			Some(Revenue { amount: 1_500, invocations: 2, units: 10, queued: Some(0) })
		);
		assert_eq!(
			events_since_last_call(),
			vec![
				accrued(1_000),
				Event::RevenueAccrued {
					model: 0,
					version: 1,
					payer: PAYER,
					royalty: 500,
					total: 537
				},
			]
		);
	});
}

#[test]
fn an_accrual_the_payer_cannot_afford_changes_nothing() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			RoyaltyDistribution::accrue(&PAYER, 0, 1, 1, INITIAL_BALANCE, &[(PROVIDER, 1)]),
			E::InsufficientFunds
		);
		// Paying everything would reap the payer: refused too.
		assert_noop!(
			RoyaltyDistribution::accrue(&PAYER, 0, 1, 1, INITIAL_BALANCE - 5, &[]),
			E::InsufficientFunds
		);
		assert_noop!(
			RoyaltyDistribution::accrue(&PAYER, 0, 1, 1, Balance::MAX, &[(PROVIDER, 1)]),
			E::Overflow
		);
	});
}

#[test]
fn distribution_credits_accounts_and_raises_pool_rewards() {
	ExtBuilder.build_and_execute(|| {
		let data = add_dataset(CURATOR);
		mint(data, BOB, 1);
		mint(data, CHARLIE, 3);
		set_route(0, 1, vec![(acct(ALICE), pct(60)), (ds(data), pct(40))]);
		invoke(1_000);

		let info = RoyaltyDistribution::distribute(origin(DAVE), 0, 1).unwrap();
		assert_eq!(
			info,
			PostDispatchInfo {
				actual_weight: Some(<Weights as crate::WeightInfo>::distribute(2)),
				pays_fee: Default::default()
			}
		);
		assert_eq!(Credits::<Test>::get(ALICE), Some(600));
		let pool = Pools::<Test>::get(data).unwrap();
		assert_eq!(pool.balance, 400);
		assert_eq!(pool.reward_per_share, sp_core::U256::from(100u128 * SCALE));
		assert_eq!(Undistributed::<Test>::get(0, 1), None);
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &BOB), 100);
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &CHARLIE), 300);
		assert_eq!(
			DatasetUsages::<Test>::get(data),
			DatasetUsage { invocations: 1, units: 5, revenue: 400 }
		);
		assert_eq!(
			events_since_last_call(),
			vec![
				accrued(1_000),
				Event::RevenueDistributed {
					model: 0,
					version: 1,
					distributed: 1_000,
					carried: 0,
					route_length: 2
				},
			]
		);
	});
}

#[test]
fn what_route_parts_cannot_split_is_carried_to_the_next_distribution() {
	ExtBuilder.build_and_execute(|| {
		let third = Perbill::from_parts(333_333_333);
		set_route(
			0,
			1,
			vec![
				(acct(ALICE), Perbill::from_parts(333_333_334)),
				(acct(BOB), third),
				(acct(CHARLIE), third),
			],
		);
		invoke(10);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		// 10 × 33.3…% rounds down to 3 each: 1 unit stays for next time.
		assert_eq!(Credits::<Test>::get(ALICE), Some(3));
		assert_eq!(Credits::<Test>::get(BOB), Some(3));
		assert_eq!(
			Undistributed::<Test>::get(0, 1),
			Some(Revenue { amount: 1, invocations: 0, units: 0, queued: None })
		);
		invoke(20);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!(Credits::<Test>::get(ALICE), Some(10));
		assert_eq!(Credits::<Test>::get(BOB), Some(9));
		assert_eq!(Credits::<Test>::get(CHARLIE), Some(9));
		assert_eq!(Undistributed::<Test>::get(0, 1).unwrap().amount, 2);
	});
}

#[test]
fn a_pool_without_shares_pays_its_curator() {
	ExtBuilder.build_and_execute(|| {
		let data = add_dataset(CURATOR);
		set_route(0, 1, vec![(ds(data), Perbill::one())]);
		invoke(800);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!(Credits::<Test>::get(CURATOR), Some(800));
		assert_eq!(Pools::<Test>::get(data), None);
		assert_eq!(DatasetUsages::<Test>::get(data).revenue, 800);
	});
}

#[test]
fn distribute_errors_change_nothing() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1), E::UnknownVersion);
		set_route(0, 1, vec![(acct(ALICE), Perbill::one())]);
		assert_noop!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1), E::NothingToDistribute);
		assert_noop!(
			RoyaltyDistribution::distribute(RuntimeOrigin::none(), 0, 1),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_holder_earns_only_from_revenue_distributed_while_it_holds_shares() {
	ExtBuilder.build_and_execute(|| {
		let data = add_dataset(CURATOR);
		mint(data, BOB, 100);
		set_route(0, 1, vec![(ds(data), Perbill::one())]);
		invoke(1_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		// Charlie joins with as many shares as Bob after the first 1,000 was distributed.
		mint(data, CHARLIE, 100);
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &CHARLIE), 0);
		invoke(600);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &BOB), 1_300);
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &CHARLIE), 300);
		// Bob grows his stake: what he earned so far is settled first, not re-priced.
		mint(data, BOB, 200);
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &BOB), 1_300);
		invoke(400);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &BOB), 1_600);
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &CHARLIE), 400);

		let before = balance(BOB);
		assert_ok!(RoyaltyDistribution::claim_pool(origin(BOB), data));
		assert_eq!(balance(BOB), before + 1_600);
		assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &BOB), 0);
		assert_eq!(
			events_since_last_call(),
			vec![
				accrued(1_000),
				distributed(1_000, 0, 1),
				accrued(600),
				distributed(600, 0, 1),
				accrued(400),
				distributed(400, 0, 1),
				Event::PoolClaimed { dataset: data, who: BOB, amount: 1_600 },
			]
		);
		assert_noop!(RoyaltyDistribution::claim_pool(origin(BOB), data), E::NothingToClaim);
	});
}

#[test]
fn fractions_of_a_unit_carry_over_until_they_are_whole() {
	ExtBuilder.build_and_execute(|| {
		let data = add_dataset(CURATOR);
		for holder in [ALICE, BOB, CHARLIE] {
			mint(data, holder, 1);
		}
		set_route(0, 1, vec![(ds(data), Perbill::one())]);
		invoke(10);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		// 10 / 3 = 3.33… each; whole units only are paid, the third is kept.
		for holder in [ALICE, BOB, CHARLIE] {
			assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &holder), 3);
			assert_ok!(RoyaltyDistribution::claim_pool(origin(holder), data));
		}
		assert_eq!(Pools::<Test>::get(data).unwrap().balance, 1);
		invoke(2);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		// (10 + 2) / 3 = 4 each in all: one more unit each, nothing lost.
		for holder in [ALICE, BOB, CHARLIE] {
			assert_eq!(RoyaltyDistribution::claimable_in_pool(data, &holder), 1);
			assert_ok!(RoyaltyDistribution::claim_pool(origin(holder), data));
		}
		assert_eq!(Pools::<Test>::get(data).unwrap().balance, 0);
	});
}

#[test]
fn claiming_credits_pays_them_all_at_once() {
	ExtBuilder.build_and_execute(|| {
		set_route(0, 1, vec![(acct(ALICE), Perbill::one())]);
		for _ in 0..100 {
			invoke(1_000);
		}
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		let mut paid_in = vec![accrued(1_000); 100];
		paid_in.push(distributed(100_000, 0, 1));
		assert_eq!(events_since_last_call(), paid_in);
		for (who, amount) in [(ALICE, 100_000), (PROVIDER, 3_000), (TREASURY, 700)] {
			let before = balance(who);
			assert_ok!(RoyaltyDistribution::claim(origin(who)));
			assert_eq!(balance(who), before + amount);
			assert_eq!(Credits::<Test>::get(who), None);
			assert_eq!(events_since_last_call(), vec![Event::CreditsClaimed { who, amount }]);
		}
		assert_noop!(RoyaltyDistribution::claim(origin(ALICE)), E::NothingToClaim);
		assert_eq!(balance(RoyaltyDistribution::pot()), EXISTENTIAL_DEPOSIT);
	});
}

/// Anyone may pay an account its credits, on its behalf (the treasury cannot sign): the
/// credits go to their owner only, the caller gains nothing and pays only its transaction fee.
#[test]
fn credits_are_paid_to_their_owner_on_its_behalf() {
	ExtBuilder.build_and_execute(|| {
		set_route(0, 1, vec![(acct(ALICE), Perbill::one())]);
		invoke(1_000);
		let (treasury, caller) = (balance(TREASURY), balance(DAVE));
		assert_ok!(RoyaltyDistribution::claim_for(origin(DAVE), TREASURY));
		assert_eq!(balance(TREASURY), treasury + 7);
		assert_eq!(balance(DAVE), caller);
		assert_eq!(Credits::<Test>::get(TREASURY), None);
		assert_eq!(
			events_since_last_call().last(),
			Some(&Event::CreditsClaimed { who: TREASURY, amount: 7 })
		);
		assert_noop!(RoyaltyDistribution::claim_for(origin(DAVE), TREASURY), E::NothingToClaim);
		assert_noop!(RoyaltyDistribution::claim_for(origin(DAVE), NOBODY), E::NothingToClaim);
	});
}

#[test]
fn a_claim_below_the_existential_deposit_waits_until_it_can_be_paid() {
	ExtBuilder.build_and_execute(|| {
		set_route(0, 1, vec![(acct(NOBODY), Perbill::one())]);
		RoyaltyDistribution::accrue(&PAYER, 0, 1, 1, 6, &[]).unwrap();
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_noop!(RoyaltyDistribution::claim(origin(NOBODY)), E::BelowExistentialDeposit);
		assert_eq!(Credits::<Test>::get(NOBODY), Some(6));
		RoyaltyDistribution::accrue(&PAYER, 0, 1, 1, 6, &[]).unwrap();
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_ok!(RoyaltyDistribution::claim(origin(NOBODY)));
		assert_eq!(balance(NOBODY), 12);
		// Once the account exists, any amount is paid.
		RoyaltyDistribution::accrue(&PAYER, 0, 1, 1, 1, &[]).unwrap();
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_ok!(RoyaltyDistribution::claim(origin(NOBODY)));
		assert_eq!(balance(NOBODY), 13);
	});
}

#[test]
fn claim_pools_pays_several_pools_in_one_transfer() {
	ExtBuilder.build_and_execute(|| {
		let pools: Vec<_> = (0..3).map(|_| add_dataset(CURATOR)).collect();
		for pool in &pools {
			mint(*pool, BOB, 1);
			mint(*pool, CHARLIE, 1);
		}
		set_route(0, 1, even_route(&pools[..2]));
		invoke(1_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_eq!(events_since_last_call(), vec![accrued(1_000), distributed(1_000, 0, 2)]);
		let before = balance(BOB);
		let list = vec![pools[0], pools[1], pools[2], pools[0]];
		assert_ok!(RoyaltyDistribution::claim_pools(origin(BOB), list.clone()));
		// Pool 2 had nothing and the repeated pool 0 is claimed once.
		assert_eq!(balance(BOB), before + 250 + 250);
		assert_eq!(
			events_since_last_call(),
			vec![
				Event::PoolClaimed { dataset: pools[0], who: BOB, amount: 250 },
				Event::PoolClaimed { dataset: pools[1], who: BOB, amount: 250 },
			]
		);
		assert_noop!(RoyaltyDistribution::claim_pools(origin(BOB), list), E::NothingToClaim);
		assert_noop!(RoyaltyDistribution::claim_pool(origin(DAVE), pools[0]), E::NothingToClaim);
	});
}

#[test]
fn try_state_catches_a_pool_out_of_balance_and_a_holder_that_escaped_the_hook() {
	ExtBuilder.build().execute_with(|| {
		let data = add_dataset(CURATOR);
		mint(data, BOB, 1);
		set_route(0, 1, vec![(ds(data), Perbill::one())]);
		invoke(100);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_ok!(RoyaltyDistribution::do_try_state());
		Pools::<Test>::mutate(data, |pool| pool.as_mut().unwrap().balance += 1);
		assert!(RoyaltyDistribution::do_try_state().is_err());
		Pools::<Test>::mutate(data, |pool| pool.as_mut().unwrap().balance -= 1);
		Settlements::<Test>::remove(data, BOB);
		assert!(RoyaltyDistribution::do_try_state().is_err());
	});
}

// ------------------------------------------------------------ property test

#[derive(Debug, Clone)]
enum Step {
	Invoke {
		model: u8,
		royalty: u32,
	},
	Mint {
		dataset: u8,
		holder: u8,
		shares: u16,
	},
	Distribute {
		model: u8,
	},
	Claim {
		holder: u8,
	},
	ClaimPools {
		holder: u8,
	},
	/// Blocks pass, each ending with `on_idle` (automatic distribution).
	Idle {
		blocks: u8,
	},
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
	use proptest::prelude::*;
	prop_oneof![
		(0..3u8, 0..100_000u32).prop_map(|(model, royalty)| Step::Invoke { model, royalty }),
		(0..3u8, 0..6u8, 1..1_000u16).prop_map(|(dataset, holder, shares)| Step::Mint {
			dataset,
			holder,
			shares
		}),
		(0..3u8).prop_map(|model| Step::Distribute { model }),
		(0..6u8).prop_map(|holder| Step::Claim { holder }),
		(0..6u8).prop_map(|holder| Step::ClaimPools { holder }),
		(1..12u8).prop_map(|blocks| Step::Idle { blocks }),
	]
}

proptest::proptest! {
	#![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

	/// 64 runs of up to 200 steps (payments, mints that join the queue's cohorts, manual and
	/// automatic distributions, claims): the pot holds exactly what it owes after every step,
	/// and every unit paid in is, once distributed and claimed, paid out.
	#[test]
	fn funds_are_conserved_after_every_step(steps in proptest::collection::vec(step(), 1..200)) {
		ExtBuilder.build_and_execute(|| {
			let datasets: Vec<_> = (0..3).map(|_| add_dataset(CURATOR)).collect();
			let holders = [ALICE, BOB, CHARLIE, DAVE, NOBODY, 50];
			// Three models: all datasets, one dataset and an account, accounts only.
			set_route(0, 1, even_route(&datasets));
			set_route(1, 1, vec![(acct(ALICE), pct(30)), (ds(datasets[1]), pct(70))]);
			set_route(2, 1, vec![(acct(BOB), pct(50)), (acct(NOBODY), pct(50))]);
			let claimants: Vec<AccountId> =
				holders.iter().chain([PROVIDER, CURATOR].iter()).copied().collect();
			let start: Vec<Balance> = claimants.iter().map(|who| balance(*who)).collect();
			let mut paid_in: Balance = 0;
			for step in &steps {
				match step {
					Step::Invoke { model, royalty } => {
						let royalty = *royalty as Balance;
						RoyaltyDistribution::accrue(&PAYER, *model as u32, 1, 1, royalty, &[(PROVIDER, 3)])
							.unwrap();
						paid_in += royalty + 3;
					},
					Step::Mint { dataset, holder, shares } => mint(
						datasets[*dataset as usize],
						holders[*holder as usize],
						*shares as u128,
					),
					Step::Distribute { model } => {
						let _ = RoyaltyDistribution::distribute(origin(DAVE), *model as u32, 1);
					},
					Step::Claim { holder } => {
						let _ = RoyaltyDistribution::claim(origin(holders[*holder as usize]));
					},
					Step::ClaimPools { holder } => {
						let list = datasets.clone();
						let _ = RoyaltyDistribution::claim_pools(origin(holders[*holder as usize]), list);
					},
					Step::Idle { blocks } => {
						for _ in 0..*blocks {
							let now = System::block_number() + 1;
							System::set_block_number(now);
							<RoyaltyDistribution as frame_support::traits::Hooks<u64>>::on_idle(
								now,
								frame_support::weights::Weight::MAX,
							);
						}
					},
				}
				check_conservation();
			}
			// Distribute and claim everything: only sub-unit fractions and route rounding stay.
			for model in 0..3 {
				let _ = RoyaltyDistribution::distribute(origin(DAVE), model, 1);
			}
			for who in &claimants {
				let _ = RoyaltyDistribution::claim(origin(*who));
				let list = datasets.clone();
				let _ = RoyaltyDistribution::claim_pools(origin(*who), list);
			}
			let paid_out: Balance =
				claimants.iter().zip(&start).map(|(who, start)| balance(*who) - start).sum();
			let left = RoyaltyDistribution::obligations();
			assert_eq!(paid_in, paid_out + left);
			// What is left: claims of accounts that do not exist and are below the existential
			// deposit, route rounding carried per version (under one unit per entry: 3 + 2 + 2),
			// and pool fractions (under one unit per holder and one for the remainder: 3 × 7).
			let unpaid: Balance = holders
				.iter()
				.map(|who| {
					RoyaltyDistribution::claimable_credits(who) +
						datasets
							.iter()
							.map(|d| RoyaltyDistribution::claimable_in_pool(*d, who))
							.sum::<Balance>()
				})
				.sum();
			assert!(left - unpaid < 3 + 2 + 2 + 3 * 7, "{left} left, {unpaid} unpaid claims");
			check_conservation();
		});
	}
}

/// A claim naming one dataset more than `MaxClaimPools` fails with `TooManyPools` and changes
/// nothing, even when it would have paid.
#[test]
fn oversized_claims_fail_with_the_bound_they_exceed() {
	ExtBuilder.build_and_execute(|| {
		let pools: Vec<_> = (0..=MAX_CLAIM_POOLS).map(|_| add_dataset(CURATOR)).collect();
		for pool in &pools {
			mint(*pool, BOB, 1);
		}
		set_route(0, 1, even_route(&pools[..1]));
		invoke(1_000);
		assert_ok!(RoyaltyDistribution::distribute(origin(DAVE), 0, 1));
		assert_noop!(RoyaltyDistribution::claim_pools(origin(BOB), pools.clone()), E::TooManyPools);
		let before = balance(BOB);
		assert_ok!(RoyaltyDistribution::claim_pools(
			origin(BOB),
			pools[..MAX_CLAIM_POOLS as usize].to_vec()
		));
		assert_eq!(balance(BOB), before + 1_000);
	});
}
