//! The logic behind every call, and the helpers that validate, price and store versions.

use crate::{
	pallet::*,
	route::{self, FlattenError},
	types::*,
};
use alloc::vec::Vec;
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};
use tributary_primitives::DatasetInspect;

impl<T: Config> ModelMetadata<T> {
	/// The metadata from call arguments. Calls take the name unbounded (the block length and
	/// the length fee bound it) so that one too long fails with `NameTooLong` instead of being
	/// undecodable.
	pub(crate) fn bounded(name: Vec<u8>, modality: Modality) -> Result<Self, Error<T>> {
		Ok(Self { name: name.try_into().map_err(|_| Error::<T>::NameTooLong)?, modality })
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register(
		owner: T::AccountId,
		metadata: ModelMetadata<T>,
		spec: VersionSpec<T>,
	) -> DispatchResult {
		let model = NextModelId::<T>::get();
		let next = model.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		let (version, route) = Self::build_version(model, &owner, spec)?;
		let deposit = T::ModelDeposit::get();
		Self::hold(HoldReason::ModelDeposit, &owner, deposit.saturating_add(version.deposit))?;

		let modality = metadata.modality;
		Models::<T>::insert(
			model,
			Model {
				owner: owner.clone(),
				metadata,
				latest_version: 1,
				pending_owner: None,
				deposit,
				versions_deposit: version.deposit,
				revision: 0,
			},
		);
		NextModelId::<T>::put(next);
		Self::deposit_event(Event::ModelRegistered { model, owner, modality });
		Self::insert_version(model, 1, version, route);
		Ok(())
	}

	pub(crate) fn do_publish_version(
		who: T::AccountId,
		model: ModelId,
		spec: VersionSpec<T>,
	) -> DispatchResult {
		let mut record = Self::owned_model(&who, model)?;
		ensure!(record.latest_version < T::MaxVersions::get(), Error::<T>::TooManyVersions);
		let number = record.latest_version.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		let (version, route) = Self::build_version(model, &who, spec)?;
		Self::hold(HoldReason::ModelDeposit, &who, version.deposit)?;

		record.latest_version = number;
		record.versions_deposit = record.versions_deposit.saturating_add(version.deposit);
		record.revise();
		Models::<T>::insert(model, record);
		Self::insert_version(model, number, version, route);
		Ok(())
	}

	pub(crate) fn do_set_price(
		who: T::AccountId,
		model: ModelId,
		version: VersionNumber,
		price_per_unit: BalanceOf<T>,
	) -> DispatchResult {
		Self::mutate_owned_version(&who, model, version, |record| {
			ensure!(
				record.license.commercial_use || price_per_unit.is_zero(),
				Error::<T>::NonCommercialPriced
			);
			ensure!(price_per_unit >= record.price_floor, Error::<T>::PriceBelowRoyaltyFloor);
			record.price_per_unit = price_per_unit;
			Ok(())
		})?;
		Self::deposit_event(Event::PriceUpdated { model, version, price_per_unit });
		Ok(())
	}

	pub(crate) fn do_update_metadata(
		who: T::AccountId,
		model: ModelId,
		metadata: ModelMetadata<T>,
	) -> DispatchResult {
		let mut record = Self::owned_model(&who, model)?;
		record.metadata = metadata;
		record.revise();
		Models::<T>::insert(model, record);
		Self::deposit_event(Event::MetadataUpdated { model });
		Ok(())
	}

	pub(crate) fn do_deprecate(
		who: T::AccountId,
		model: ModelId,
		version: VersionNumber,
	) -> DispatchResult {
		Self::mutate_owned_version(&who, model, version, |record| {
			ensure!(!record.deprecated, Error::<T>::AlreadyDeprecated);
			record.deprecated = true;
			Ok(())
		})?;
		Self::deposit_event(Event::VersionDeprecated { model, version });
		Ok(())
	}

	pub(crate) fn do_offer_ownership(
		who: T::AccountId,
		model: ModelId,
		new_owner: Option<T::AccountId>,
	) -> DispatchResult {
		let mut record = Self::owned_model(&who, model)?;
		ensure!(new_owner.as_ref() != Some(&who), Error::<T>::AlreadyOwner);
		record.pending_owner = new_owner.clone();
		record.revise();
		let revision = record.revision;
		Models::<T>::insert(model, record);
		Self::deposit_event(Event::OwnershipOffered { model, to: new_owner, revision });
		Ok(())
	}

	pub(crate) fn do_accept_ownership(
		who: T::AccountId,
		model: ModelId,
		revision: u32,
	) -> DispatchResult {
		let mut record = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(record.pending_owner.as_ref() == Some(&who), Error::<T>::NotPendingOwner);
		ensure!(record.revision == revision, Error::<T>::OfferChanged);
		let previous = record.owner.clone();
		// Hold from the new owner first: if it cannot pay, nothing changes.
		let deposit = record.deposit.saturating_add(record.versions_deposit);
		Self::hold(HoldReason::ModelDeposit, &who, deposit)?;
		Self::release(HoldReason::ModelDeposit, &previous, deposit);
		record.owner = who.clone();
		record.pending_owner = None;
		record.revise();
		Models::<T>::insert(model, record);
		Self::deposit_event(Event::OwnershipTransferred { model, from: previous, to: who });
		Ok(())
	}

	// ----------------------------------------------------------------- helpers

	/// Validates a version spec against the lineage rules and flattens its route; changes
	/// nothing. `model` is the model the version will belong to.
	fn build_version(
		model: ModelId,
		owner: &T::AccountId,
		spec: VersionSpec<T>,
	) -> Result<(ModelVersion<T>, Route<T>), DispatchError> {
		let VersionSpec { label, artifact_hash, price_per_unit, license, owner_share, lineage } =
			spec;
		let label: BoundedVec<u8, T::MaxVersionLabelLength> =
			label.try_into().map_err(|_| Error::<T>::LabelTooLong)?;
		let lineage = Lineage::<T> {
			datasets: lineage.datasets.try_into().map_err(|_| Error::<T>::TooManyDatasets)?,
			parents: lineage.parents.try_into().map_err(|_| Error::<T>::TooManyParents)?,
		};

		ensure!(
			license.commercial_use || price_per_unit.is_zero(),
			Error::<T>::NonCommercialPriced
		);
		// What the version's own upstream demands of it; its derivatives owe it at least that,
		// so every minimum carries down each lineage (checked below).
		let mut upstream_demand = Perbill::zero();
		let mut seen_datasets = Vec::with_capacity(lineage.datasets.len());
		for (dataset, share) in lineage.datasets.iter() {
			ensure!(!seen_datasets.contains(dataset), Error::<T>::DuplicateDataset);
			seen_datasets.push(*dataset);
			let required =
				T::Datasets::min_model_share(*dataset).ok_or(Error::<T>::UnknownDataset)?;
			ensure!(*share >= required, Error::<T>::DatasetShareTooLow);
			upstream_demand = upstream_demand.saturating_add(required);
		}

		// The least price per unit that pays each parent its absolute royalty per unit.
		let mut price_floor = BalanceOf::<T>::zero();
		let mut seen_parents = Vec::with_capacity(lineage.parents.len());
		let mut parent_routes = Vec::with_capacity(lineage.parents.len());
		for (parent, share) in lineage.parents.iter() {
			ensure!(parent.model != model, Error::<T>::CyclicLineage);
			ensure!(!seen_parents.contains(parent), Error::<T>::DuplicateParent);
			seen_parents.push(*parent);
			let record = Versions::<T>::get(parent.model, parent.version)
				.ok_or(Error::<T>::UnknownParent)?;
			let parent_route =
				Routes::<T>::get(parent.model, parent.version).ok_or(Error::<T>::UnknownParent)?;
			ensure!(!record.deprecated, Error::<T>::ParentDeprecated);
			ensure!(
				!Infringements::<T>::contains_key(parent.model, parent.version),
				Error::<T>::ParentInfringing
			);
			let Derivatives::Allowed { min_upstream_share, min_royalty_per_unit } =
				record.license.derivatives
			else {
				return Err(Error::<T>::DerivativesForbidden.into());
			};
			ensure!(*share >= min_upstream_share, Error::<T>::ParentShareTooLow);
			if !min_royalty_per_unit.is_zero() {
				ensure!(!share.is_zero(), Error::<T>::ParentShareTooLow);
				price_floor =
					price_floor.max(share.saturating_reciprocal_mul_ceil(min_royalty_per_unit));
			}
			upstream_demand = upstream_demand.saturating_add(min_upstream_share);
			ensure!(
				record.license.commercial_use || !license.commercial_use,
				Error::<T>::CommercialUseForbidden
			);
			parent_routes.push((*share, parent_route));
		}

		ensure!(price_per_unit >= price_floor, Error::<T>::PriceBelowRoyaltyFloor);
		if let Derivatives::Allowed { min_upstream_share, min_royalty_per_unit } =
			license.derivatives
		{
			ensure!(min_upstream_share >= upstream_demand, Error::<T>::UpstreamShareBelowLineage);
			// Each unit of a derivative must carry at least what one unit of this version owes.
			ensure!(min_royalty_per_unit >= price_floor, Error::<T>::RoyaltyBelowLineage);
		}

		let flat = route::flatten(
			owner,
			owner_share,
			lineage.datasets.iter().copied(),
			parent_routes.iter().map(|(share, route)| (*share, route.as_slice())),
			T::MaxRouteLength::get(),
		)
		.map_err(|error| match error {
			FlattenError::NotWhole => Error::<T>::SharesNotWhole,
			FlattenError::TooLong => Error::<T>::RouteTooLong,
		})?;
		let route = Route::<T>::try_from(flat).map_err(|_| Error::<T>::RouteTooLong)?;

		let mut version = ModelVersion {
			label,
			artifact_hash,
			price_per_unit,
			price_floor,
			license,
			owner_share,
			lineage,
			route_length: u32::try_from(route.len()).unwrap_or(u32::MAX),
			deprecated: false,
			published_at: frame_system::Pallet::<T>::block_number(),
			deposit: Zero::zero(),
		};
		version.deposit = Self::version_deposit(&version, &route);
		Ok((version, route))
	}

	/// The deposit a version costs: a base plus the encoded size of its record and its route,
	/// which grow with its lineage.
	pub(crate) fn version_deposit(version: &ModelVersion<T>, route: &Route<T>) -> BalanceOf<T> {
		let size = version.encoded_size().saturating_add(route.encoded_size());
		let bytes = u32::try_from(size).unwrap_or(u32::MAX);
		T::VersionDepositBase::get()
			.saturating_add(T::VersionDepositPerByte::get().saturating_mul(bytes.into()))
	}

	fn insert_version(
		model: ModelId,
		number: VersionNumber,
		version: ModelVersion<T>,
		route: Route<T>,
	) {
		let event = Event::VersionPublished {
			model,
			version: number,
			price_per_unit: version.price_per_unit,
			route_length: version.route_length,
			deposit: version.deposit,
		};
		Versions::<T>::insert(model, number, version);
		Routes::<T>::insert(model, number, route);
		Self::deposit_event(event);
	}

	fn owned_model(who: &T::AccountId, model: ModelId) -> Result<Model<T>, DispatchError> {
		let record = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(&record.owner == who, Error::<T>::NotOwner);
		Ok(record)
	}

	fn mutate_owned_version(
		who: &T::AccountId,
		model: ModelId,
		version: VersionNumber,
		change: impl FnOnce(&mut ModelVersion<T>) -> DispatchResult,
	) -> DispatchResult {
		let mut model_record = Self::owned_model(who, model)?;
		Versions::<T>::try_mutate(model, version, |record| {
			let record = record.as_mut().ok_or(Error::<T>::UnknownVersion)?;
			change(record)
		})?;
		model_record.revise();
		Models::<T>::insert(model, model_record);
		Ok(())
	}

	pub(crate) fn hold(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientFunds.into())
	}

