//! How this pallet provides the primitives' traits, and what its benchmarks need.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use tributary_primitives::{InvocationTerms, ModelInvocation, RouteEntry, RouteProvider};

impl<T: Config> ModelInvocation<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn invocation_terms(
		model: ModelId,
		version: Option<VersionNumber>,
	) -> Option<InvocationTerms<T::AccountId, BalanceOf<T>>> {
		let record = Models::<T>::get(model)?;
		let number = version.unwrap_or(record.latest_version);
		let version = Versions::<T>::get(model, number)?;
		Some(InvocationTerms {
			version: number,
			price_per_unit: version.price_per_unit,
			owner: record.owner,
			commercial_use: version.license.commercial_use,
			infringing: Infringements::<T>::contains_key(model, number),
		})
	}

	fn model_owner(model: ModelId) -> Option<T::AccountId> {
		Models::<T>::get(model).map(|record| record.owner)
	}
}

impl<T: Config> RouteProvider<T::AccountId> for Pallet<T> {
	type MaxRouteLength = T::MaxRouteLength;

	fn route(model: ModelId, version: VersionNumber) -> Option<Vec<RouteEntry<T::AccountId>>> {
		Routes::<T>::get(model, version).map(|route| route.into_inner())
	}

	fn royalties_frozen(model: ModelId, version: VersionNumber) -> bool {
		Self::royalties_frozen(model, version)
	}
}

/// Creates what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Creates a dataset that requires `min_model_share` and returns its id.
	fn create_dataset(min_model_share: sp_runtime::Perbill) -> DatasetId;
}
