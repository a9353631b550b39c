//! Disputes of a version's lineage: opened with a bond, ruled by `DisputeOrigin` or lapsed.
//! While one is open, for at most `DisputeTimeout` from the first, the version's royalties are
//! frozen (the distribution asks `RouteProvider::royalties_frozen`); an upheld one makes the
//! version infringing and gives the wronged party a part of its revenue through a corrective
//! route.

use crate::{pallet::*, route, types::*};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::{traits::Zero, Perbill, Saturating};
use tributary_primitives::DatasetInspect;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_open_dispute(
		claimant: T::AccountId,
		model: ModelId,
		version: VersionNumber,
		claim: DisputeClaim,
		evidence: ContentHash,
	) -> DispatchResult {
		let record = Versions::<T>::get(model, version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(!Infringements::<T>::contains_key(model, version), Error::<T>::AlreadyInfringing);
		match claim {
			DisputeClaim::OmittedDataset(dataset) => {
				ensure!(T::Datasets::dataset_exists(dataset), Error::<T>::UnknownDataset);
				ensure!(
					!record.lineage.datasets.iter().any(|(declared, _)| *declared == dataset),
					Error::<T>::ClaimMatchesLineage
				);
			}
			DisputeClaim::OmittedParent(parent) | DisputeClaim::CopiedWeights(parent) => {
				ensure!(
					Versions::<T>::contains_key(parent.model, parent.version),
					Error::<T>::UnknownParent
				);
				ensure!(
					parent.model != model
						&& !record.lineage.parents.iter().any(|(declared, _)| *declared == parent),
					Error::<T>::ClaimMatchesLineage
				);
			}
		}
		let now = frame_system::Pallet::<T>::block_number();
		let mut open = VersionDisputes::<T>::get(model, version).unwrap_or_else(|| OpenDisputes {
			disputes: BoundedVec::new(),
			frozen_until: now.saturating_add(T::DisputeTimeout::get()),
		});
		let dispute = NextDisputeId::<T>::get();
		open.disputes.try_push(dispute).map_err(|_| Error::<T>::TooManyDisputes)?;
		let next = dispute.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		let bond = T::DisputeBond::get();
		Self::hold(HoldReason::DisputeBond, &claimant, bond)?;
		NextDisputeId::<T>::put(next);
		VersionDisputes::<T>::insert(model, version, open);
		Disputes::<T>::insert(
			dispute,
			Dispute {
				model,
				version,
				claimant: claimant.clone(),
				claim,
				evidence,
				bond,
				opened_at: now,
			},
		);
		Self::deposit_event(Event::DisputeOpened {
			dispute,
			model,
			version,
			claimant,
			claim,
			evidence,
			bond,
		});
		Ok(())
	}

	pub(crate) fn do_uphold_dispute(dispute: DisputeId, share: Perbill) -> DispatchResult {
		ensure!(!share.is_zero(), Error::<T>::ZeroShare);
		let record = Disputes::<T>::get(dispute).ok_or(Error::<T>::UnknownDispute)?;
		let (model, version) = (record.model, record.version);
		ensure!(!Infringements::<T>::contains_key(model, version), Error::<T>::AlreadyInfringing);
		let mut model_record = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		let mut version_record =
			Versions::<T>::get(model, version).ok_or(Error::<T>::UnknownVersion)?;
		let wronged = match record.claim {
			DisputeClaim::OmittedDataset(dataset) => Beneficiary::Dataset(dataset),
			DisputeClaim::OmittedParent(parent) | DisputeClaim::CopiedWeights(parent) => {
				Beneficiary::Account(
					Models::<T>::get(parent.model).ok_or(Error::<T>::UnknownParent)?.owner,
				)
			}
		};
		let current = Routes::<T>::get(model, version).unwrap_or_default();
		let corrected = route::redirect(&current, wronged.clone(), share, T::MaxRouteLength::get())
			.map_err(|_| Error::<T>::RouteTooLong)?;
		let corrected: Route<T> =
			BoundedVec::try_from(corrected).map_err(|_| Error::<T>::RouteTooLong)?;

		// The owner's deposit for the version goes to the claimant.
		let slashed = T::Currency::transfer_on_hold(
			&HoldReason::ModelDeposit.into(),
			&model_record.owner,
			&record.claimant,
			version_record.deposit,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)?;
		model_record.versions_deposit = model_record.versions_deposit.saturating_sub(slashed);
		version_record.deposit = version_record.deposit.saturating_sub(slashed);
		version_record.route_length = u32::try_from(corrected.len()).unwrap_or(u32::MAX);
		Self::release_bond(&record);
		Self::close_dispute(dispute, &record);
		// The version is settled: the other claims against it close, their bonds returned.
		for other in VersionDisputes::<T>::take(model, version)
			.map(|open| open.disputes.into_inner())
			.unwrap_or_default()
		{
			if let Some(superseded) = Disputes::<T>::take(other) {
				Self::release_bond(&superseded);
				Self::deposit_event(Event::DisputeSuperseded { dispute: other });
			}
		}
		Routes::<T>::insert(model, version, corrected);
		Versions::<T>::insert(model, version, version_record);
		model_record.revise();
		Models::<T>::insert(model, model_record);
		Infringements::<T>::insert(
			model,
			version,
			Infringement { dispute, wronged: wronged.clone(), share },
		);
		Self::deposit_event(Event::DisputeUpheld {
			dispute,
			model,
			version,
			wronged,
			share,
			slashed,
		});
		Ok(())
	}

	pub(crate) fn do_reject_dispute(dispute: DisputeId) -> DispatchResult {
		let record = Disputes::<T>::get(dispute).ok_or(Error::<T>::UnknownDispute)?;
		let slashed = if record.bond.is_zero() {
			Zero::zero()
		} else {
			T::Currency::transfer_on_hold(
				&HoldReason::DisputeBond.into(),
				&record.claimant,
				&T::Treasury::get(),
				record.bond,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)?
		};
		Self::close_dispute(dispute, &record);
		Self::deposit_event(Event::DisputeRejected { dispute, slashed });
		Ok(())
	}

	pub(crate) fn do_expire_dispute(dispute: DisputeId) -> DispatchResult {
		let record = Disputes::<T>::get(dispute).ok_or(Error::<T>::UnknownDispute)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now >= record.opened_at.saturating_add(T::DisputeTimeout::get()),
			Error::<T>::DisputeNotExpired
		);
		Self::release_bond(&record);
		Self::close_dispute(dispute, &record);
		Self::deposit_event(Event::DisputeLapsed { dispute });
		Ok(())
	}

	fn release_bond(record: &Dispute<T>) {
		Self::release(HoldReason::DisputeBond, &record.claimant, record.bond);
	}

	fn close_dispute(dispute: DisputeId, record: &Dispute<T>) {
		Disputes::<T>::remove(dispute);
		VersionDisputes::<T>::mutate_exists(record.model, record.version, |maybe| {
			if let Some(open) = maybe {
				open.disputes.retain(|id| *id != dispute);
				if open.disputes.is_empty() {
					*maybe = None;
				}
			}
		});
	}

	/// Whether a version's royalties are frozen: a dispute of it is open, and the first one
	/// opened has not waited `DisputeTimeout` yet.
	pub fn royalties_frozen(model: ModelId, version: VersionNumber) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		VersionDisputes::<T>::get(model, version).is_some_and(|open| now < open.frozen_until)
	}

	/// Whether a version was found infringing.
	pub fn is_infringing(model: ModelId, version: VersionNumber) -> bool {
		Infringements::<T>::contains_key(model, version)
	}
}