	/// Releases a hold this pallet placed. The amount is always on hold (the invariants check
	/// it), so a shortfall is a bug: report it and release what is there.
	pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		let reason = reason.into();
		if let Err(error) = T::Currency::release(&reason, who, amount, Precision::Exact) {
			defensive!("a hold this pallet placed is missing", error);
			let _ = T::Currency::release(&reason, who, amount, Precision::BestEffort);
		}
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Registers a model whose first version has exactly `route` as its route (no lineage
	/// checks, no deposit), for other pallets' benchmarks that need routes of a given shape.
	pub fn insert_version_for_benchmarks(
		owner: T::AccountId,
		price_per_unit: BalanceOf<T>,
		route: Vec<RouteEntry<T::AccountId>>,
	) -> Result<(ModelId, VersionNumber), DispatchError> {
		let model = NextModelId::<T>::get();
		let route = Route::<T>::try_from(route).map_err(|_| Error::<T>::RouteTooLong)?;
		let version = ModelVersion {
			label: Default::default(),
			artifact_hash: Default::default(),
			price_per_unit,
			price_floor: Zero::zero(),
			license: License {
				commercial_use: true,
				derivatives: Derivatives::share(Perbill::zero()),
			},
			owner_share: sp_runtime::Perbill::one(),
			lineage: Default::default(),
			route_length: u32::try_from(route.len()).unwrap_or(u32::MAX),
			deprecated: false,
			published_at: frame_system::Pallet::<T>::block_number(),
			deposit: Zero::zero(),
		};
		Models::<T>::insert(
			model,
			Model {
				owner,
				metadata: ModelMetadata { name: Default::default(), modality: Modality::Other },
				latest_version: 1,
				pending_owner: None,
				deposit: Zero::zero(),
				versions_deposit: Zero::zero(),
				revision: 0,
			},
		);
		NextModelId::<T>::put(model.saturating_add(1));
		Versions::<T>::insert(model, 1, version);
		Routes::<T>::insert(model, 1, route);
		Ok((model, 1))
	}
}
