//! Benchmarks of every call. `invoke` runs through a provider, the most work it can do; the
//! runtime's helper gives the model a route of the maximum length, which `invoke` and `settle`
//! never read (their cost does not depend on the route or the lineage).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{Channels, ModelUsages, NextChannelId, Offers};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, Saturating, StaticLookup, Zero};

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

fn endpoint<T: Config>() -> Vec<u8> {
	vec![b'x'; T::MaxEndpointLength::get() as usize]
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

/// A channel with a voucher ready to settle: `units` units, within the deposit.
fn channel_with_voucher<T: Config>(
	model: ModelId,
	provider: &T::AccountId,
	units: Units,
) -> (ChannelId, Voucher<T::Hash>, T::OffchainSignature) {
	let channel = NextChannelId::<T>::get();
	let consumer = T::BenchmarkHelper::new_consumer();
	T::Currency::set_balance(&consumer, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	let expires_at = frame_system::Pallet::<T>::block_number() + T::MaxChannelDuration::get();
	Pallet::<T>::open_channel(
		RawOrigin::Signed(consumer.clone()).into(),
		T::Lookup::unlookup(provider.clone()),
		model,
		None,
		BalanceOf::<T>::max_value() / 100_000_000u32.into(),
		expires_at,
	)
	.unwrap();
	let voucher =
		Voucher { genesis_hash: Pallet::<T>::genesis_hash(), channel, cumulative_units: units };
	let nonce = Channels::<T>::get(channel).unwrap().nonce;
	let signature =
		T::BenchmarkHelper::sign_as(&consumer, &voucher.signing_payload(provider, &nonce));
	(channel, voucher, signature)
}

/// The genesis hash a voucher names is read from `System::BlockHash(0)`, which every signed
/// extrinsic's `CheckGenesis` reads first: by the time a call reads it, it is in memory.
fn whitelist_genesis_hash<T: Config>() {
	let key = frame_system::BlockHash::<T>::hashed_key_for(BlockNumberFor::<T>::zero());
	frame_benchmarking::benchmarking::add_to_whitelist(key.into());
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
		let payer = funded_signer::<T>();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(payer),
			model,
			None,
			10,
			Some(T::Lookup::unlookup(provider)),
			BalanceOf::<T>::max_value(),
		);
		assert_eq!(ModelUsages::<T>::get(model).invocations, 1);
	}

	#[benchmark]
	fn open_channel() {
		let (model, provider) = served::<T>();
		let consumer = funded::<T>("consumer", 0);
		let expires_at = frame_system::Pallet::<T>::block_number() + T::MaxChannelDuration::get();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(consumer),
			T::Lookup::unlookup(provider),
			model,
			None,
			1_000_000u32.into(),
			expires_at,
		);
		assert!(Channels::<T>::contains_key(0));
	}

	#[benchmark]
	fn top_up() {
		let (model, provider) = served::<T>();
		let (channel, _, _) = channel_with_voucher::<T>(model, &provider, 1);
		let consumer = Channels::<T>::get(channel).unwrap().consumer;
		#[extrinsic_call]
		_(RawOrigin::Signed(consumer), channel, 1_000u32.into());
	}

	/// The route never matters: settling accrues in constant time, like `invoke`.
	#[benchmark]
	fn settle() {
		let (model, provider) = served::<T>();
		let (channel, voucher, signature) = channel_with_voucher::<T>(model, &provider, 1_000);
		whitelist_genesis_hash::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), channel, voucher, signature);
		assert_eq!(Channels::<T>::get(channel).unwrap().settled_units, 1_000);
	}

	/// Each voucher on a channel of its own model and consumer: nothing a voucher writes but the
	/// provider's credit, the protocol's and the queue is shared with another.
	#[benchmark]
	fn settle_batch(n: Linear<1, { T::MaxSettleBatch::get() }>) {
		let vouchers: Vec<_> = (0..n)
			.map(|_| {
				let (model, provider) = served::<T>();
				channel_with_voucher::<T>(model, &provider, 1_000)
			})
			.collect();
		let provider = funded::<T>("provider", 0);
		let channels: Vec<ChannelId> = vouchers.iter().map(|(c, _, _)| *c).collect();
		whitelist_genesis_hash::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), vouchers);
		for channel in channels {
			assert_eq!(Channels::<T>::get(channel).unwrap().settled_units, 1_000);
		}
	}

	#[benchmark]
	fn request_close() {
		let (model, provider) = served::<T>();
		let (channel, _, _) = channel_with_voucher::<T>(model, &provider, 1);
		let consumer = Channels::<T>::get(channel).unwrap().consumer;
		#[extrinsic_call]
		_(RawOrigin::Signed(consumer), channel);
		assert!(Channels::<T>::get(channel).unwrap().closes_at.is_some());
	}

	#[benchmark]
	fn finalize_close() {
		let (model, provider) = served::<T>();
		let (channel, _, _) = channel_with_voucher::<T>(model, &provider, 1);
		// Expiry leaves the provider the challenge period; then anyone may finalize.
		let expires_at = Channels::<T>::get(channel).unwrap().expires_at;
		frame_system::Pallet::<T>::set_block_number(
			expires_at.saturating_add(T::ChallengePeriod::get()),
		);
		let anyone = funded::<T>("anyone", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), channel);
		assert!(!Channels::<T>::contains_key(channel));
	}

	#[benchmark]
	fn close_channel() {
		let (model, provider) = served::<T>();
		let (channel, _, _) = channel_with_voucher::<T>(model, &provider, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), channel);
		assert!(!Channels::<T>::contains_key(channel));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder.build(), crate::mock::Test);
}
