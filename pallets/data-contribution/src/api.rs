//! The reads behind the runtime API: the runtime only forwards to these.

use crate::{pallet::*, types::*};

impl<T: Config> Pallet<T> {
	/// All shares minted in a dataset, or `None` when there is no such dataset.
	pub fn api_total_shares(dataset: DatasetId) -> Option<Shares> {
		Datasets::<T>::get(dataset).map(|record| record.total_shares)
	}

	/// The shares `holder` holds in a dataset (0 when none), or `None` when there is no such
	/// dataset.
	pub fn api_shares_of(dataset: DatasetId, holder: &T::AccountId) -> Option<Shares> {
		if !Datasets::<T>::contains_key(dataset) {
			return None;
		}
		Some(Shareholdings::<T>::get(dataset, holder).map_or(0, |holding| holding.shares))
	}
}
