//! How this pallet provides the primitives' traits to the rest of the runtime.

use crate::{pallet::*, types::*};
use sp_runtime::Perbill;
use tributary_primitives::{DatasetInspect, SharePools};

impl<T: Config> DatasetInspect for Pallet<T> {
	fn dataset_exists(dataset: DatasetId) -> bool {
		Datasets::<T>::contains_key(dataset)
	}

	fn min_model_share(dataset: DatasetId) -> Option<Perbill> {
		Datasets::<T>::get(dataset).map(|d| d.terms.min_model_share)
	}
}

impl<T: Config> SharePools<T::AccountId> for Pallet<T> {
	fn curator(dataset: DatasetId) -> Option<T::AccountId> {
		Datasets::<T>::get(dataset).map(|d| d.curator)
	}

	fn total_shares(dataset: DatasetId) -> Shares {
		Datasets::<T>::get(dataset).map(|d| d.total_shares).unwrap_or_default()
	}

	fn shares_of(dataset: DatasetId, holder: &T::AccountId) -> Shares {
		Shareholdings::<T>::get(dataset, holder).map(|h| h.shares).unwrap_or_default()
	}
}
