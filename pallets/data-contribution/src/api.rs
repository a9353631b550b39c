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

impl<T: Config> Pallet<T> {
	/// Whether `who` may take a seat on `work`'s panel now as far as the draw goes (see
	/// `common::ballots`): clients and tools ask before committing. `false` when the work has no
	/// open ballot.
	pub fn is_drawn(work: &Work, who: &T::AccountId) -> bool {
		let (dataset, ballot, panel) = match *work {
			Work::Contribution(id) => match Contributions::<T>::get(id) {
				Some(c) => match Datasets::<T>::get(c.dataset) {
					Some(record) => (record, c.ballot, None),
					None => return false,
				},
				None => return false,
			},
			Work::Item { task, item } => {
				match (Tasks::<T>::get(task), Slots::<T>::get(task, item)) {
					(Some(task), Some(Slot::Submitted { ballot, .. })) => {
						match Datasets::<T>::get(task.dataset) {
							Some(record) => (record, ballot, Some(task.reviewers_per_item)),
							None => return false,
						}
					}
					_ => return false,
				}
			}
		};
		let panel = panel.unwrap_or(dataset.terms.contribution_quorum);
		Self::ensure_drawn(work, who, ballot.opened_at, ballot.pool, panel).is_ok()
	}
}
