//! Interfaces this pallet offers to the rest of the runtime.

use crate::types::{ModelId, Units, VersionNumber};
use sp_runtime::DispatchResult;

/// Takes payments for model invocations into the royalty pot, in constant time.
pub trait RoyaltySink<AccountId, Balance> {
	/// Moves `royalty` plus every credit's amount from `payer` into the pot, credits each
	/// `(account, amount)` of `credits` (the provider's fee, the protocol fee) to that account,
	/// and adds `royalty` to the undistributed revenue of `version` of `model`. Either all of it
	/// happens or, when the payer cannot pay, nothing.
	fn accrue(
		payer: &AccountId,
		model: ModelId,
		version: VersionNumber,
		units: Units,
		royalty: Balance,
		credits: &[(AccountId, Balance)],
	) -> DispatchResult;
}

/// Creates what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Creates a model version whose route has `length` entries, each a dataset whose pool has
	/// share holders; returns the version and the datasets.
	fn version_routing_to_datasets(
		length: u32,
	) -> (ModelId, VersionNumber, alloc::vec::Vec<crate::DatasetId>);
	/// Mints `shares` of `dataset` to `holder`, as an accepted contribution does (the shares
	/// hook runs first).
	fn mint_shares(dataset: crate::DatasetId, holder: &AccountId, shares: crate::Shares);
}
