//! Share records: a holder closes an empty, idle record to get its deposit back, or the curator
//! removes one (returning the deposit to its holder) so idle records cannot fill `MaxHolders`. Records are
//! opened and filled by the work that mints shares (`crate::common::shares`).

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_remove_idle_shareholding(
		curator: T::AccountId,
		dataset: DatasetId,
		holder: T::AccountId,
	) -> DispatchResult {
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(record.curator == curator, Error::<T>::NotCurator);
		record.revise();
		Self::remove_empty_shareholding(dataset, record, &holder)?;
		Self::deposit_event(Event::ShareholdingRemoved { dataset, holder });
		Ok(())
	}

	pub(crate) fn do_close_shareholding(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::remove_empty_shareholding(dataset, record, &who)?;
		Self::deposit_event(Event::ShareholdingClosed { dataset, holder: who });
		Ok(())
	}

	/// Removes a share record with no shares and no pending work, returning its deposit.
	fn remove_empty_shareholding(
		dataset: DatasetId,
		mut record: Dataset<T>,
		holder: &T::AccountId,
	) -> DispatchResult {
		let shareholding =
			Shareholdings::<T>::get(dataset, holder).ok_or(Error::<T>::NoShareholding)?;
		ensure!(
			shareholding.shares == 0 && shareholding.pending == 0,
			Error::<T>::ShareholdingInUse
		);
		Self::release(HoldReason::ShareholdingDeposit, holder, shareholding.deposit);
		record.holders = record.holders.saturating_sub(1);
		Datasets::<T>::insert(dataset, record);
		Shareholdings::<T>::remove(dataset, holder);
		Ok(())
	}
}
