//! What this pallet's benchmarks need from the rest of the runtime.

#[cfg(feature = "runtime-benchmarks")]
use crate::types::{DatasetId, ModelId, Shares, VersionNumber};

/// Creates what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Creates a model version whose route has `length` entries, each a dataset whose pool has
	/// share holders; returns the version and the datasets.
	fn version_routing_to_datasets(
		length: u32,
	) -> (ModelId, VersionNumber, alloc::vec::Vec<DatasetId>);
	/// Mints `shares` of `dataset` to `holder`, as an accepted contribution does (the shares
	/// hook runs first).
	fn mint_shares(dataset: DatasetId, holder: &AccountId, shares: Shares);
}
