//! Benchmarks of every call. `invoke` runs through a provider, the most work it can do; its
//! cost does not depend on the model's route or lineage (it never reads them).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{Offers, Usage};
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, StaticLookup};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

fn endpoint<T: Config>() -> BoundedVec<u8, T::MaxEndpointLength> {
	vec![b'x'; T::MaxEndpointLength::get() as usize].try_into().unwrap()
}

/// A model served by a funded provider.
fn served<T: Config>() -> (ModelId, T::AccountId) {
	let model = T::BenchmarkHelper::invocable_model(1_000u32.into());
	let provider = funded::<T>("provider", 0);
	Pallet::<T>::register_offer(
		RawOrigin::Signed(provider.clone()).into(),
		model,
		100u32.into(),
		endpoint::<T>(),
	)
	.unwrap();
	(model, provider)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_offer() {
		let model = T::BenchmarkHelper::invocable_model(1_000u32.into());
		let provider = funded::<T>("provider", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), model, 100u32.into(), endpoint::<T>());
		assert!(Offers::<T>::contains_key(model, &provider));
	}

	#[benchmark]
	fn update_offer() {
		let (model, provider) = served::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), model, 7u32.into(), endpoint::<T>());
		assert_eq!(Offers::<T>::get(model, &provider).unwrap().fee_per_unit, 7u32.into());
	}

	#[benchmark]
	fn withdraw_offer() {
		let (model, provider) = served::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), model);
		assert!(!Offers::<T>::contains_key(model, &provider));
	}

	#[benchmark]
	fn invoke() {
		let (model, provider) = served::<T>();
		let payer = funded::<T>("payer", 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(payer),
			model,
			None,
			10,
			Some(T::Lookup::unlookup(provider)),
			BalanceOf::<T>::max_value(),
		);
		assert_eq!(Usage::<T>::get(model).invocations, 1);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder.build(), crate::mock::Test);
}
