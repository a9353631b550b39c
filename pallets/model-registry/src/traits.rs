//! Interfaces this pallet offers to the rest of the runtime.

use crate::types::{InvocationTerms, ModelId, RouteEntry, VersionNumber};
use alloc::vec::Vec;

/// Read access to model versions and their royalty routes, for the invocation metering and the
/// royalty distribution.
pub trait RouteProvider<AccountId, Balance> {
	/// The terms an invocation of `version` of `model` (the latest version when `None`) is paid
	/// on, or `None` when there is no such version to invoke.
	fn invocation_terms(
		model: ModelId,
		version: Option<VersionNumber>,
	) -> Option<InvocationTerms<AccountId, Balance>>;

	/// The version's flattened royalty route: parts summing to exactly 100%, no model entries.
	fn route(model: ModelId, version: VersionNumber) -> Option<Vec<RouteEntry<AccountId>>>;

	/// The model's current owner.
	fn owner(model: ModelId) -> Option<AccountId>;

	/// Whether the version may be invoked. Deprecated versions may: deprecation only stops new
	/// derivatives.
	fn is_invocable(model: ModelId, version: VersionNumber) -> bool {
		Self::invocation_terms(model, Some(version)).is_some()
	}
}

/// Creates what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Creates a dataset that requires `min_model_share` and returns its id.
	fn create_dataset(min_model_share: sp_runtime::Perbill) -> crate::DatasetId;
}
