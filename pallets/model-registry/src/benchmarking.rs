//! Benchmarks of every call, each at the worst case of its bounds: `register` and
//! `publish_version` with the most datasets and parents, every parent's route at its maximum
//! length and the merged route at its maximum length too.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{Disputes, Models, NextDisputeId, NextModelId, Routes, Versions};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_runtime::{
	traits::{Bounded, StaticLookup},
	Perbill,
};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

fn max_bytes<S: Get<u32>>() -> Vec<u8> {
	vec![b'x'; S::get() as usize]
}

fn open_spec<T: Config>(
	owner_share: Perbill,
	datasets: Vec<(DatasetId, Perbill)>,
	parents: Vec<(ModelVersionRef, Perbill)>,
) -> VersionSpec<T> {
	VersionSpec {
		label: max_bytes::<T::MaxVersionLabelLength>(),
		artifact_hash: ContentHash::repeat_byte(1),
		price_per_unit: 1_000u32.into(),
		license: License { commercial_use: true, derivatives: Derivatives::share(Perbill::zero()) },
		owner_share,
		lineage: LineageSpec { datasets, parents },
	}
}

fn register_as<T: Config>(owner: &T::AccountId, spec: VersionSpec<T>) -> ModelId {
	let id = NextModelId::<T>::get();
	Pallet::<T>::register(
		RawOrigin::Signed(owner.clone()).into(),
		max_bytes::<T::MaxNameLength>(),
		Modality::Multimodal,
		spec,
	)
	.unwrap();
	id
}

fn first(model: ModelId) -> ModelVersionRef {
	ModelVersionRef { model, version: 1 }
}

/// The worst case of a new version: `MaxDatasets` datasets and `MaxParents` parents, each parent
/// with a route of `MaxRouteLength` entries over the same beneficiaries, so that merging does
/// the most work and the result is `MaxRouteLength` entries long. Returns the account to
/// publish as (already in every parent's route, so it adds no entry), a model it owns, and the
/// spec.
fn worst_case<T: Config>() -> (T::AccountId, ModelId, VersionSpec<T>) {
	let datasets: Vec<DatasetId> = (0..T::MaxDatasets::get())
		.map(|_| T::BenchmarkHelper::create_dataset(Perbill::zero()))
		.collect();
	let percent = Perbill::from_percent(1);
	let base_owner = funded::<T>("owner", 0);
	let base_share = Perbill::from_percent(100 - datasets.len() as u32);
	let mut last = register_as::<T>(
		&base_owner,
		open_spec::<T>(base_share, datasets.iter().map(|d| (*d, percent)).collect(), vec![]),
	);
	// A chain of fine-tunes by new owners, each adding one entry, until the route is full. Each
	// keeps 1% and gives its parent 99%, so no upstream entry rounds away.
	let mut owner = base_owner;
	let base_length = 1 + datasets.len() as u32;
	for index in base_length..T::MaxRouteLength::get() {
		owner = funded::<T>("owner", index);
		last = register_as::<T>(
			&owner,
			open_spec::<T>(percent, vec![], vec![(first(last), Perbill::from_percent(99))]),
		);
	}
	// The parents: fine-tunes of the chain's end by its owner, each with the full route.
	let parents: Vec<ModelId> = (0..T::MaxParents::get())
		.map(|_| {
			register_as::<T>(
				&owner,
				open_spec::<T>(percent, vec![], vec![(first(last), Perbill::from_percent(99))]),
			)
		})
		.collect();
	for parent in &parents {
		assert_eq!(Routes::<T>::get(parent, 1).unwrap().len() as u32, T::MaxRouteLength::get());
	}
	// The datasets take 1% each; the parents and the owner split the rest evenly.
	let rest = Perbill::from_percent(100 - datasets.len() as u32).deconstruct();
	let parent_share = Perbill::from_parts(rest / (parents.len() as u32 + 1));
	let owner_share = Perbill::from_parts(rest - parent_share.deconstruct() * parents.len() as u32);
	let spec = open_spec::<T>(
		owner_share,
		datasets.iter().map(|d| (*d, percent)).collect(),
		parents.iter().map(|p| (first(*p), parent_share)).collect(),
	);
	(owner, last, spec)
}

/// A model with one version, owned by a funded account.
fn simple_model<T: Config>() -> (T::AccountId, ModelId) {
	let owner = funded::<T>("owner", 0);
	let model = register_as::<T>(&owner, open_spec::<T>(Perbill::one(), vec![], vec![]));
	(owner, model)
}

