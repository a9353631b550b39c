//! Interfaces this pallet needs from the runtime for its benchmarks.

/// Creates what the benchmarks need from other pallets, and signs vouchers.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<Balance, AccountId, Signature> {
	/// Creates an invocable model version priced at `price_per_unit`; returns its model id.
	fn invocable_model(price_per_unit: Balance) -> crate::ModelId;
	/// A new consumer account able to sign vouchers.
	fn new_consumer() -> AccountId;
	/// `consumer`'s signature of `payload`; `consumer` came from `new_consumer`.
	fn sign_as(consumer: &AccountId, payload: &[u8]) -> Signature;
}
