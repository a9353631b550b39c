//! Royalty routes: who receives which part of a model version's royalties.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

use crate::{DatasetId, ModelId, VersionNumber};

/// Who receives a part of a model version's royalties.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
pub enum Beneficiary<AccountId> {
	/// An account (a model owner, upstream or this one).
	Account(AccountId),
	/// A dataset's contributor pool, shared by its share holders.
	Dataset(DatasetId),
}

/// A route entry: a beneficiary and its part of every payment.
pub type RouteEntry<AccountId> = (Beneficiary<AccountId>, Perbill);

/// One version of one model, e.g. a parent in another version's lineage.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub struct ModelVersionRef {
	/// The model.
	pub model: ModelId,
	/// The model's version.
	pub version: VersionNumber,
}