/// A dispute of `model`'s first version claiming it omits a new dataset; returns its id.
fn open_simple_dispute<T: Config>(model: ModelId) -> DisputeId {
	let omitted = T::BenchmarkHelper::create_dataset(Perbill::zero());
	let claimant = funded::<T>("claimant", 0);
	Pallet::<T>::open_dispute(
		RawOrigin::Signed(claimant).into(),
		model,
		1,
		DisputeClaim::OmittedDataset(omitted),
		ContentHash::repeat_byte(9),
	)
	.unwrap();
	NextDisputeId::<T>::get() - 1
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		let (owner, _, spec) = worst_case::<T>();
		let model = NextModelId::<T>::get();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			max_bytes::<T::MaxNameLength>(),
			Modality::Multimodal,
			spec,
		);
		assert_eq!(Routes::<T>::get(model, 1).unwrap().len() as u32, T::MaxRouteLength::get());
	}

	#[benchmark]
	fn publish_version() {
		let (owner, model, spec) = worst_case::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, spec);
		assert_eq!(Routes::<T>::get(model, 2).unwrap().len() as u32, T::MaxRouteLength::get());
	}

	#[benchmark]
	fn set_price() {
		let (owner, model) = simple_model::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, 1, 7u32.into());
		assert_eq!(Versions::<T>::get(model, 1).unwrap().price_per_unit, 7u32.into());
	}

	#[benchmark]
	fn update_metadata() {
		let (owner, model) = simple_model::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, max_bytes::<T::MaxNameLength>(), Modality::Audio);
		assert_eq!(Models::<T>::get(model).unwrap().metadata.modality, Modality::Audio);
	}

	#[benchmark]
	fn deprecate() {
		let (owner, model) = simple_model::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, 1);
		assert!(Versions::<T>::get(model, 1).unwrap().deprecated);
	}

	#[benchmark]
	fn offer_ownership() {
		let (owner, model) = simple_model::<T>();
		let buyer = funded::<T>("buyer", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, Some(T::Lookup::unlookup(buyer.clone())));
		assert_eq!(Models::<T>::get(model).unwrap().pending_owner, Some(buyer));
	}

	#[benchmark]
	fn accept_ownership() {
		let (owner, model) = simple_model::<T>();
		let buyer = funded::<T>("buyer", 0);
		Pallet::<T>::offer_ownership(
			RawOrigin::Signed(owner).into(),
			model,
			Some(T::Lookup::unlookup(buyer.clone())),
		)
		.unwrap();
		let revision = Models::<T>::get(model).unwrap().revision;
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), model, revision);
		assert_eq!(Models::<T>::get(model).unwrap().owner, buyer);
	}

	#[benchmark]
	fn open_dispute() {
		// The most datasets and parents in the lineage the claim is checked against.
		let (owner, _, spec) = worst_case::<T>();
		let model = register_as::<T>(&owner, spec);
		let omitted = T::BenchmarkHelper::create_dataset(Perbill::zero());
		let claimant = funded::<T>("claimant", 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(claimant),
			model,
			1,
			DisputeClaim::OmittedDataset(omitted),
			ContentHash::repeat_byte(9),
		);
		assert!(Pallet::<T>::royalties_frozen(model, 1));
	}

	#[benchmark]
	fn uphold_dispute() -> Result<(), BenchmarkError> {
		// A route of `MaxRouteLength` entries, every one rescaled; the wronged dataset is in it
		// (further upstream), so the corrective route keeps its length.
		let (_, chain_end, _) = worst_case::<T>();
		let route = Routes::<T>::get(chain_end, 1).unwrap();
		let wronged = route
			.iter()
			.find_map(|(beneficiary, _)| match beneficiary {
				Beneficiary::Dataset(dataset) => Some(*dataset),
				Beneficiary::Account(_) => None,
			})
			.unwrap();
		let dispute = NextDisputeId::<T>::get();
		let claimant = funded::<T>("claimant", 0);
		Pallet::<T>::open_dispute(
			RawOrigin::Signed(claimant).into(),
			chain_end,
			1,
			DisputeClaim::OmittedDataset(wronged),
			ContentHash::repeat_byte(9),
		)
		.unwrap();
		// Every other slot taken by another claimant: each is closed, its bond returned.
		for index in 1..T::MaxOpenDisputes::get() {
			let omitted = T::BenchmarkHelper::create_dataset(Perbill::zero());
			Pallet::<T>::open_dispute(
				RawOrigin::Signed(funded::<T>("claimant", index)).into(),
				chain_end,
				1,
				DisputeClaim::OmittedDataset(omitted),
				ContentHash::repeat_byte(9),
			)
			.unwrap();
		}
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[block]
		{
			Pallet::<T>::rule_dispute(origin, dispute, true, Perbill::from_percent(30)).unwrap();
		}
		assert!(Pallet::<T>::is_infringing(chain_end, 1));
		assert_eq!(Routes::<T>::get(chain_end, 1).unwrap().len() as u32, T::MaxRouteLength::get());
		Ok(())
	}

	#[benchmark]
	fn reject_dispute() -> Result<(), BenchmarkError> {
		let (_, model) = simple_model::<T>();
		let dispute = open_simple_dispute::<T>(model);
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[block]
		{
			Pallet::<T>::rule_dispute(origin, dispute, false, Perbill::zero()).unwrap();
		}
		assert!(!Pallet::<T>::royalties_frozen(model, 1));
		Ok(())
	}

	#[benchmark]
	fn expire_dispute() {
		let (_, model) = simple_model::<T>();
		let dispute = open_simple_dispute::<T>(model);
		let later = frame_system::Pallet::<T>::block_number() + T::DisputeTimeout::get();
		frame_system::Pallet::<T>::set_block_number(later);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), dispute);
		assert!(Disputes::<T>::get(dispute).is_none());
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
