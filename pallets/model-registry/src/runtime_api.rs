//! The runtime API of models, for clients and the `tributary_*` RPC.
//!
//! The types read the same in SCALE (with the metadata) and in JSON (the RPC serialises them).

use crate::types::{Beneficiary, DatasetId, ModelId, VersionNumber};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// One entry of a flattened royalty route: who is paid, and its part of every payment.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub struct RoutePart<AccountId> {
	/// An account, or a dataset's contributor pool.
	#[cfg_attr(feature = "std", serde(flatten))]
	pub beneficiary: Beneficiary<AccountId>,
	/// Its part, in parts per billion.
	pub parts: Perbill,
}

/// A dataset in a version's lineage, with the share of royalties declared for it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub struct DatasetShare {
	/// The dataset.
	pub dataset: DatasetId,
	/// Its share, in parts per billion.
	pub parts: Perbill,
}

/// A parent version in a version's lineage, with the share of royalties declared for it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub struct ParentShare {
	/// The parent model.
	pub model: ModelId,
	/// The parent's version.
	pub version: VersionNumber,
	/// Its share, in parts per billion.
	pub parts: Perbill,
}

/// A version's lineage, as registered.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
pub struct LineageInfo {
	/// The owner's declared share.
	pub owner_share: Perbill,
	/// Datasets and their shares.
	pub datasets: Vec<DatasetShare>,
	/// Parent versions and their shares.
	pub parents: Vec<ParentShare>,
}

sp_api::decl_runtime_apis! {
	/// Models, their lineage and their flattened royalty routes.
	pub trait ModelRegistryApi<AccountId> where AccountId: codec::Codec {
		/// A version's flattened route, or `None` when there is no such version.
		fn route(model: ModelId, version: VersionNumber) -> Option<Vec<RoutePart<AccountId>>>;
		/// A version's lineage, or `None` when there is no such version.
		fn lineage(model: ModelId, version: VersionNumber) -> Option<LineageInfo>;
	}
}
