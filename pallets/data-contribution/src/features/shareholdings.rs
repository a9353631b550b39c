//! Share records: a holder closes an empty, idle record to get its deposit back. Records are
//! opened and filled by the work that mints shares (`crate::common::shares`).

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_close_shareholding(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let shareholding =
			Shareholdings::<T>::get(dataset, &who).ok_or(Error::<T>::NoShareholding)?;
		ensure!(
			shareholding.shares == 0 && shareholding.pending == 0,
			Error::<T>::ShareholdingInUse
		);
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::release(HoldReason::ShareholdingDeposit, &who, shareholding.deposit);
		record.holders = record.holders.saturating_sub(1);
		Datasets::<T>::insert(dataset, record);
		Shareholdings::<T>::remove(dataset, &who);
		Self::deposit_event(Event::ShareholdingClosed { dataset, holder: who });
		Ok(())
	}
}
