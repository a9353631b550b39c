//! Tributary's shared vocabulary: the ids every pallet speaks of, the royalty route and voucher
//! types, and the traits the pallets meet through.
//!
//! No pallet depends on another pallet's crate. Each depends on this crate, implements the
//! traits it provides and is configured with the traits it consumes; the runtime wires them
//! together. Each trait is shaped by what its consumer needs:
//!
//! | trait | provided by | consumed by |
//! |---|---|---|
//! | [`DatasetInspect`] | data contribution | model registry (lineage checks) |
//! | [`SharePools`] | data contribution | royalty distribution (pools) |
//! | [`OnSharesMinted`] | royalty distribution | data contribution (before each mint) |
//! | [`ModelInvocation`] | model registry | invocation metering (prices) |
//! | [`RouteProvider`] | model registry | royalty distribution (routes) |
//! | [`RoyaltySink`] | royalty distribution | invocation metering (payments) |
//!
//! With the `test-utils` feature, [`test_utils`] offers one in-memory double of each provider
//! for the pallets' mock runtimes.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod route;
mod traits;
mod voucher;

#[cfg(feature = "test-utils")]
pub mod test_utils;

pub use route::{Beneficiary, ModelVersionRef, RouteEntry};
pub use traits::{
	DatasetInspect, InvocationTerms, ModelInvocation, OnSharesMinted, RouteProvider, RoyaltySink,
	SharePools,
};
pub use voucher::{Voucher, LEGACY_VOUCHER_DOMAIN, VOUCHER_DOMAIN};

/// Identifier of a dataset.
pub type DatasetId = u32;
/// Identifier of a model.
pub type ModelId = u32;
/// Number of a model's version; the first version is 1.
pub type VersionNumber = u32;
/// Identifier of a payment channel. Ids are never reused.
pub type ChannelId = u64;
/// Units of invocation (e.g. thousands of tokens), as metered.
pub type Units = u64;
/// Dataset shares: a holder's claim on the dataset's future royalties.
pub type Shares = u128;
/// A 32-byte content hash (of a manifest, a batch of items, an annotation result or a model
/// artifact).
pub type ContentHash = sp_core::H256;

/// How the runtime-API types read as JSON (the node's `tributary_*` RPC serialises them).
#[cfg(feature = "std")]
pub mod json {
	/// Serialises an amount (a balance, shares, units or a count) as a decimal string: amounts
	/// exceed what a JSON number carries exactly (2^53).
	pub fn decimal<S: serde::Serializer, T: core::fmt::Display>(
		value: &T,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		serializer.collect_str(value)
	}
}
