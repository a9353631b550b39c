//! The runtime API of royalties, for clients and the `tributary_*` RPC.

use crate::types::{DatasetId, ModelId, VersionNumber};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// What an account may claim now.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, Default, TypeInfo)]
pub struct PendingRoyalties<Balance> {
	/// Account credits (`claim`): fees and route parts.
	pub credits: Balance,
	/// Whole units claimable in each dataset pool the account earns in (`claim_pool`).
	pub pools: Vec<(DatasetId, Balance)>,
	/// Credits plus every pool.
	pub total: Balance,
}

sp_api::decl_runtime_apis! {
	/// Royalties: what accounts may claim and what awaits distribution.
	pub trait RoyaltyApi<AccountId, Balance> where AccountId: codec::Codec, Balance: codec::Codec {
		/// What `who` may claim now, in total and per dataset pool.
		fn pending_royalties(who: AccountId) -> PendingRoyalties<Balance>;
		/// A version's accrued revenue not distributed yet.
		fn undistributed(model: ModelId, version: VersionNumber) -> Balance;
	}
}
