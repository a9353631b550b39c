//! The runtime API of invocations and payment channels, for clients and the `tributary_*` RPC.
//!
//! The types read the same in SCALE (with the metadata) and in JSON (the RPC serialises them;
//! amounts are decimal strings). Refusals are `DispatchError`s: clients decode them to the
//! pallet error's name with the metadata, as they do for failed extrinsics.

use crate::types::{ChannelId, ModelId, ModelUsage, Quote, Units, VersionNumber};
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_runtime::DispatchError;

/// A price quote, and the version it prices.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
#[cfg_attr(feature = "std", serde(bound(serialize = "Balance: core::fmt::Display")))]
pub struct VersionQuote<Balance> {
	/// The version invoked (the latest one when none was named).
	pub version: VersionNumber,
	/// Every amount of the invocation.
	#[cfg_attr(feature = "std", serde(flatten))]
	pub quote: Quote<Balance>,
}

/// A payment channel's state.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
#[cfg_attr(
	feature = "std",
	serde(bound(
		serialize = "AccountId: serde::Serialize, Balance: core::fmt::Display, BlockNumber: serde::Serialize, Hash: serde::Serialize"
	))
)]
pub struct ChannelInfo<AccountId, Balance, BlockNumber, Hash> {
	/// Who pays and signs vouchers.
	pub consumer: AccountId,
	/// Who serves and settles.
	pub provider: AccountId,
	/// The model served.
	pub model: ModelId,
	/// The version of the model served.
	pub version: VersionNumber,
	/// Price per unit, fixed at opening.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub price_per_unit: Balance,
	/// Provider fee per unit, fixed at opening.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub fee_per_unit: Balance,
	/// What is left of the deposit.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub deposit: Balance,
	/// Units settled so far.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub settled_units: Units,
	/// From this block anyone may close the channel.
	pub expires_at: BlockNumber,
	/// End of the challenge period, when the consumer asked to close.
	pub closes_at: Option<BlockNumber>,
	/// The channel's nonce, which every voucher on it signs with the provider.
	pub nonce: Hash,
}

sp_api::decl_runtime_apis! {
	/// Prices, usage and payment channels.
	pub trait MeteringApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// What invoking a model version (the latest when `None`) for `units` units through
		/// `provider` costs, component by component, and which version that is; or the error
		/// `invoke` would fail with.
		fn quote(
			model: ModelId,
			version: Option<VersionNumber>,
			units: Units,
			provider: Option<AccountId>,
		) -> Result<VersionQuote<Balance>, DispatchError>;
		/// A model's usage counters, or `None` when there is no such model.
		fn usage(model: ModelId) -> Option<ModelUsage<Balance>>;
		/// An open channel's state, or `None`.
		fn channel(channel: ChannelId) -> Option<ChannelInfo<AccountId, Balance, BlockNumber, <Block as sp_runtime::traits::Block>::Hash>>;
		/// What settling a voucher for `cumulative_units` on a channel would pay now (the
		/// units since the last settlement), or the error `settle` would fail with.
		fn voucher_value(channel: ChannelId, cumulative_units: Units) -> Result<Quote<Balance>, DispatchError>;
	}
}
