//! The reads behind the runtime API: the runtime only forwards to these.

use crate::{
	pallet::*,
	runtime_api::{DatasetShare, LineageInfo, ParentShare, RoutePart},
	types::*,
};
use alloc::vec::Vec;

impl<T: Config> Pallet<T> {
	/// A version's flattened route, or `None` when there is no such version.
	pub fn api_route(
		model: ModelId,
		version: VersionNumber,
	) -> Option<Vec<RoutePart<T::AccountId>>> {
		let route = Routes::<T>::get(model, version)?;
		Some(
			route
				.into_iter()
				.map(|(beneficiary, parts)| RoutePart { beneficiary, parts })
				.collect(),
		)
	}

	/// A version's lineage, or `None` when there is no such version.
	pub fn api_lineage(model: ModelId, version: VersionNumber) -> Option<LineageInfo> {
		let version = Versions::<T>::get(model, version)?;
		Some(LineageInfo {
			owner_share: version.owner_share,
			datasets: version
				.lineage
				.datasets
				.into_iter()
				.map(|(dataset, parts)| DatasetShare { dataset, parts })
				.collect(),
			parents: version
				.lineage
				.parents
				.into_iter()
				.map(|(parent, parts)| ParentShare {
					model: parent.model,
					version: parent.version,
					parts,
				})
				.collect(),
		})
	}
}
