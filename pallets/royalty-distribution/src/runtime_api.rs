//! The runtime API of royalties, for clients and the `tributary_*` RPC.
//!
//! The types read the same in SCALE (with the metadata) and in JSON (the RPC serialises them;
//! amounts are decimal strings).

use crate::types::{DatasetId, ModelId, VersionNumber};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// What an account may claim from one dataset pool now.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
#[cfg_attr(feature = "std", serde(bound(serialize = "Balance: core::fmt::Display")))]
pub struct PoolEarning<Balance> {
	/// The dataset whose pool it is.
	pub dataset: DatasetId,
	/// Whole units claimable with `claim_pool`.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub amount: Balance,
}

/// What an account may claim now.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, Default, TypeInfo)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
#[cfg_attr(feature = "std", serde(bound(serialize = "Balance: core::fmt::Display")))]
pub struct PendingRoyalties<Balance> {
	/// Account credits (`claim`): fees and route parts.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub credits: Balance,
	/// Each dataset pool the account may claim from (`claim_pool`), with what it may claim.
	pub pools: Vec<PoolEarning<Balance>>,
	/// Credits plus every pool.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub total: Balance,
}

sp_api::decl_runtime_apis! {
	/// Royalties: what accounts may claim and what awaits distribution.
	pub trait RoyaltyApi<AccountId, Balance> where AccountId: codec::Codec, Balance: codec::Codec {
		/// What `who` may claim now, in total and per dataset pool.
		fn pending_royalties(who: AccountId) -> PendingRoyalties<Balance>;
		/// A version's accrued revenue not distributed yet, or `None` when there is no such
		/// version.
		fn undistributed(model: ModelId, version: VersionNumber) -> Option<Balance>;
	}
}
