//! Interfaces this pallet needs from the runtime for its benchmarks.

/// Creates what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<Balance> {
	/// Creates an invocable model version priced at `price_per_unit`; returns its model id.
	fn invocable_model(price_per_unit: Balance) -> crate::ModelId;
}
