//! The invariants `try_state` checks (after every block under `try-runtime`, and after every
//! test). Held amounts are compared per [`HoldReason`]: what each owner should have on hold
//! for a reason is summed from the records that reason backs.

use crate::{pallet::*, route, types::*};
use alloc::collections::btree_map::BTreeMap;
use frame_support::traits::fungible::InspectHold;
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};
use tributary_primitives::DatasetInspect;

fn check(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(TryRuntimeError::Other(message))
	}
}

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage:
	/// - every version has a route and every route a version;
	/// - every route is well formed (exactly 100%, sorted, no duplicate, no zero part), holds
	///   no more than `MaxRouteLength` entries and names only existing datasets;
	/// - every version's price is at least its royalty floor, and zero when its license is
	///   non-commercial;
	/// - every lineage names existing datasets and parents that are older versions of other
	///   models, and its shares add up to 100%;
	/// - each model's versions are exactly `1..=latest_version` and its recorded version
	///   deposits add up; every owner's held deposit equals what its models account for;
	/// - disputes are counted per version and backed by their claimants' held bonds.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut versions_deposit: BTreeMap<ModelId, BalanceOf<T>> = BTreeMap::new();
		let mut version_count: BTreeMap<ModelId, u32> = BTreeMap::new();
		for (model, number, version) in Versions::<T>::iter() {
			let record = Models::<T>::get(model);
			check(record.is_some(), "a version of an unknown model")?;
			check(
				record.is_some_and(|r| number >= 1 && number <= r.latest_version),
				"a version outside 1..=latest_version",
			)?;
			let route = Routes::<T>::get(model, number).unwrap_or_default();
			check(route::is_well_formed(&route), "a route is not well formed")?;
			check(route.len() == version.route_length as usize, "a route length is off")?;
			check(
				version.price_per_unit >= version.price_floor,
				"a version is priced below its royalty floor",
			)?;
			check(
				version.license.commercial_use || version.price_per_unit.is_zero(),
				"a non-commercial version has a price",
			)?;
			for (beneficiary, _) in route.iter() {
				if let Beneficiary::Dataset(dataset) = beneficiary {
					check(T::Datasets::dataset_exists(*dataset), "a route names no dataset")?;
				}
			}
			let mut declared = u64::from(version.owner_share.deconstruct());
			for (dataset, share) in version.lineage.datasets.iter() {
				check(T::Datasets::dataset_exists(*dataset), "a lineage names no dataset")?;
				declared = declared.saturating_add(share.deconstruct().into());
			}
			for (parent, share) in version.lineage.parents.iter() {
				check(parent.model != model, "a version descends from its own model")?;
				let parent_record = Versions::<T>::get(parent.model, parent.version);
				check(
					parent_record.is_some_and(|p| p.published_at <= version.published_at),
					"a lineage names a parent that is unknown or newer",
				)?;
				declared = declared.saturating_add(share.deconstruct().into());
			}
			check(
				declared == u64::from(sp_runtime::Perbill::one().deconstruct()),
				"lineage shares do not add up to 100%",
			)?;
			let total = versions_deposit.entry(model).or_default();
			*total = total.saturating_add(version.deposit);
			let count = version_count.entry(model).or_default();
			*count = count.saturating_add(1);
		}

		for (model, number, _) in Routes::<T>::iter() {
			check(Versions::<T>::contains_key(model, number), "a route of no version")?;
		}

		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (model, record) in Models::<T>::iter() {
			check(model < NextModelId::<T>::get(), "a model id not yet issued")?;
			check(
				version_count.get(&model).copied().unwrap_or_default() == record.latest_version,
				"a model's versions are not exactly 1..=latest_version",
			)?;
			check(
				versions_deposit.get(&model).copied().unwrap_or_default()
					== record.versions_deposit,
				"a model's versions deposit is off",
			)?;
			check(record.pending_owner.as_ref() != Some(&record.owner), "offered to its owner")?;
			let total = held.entry(record.owner.clone()).or_default();
			*total = total.saturating_add(record.deposit.saturating_add(record.versions_deposit));
		}
		for (owner, amount) in held {
			check(
				T::Currency::balance_on_hold(&HoldReason::ModelDeposit.into(), &owner) == amount,
				"an owner's held deposit differs from its models' deposits",
			)?;
		}
		Self::check_disputes()
	}

	/// Disputes: each names an existing version, below the next id; each version lists exactly
	/// its open disputes; each claimant's held bond is exactly its disputes' bonds;
	/// infringements name existing versions.
	fn check_disputes() -> Result<(), TryRuntimeError> {
		let mut open: BTreeMap<(ModelId, VersionNumber), u32> = BTreeMap::new();
		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, dispute) in Disputes::<T>::iter() {
			check(id < NextDisputeId::<T>::get(), "a dispute id not yet issued")?;
			check(
				Versions::<T>::contains_key(dispute.model, dispute.version),
				"a dispute of no version",
			)?;
			let count = open.entry((dispute.model, dispute.version)).or_default();
			*count = count.saturating_add(1);
			let bond = bonds.entry(dispute.claimant.clone()).or_default();
			*bond = bond.saturating_add(dispute.bond);
		}
		for (model, version, listed) in VersionDisputes::<T>::iter() {
			check(!listed.disputes.is_empty(), "a version keeps an empty dispute list")?;
			check(
				open.remove(&(model, version)) == u32::try_from(listed.disputes.len()).ok(),
				"a version's open disputes are miscounted",
			)?;
			check(
				listed.disputes.iter().all(|id| {
					Disputes::<T>::get(id).is_some_and(|d| d.model == model && d.version == version)
				}),
				"a version lists a dispute of another",
			)?;
		}
		check(open.is_empty(), "open disputes are not counted")?;
		for (claimant, amount) in bonds {
			check(
				T::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &claimant) == amount,
				"a claimant's held bond differs from its disputes' bonds",
			)?;
		}
		for (model, version, _) in Infringements::<T>::iter() {
			check(Versions::<T>::contains_key(model, version), "an infringement of no version")?;
		}
		Ok(())
	}
}
