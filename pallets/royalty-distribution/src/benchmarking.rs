//! Benchmarks of every call at the worst case of its bounds: `distribute` over routes of every
//! length up to the maximum, every entry a dataset pool with holders; `claim_pools` over up to
//! `MaxClaimPools` pools.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{Activations, Credits, Undistributed};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, StaticLookup, Zero};
use tributary_primitives::RoyaltySink;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// The extrinsic's signer, funded. Its account is whitelisted, as for every FRAME pallet's
/// benchmarks: the transaction fee reads and writes it before the call does.
fn funded_signer<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

fn revenue<T: Config>() -> BalanceOf<T> {
	1_000_000_000u32.into()
}

/// Accrues revenue to a version, with a provider fee credited to `provider`.
fn accrue<T: Config>(model: ModelId, version: VersionNumber, provider: &T::AccountId) {
	let payer = funded::<T>("payer", 0);
	Pallet::<T>::accrue(
		&payer,
		model,
		version,
		1,
		revenue::<T>(),
		&[(provider.clone(), revenue::<T>())],
	)
	.unwrap();
}

/// A version routing to `r` datasets, each with `MaxPendingCohorts` cohorts of inactive shares
/// (the first one `newcomer`'s, each waiting for its own queue place), with every revenue they
/// wait for distributed: the version's next distribution activates them all in every pool.
fn cohorts_due<T: Config>(
	r: u32,
	newcomer: &T::AccountId,
) -> (ModelId, VersionNumber, Vec<DatasetId>) {
	let (model, version, datasets) = T::BenchmarkHelper::version_routing_to_datasets(r);
	let provider = funded::<T>("provider", 0);
	let mut waiting = Vec::new();
	for cohort in 0..T::MaxPendingCohorts::get() {
		// Another version's first payment takes a new queue place.
		let (side_model, side_version, _) = T::BenchmarkHelper::version_routing_to_datasets(1);
		accrue::<T>(side_model, side_version, &provider);
		waiting.push((side_model, side_version));
		let holder = if cohort == 0 { newcomer.clone() } else { funded::<T>("cohort", cohort) };
		for dataset in &datasets {
			T::BenchmarkHelper::mint_shares(*dataset, &holder, 1_000);
		}
	}
	for (side_model, side_version) in waiting {
		Pallet::<T>::do_distribute(side_model, side_version).unwrap();
	}
	(model, version, datasets)
}

/// A version routing to `pools` datasets in each of which `holder` holds shares of an
/// activated cohort not settled yet (its worst case: the activation record is read and
/// released), with revenue distributed to them.
fn pools_with_earnings<T: Config>(pools: u32, holder: &T::AccountId) -> Vec<DatasetId> {
	let (model, version, datasets) = cohorts_due::<T>(pools, holder);
	accrue::<T>(model, version, holder);
	Pallet::<T>::do_distribute(model, version).unwrap();
	datasets
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn distribute(r: Linear<1, { MaxRouteLengthOf::<T>::get() }>) {
		// Every pool of the route activates a cohort of shares on the way.
		let newcomer = funded::<T>("newcomer", 0);
		let (model, version, datasets) = cohorts_due::<T>(r, &newcomer);
		let provider = funded::<T>("provider", 0);
		accrue::<T>(model, version, &provider);
		let caller = funded_signer::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model, version);
		// Only what rounding cannot split (under one unit per entry) may stay.
		let carried = Undistributed::<T>::get(model, version).map(|r| r.amount);
		assert!(carried.is_none_or(|amount| amount < r.into()));
		for dataset in datasets {
			for cohort in 0..T::MaxPendingCohorts::get() {
				assert!(Activations::<T>::contains_key(dataset, cohort));
			}
		}
	}

	#[benchmark]
	fn claim() {
		let provider = funded_signer::<T>();
		let (model, version, _) = T::BenchmarkHelper::version_routing_to_datasets(1);
		accrue::<T>(model, version, &provider);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()));
		assert!(Credits::<T>::get(&provider).is_none());
	}

	#[benchmark]
	fn claim_for() {
		let provider = funded::<T>("provider", 0);
		let (model, version, _) = T::BenchmarkHelper::version_routing_to_datasets(1);
		accrue::<T>(model, version, &provider);
		let caller = funded::<T>("caller", 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), T::Lookup::unlookup(provider.clone()));
		assert!(Credits::<T>::get(&provider).is_none());
	}

	#[benchmark]
	fn claim_pool() {
		let holder = funded_signer::<T>();
		let datasets = pools_with_earnings::<T>(1, &holder);
		let before = Pallet::<T>::claimable_in_pool(datasets[0], &holder);
		#[extrinsic_call]
		_(RawOrigin::Signed(holder.clone()), datasets[0]);
		assert!(Pallet::<T>::claimable_in_pool(datasets[0], &holder) < before);
	}

	#[benchmark]
	fn claim_pools(n: Linear<1, { T::MaxClaimPools::get() }>) {
		let holder = funded_signer::<T>();
		let datasets = pools_with_earnings::<T>(n, &holder);
		#[extrinsic_call]
		_(RawOrigin::Signed(holder.clone()), datasets.clone());
		for dataset in datasets {
			assert!(Pallet::<T>::claimable_in_pool(dataset, &holder).is_zero());
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder.build(), crate::mock::Test);
}

/// The state the data contribution's minting benchmarks start from really is the hook's worst
/// case: the next mint activates every pending cohort and opens a new one. (Its cohorts' holders
/// hold no dataset shares, so the pallet's invariants are not checked on it.)
#[cfg(test)]
#[test]
fn the_worst_mint_activates_every_pending_cohort() {
	use crate::mock::*;
	use tributary_primitives::OnSharesMinted;
	ExtBuilder.build().execute_with(|| {
		let dataset = add_dataset(CURATOR);
		Pallet::<Test>::prepare_worst_mint(dataset);
		let cohorts = <Test as Config>::MaxPendingCohorts::get();
		assert_eq!(Pools::<Test>::get(dataset).unwrap().next_cohort, cohorts);
		System::reset_events();
		Pallet::<Test>::before_mint(dataset, &BOB, 0, 0, 10);
		let activated = System::events()
			.iter()
			.filter(|record| {
				matches!(
					record.event,
					RuntimeEvent::RoyaltyDistribution(Event::SharesActivated { .. })
				)
			})
			.count();
		assert_eq!(activated as u32, cohorts);
		let pool = Pools::<Test>::get(dataset).unwrap();
		assert_eq!((pool.activated, pool.next_cohort, pool.inactive), (cohorts, cohorts + 1, 10));
	});
}
