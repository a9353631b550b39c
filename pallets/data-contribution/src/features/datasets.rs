//! Datasets: creation with fixed terms, metadata, curatorship handed over by offer and
//! acceptance, and freezing.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;

impl<T: Config> DatasetMetadata<T> {
	/// The metadata from call arguments. Calls take the texts unbounded (the block length and
	/// the length fee bound them) so that one too long fails with an error naming it instead
	/// of being undecodable.
	pub(crate) fn bounded(
		name: Vec<u8>,
		manifest_hash: ContentHash,
		schema: Vec<u8>,
		license: Vec<u8>,
	) -> Result<Self, Error<T>> {
		Ok(Self {
			name: name.try_into().map_err(|_| Error::<T>::NameTooLong)?,
			manifest_hash,
			schema: schema.try_into().map_err(|_| Error::<T>::SchemaTooLong)?,
			license: license.try_into().map_err(|_| Error::<T>::LicenseTooLong)?,
		})
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_dataset(
		curator: T::AccountId,
		metadata: DatasetMetadata<T>,
		terms: DatasetTerms,
	) -> DispatchResult {
		ensure!(terms.shares_per_item > 0, Error::<T>::ZeroSharesPerItem);
		// Bounded far below the total's type, so no amount of accepted work can overflow a
		// dataset's share count and make accepted items unpayable.
		ensure!(terms.shares_per_item <= MAX_SHARES_PER_ITEM, Error::<T>::TooManySharesPerItem);
		Self::ensure_quorum(terms.contribution_quorum)?;
		let id = NextDatasetId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		let deposit = T::DatasetDeposit::get();
		Self::hold(HoldReason::DatasetDeposit, &curator, deposit)?;
		Datasets::<T>::insert(
			id,
			Dataset {
				curator: curator.clone(),
				pending_curator: None,
				metadata,
				terms,
				total_shares: 0,
				holders: 0,
				pending_contributions: 0,
				open_tasks: 0,
				members: 0,
				reviewers: 0,
				rules: Self::default_rules(),
				frozen: false,
				deposit,
				revision: 0,
			},
		);
		NextDatasetId::<T>::put(next);
		Self::deposit_event(Event::DatasetCreated { dataset: id, curator, terms });
		Ok(())
	}

	pub(crate) fn do_update_dataset_metadata(
		who: T::AccountId,
		dataset: DatasetId,
		metadata: DatasetMetadata<T>,
	) -> DispatchResult {
		Self::mutate_as_curator(&who, dataset, |record| {
			record.metadata = metadata;
			Ok(())
		})?;
		Self::deposit_event(Event::DatasetMetadataUpdated { dataset });
		Ok(())
	}

	pub(crate) fn do_offer_curatorship(
		who: T::AccountId,
		dataset: DatasetId,
		to: Option<T::AccountId>,
	) -> DispatchResult {
		let mut revision = 0;
		Self::mutate_as_curator(&who, dataset, |record| {
			record.pending_curator = to.clone();
			// The revision after this change, which `mutate_as_curator` makes.
			revision = record.revision.wrapping_add(1);
			Ok(())
		})?;
		Self::deposit_event(Event::CuratorshipOffered { dataset, to, revision });
		Ok(())
	}

	pub(crate) fn do_accept_curatorship(
		who: T::AccountId,
		dataset: DatasetId,
		revision: u32,
	) -> DispatchResult {
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(record.pending_curator.as_ref() == Some(&who), Error::<T>::NotPendingCurator);
		ensure!(record.revision == revision, Error::<T>::OfferChanged);
		let previous = record.curator.clone();
		// Hold from the new curator first: if it cannot pay, nothing changes.
		let deposit = T::DatasetDeposit::get();
		Self::hold(HoldReason::DatasetDeposit, &who, deposit)?;
		Self::release(HoldReason::DatasetDeposit, &previous, record.deposit);
		record.curator = who.clone();
		record.pending_curator = None;
		record.deposit = deposit;
		record.revise();
		Datasets::<T>::insert(dataset, record);
		Self::deposit_event(Event::CuratorshipTransferred { dataset, from: previous, to: who });
		Ok(())
	}

	pub(crate) fn do_freeze_dataset(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		Self::mutate_as_curator(&who, dataset, |record| {
			ensure!(!record.frozen, Error::<T>::AlreadyFrozen);
			record.frozen = true;
			Ok(())
		})?;
		Self::deposit_event(Event::DatasetFrozen { dataset });
		Ok(())
	}

	/// Changes a dataset on behalf of its curator; any error leaves it untouched.
	pub(crate) fn mutate_as_curator(
		who: &T::AccountId,
		dataset: DatasetId,
		change: impl FnOnce(&mut Dataset<T>) -> DispatchResult,
	) -> DispatchResult {
		Datasets::<T>::try_mutate(dataset, |maybe| {
			let record = maybe.as_mut().ok_or(Error::<T>::UnknownDataset)?;
			ensure!(record.curator == *who, Error::<T>::NotCurator);
			change(record)?;
			record.revise();
			Ok(())
		})
	}
}
