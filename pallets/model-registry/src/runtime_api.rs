//! The runtime API of models, for clients and the `tributary_*` RPC.

use crate::types::{DatasetId, ModelRef, RouteEntry};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// A version's lineage, as registered.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct LineageInfo {
	/// The owner's declared share.
	pub owner_share: Perbill,
	/// Datasets and their shares.
	pub datasets: Vec<(DatasetId, Perbill)>,
	/// Parent versions and their shares.
	pub parents: Vec<(ModelRef, Perbill)>,
}

sp_api::decl_runtime_apis! {
	/// Models, their lineage and their flattened royalty routes.
	pub trait ModelRegistryApi<AccountId> where AccountId: codec::Codec {
		/// A version's flattened route, or `None` when there is no such version.
		fn route(model: crate::ModelId, version: crate::VersionNumber) -> Option<Vec<RouteEntry<AccountId>>>;
		/// A version's lineage, or `None` when there is no such version.
		fn lineage(model: crate::ModelId, version: crate::VersionNumber) -> Option<LineageInfo>;
	}
}
