//! Types stored by the pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, traits::fungible::Inspect, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use scale_info::TypeInfo;

use crate::Config;
pub use tributary_primitives::{ChannelId, ModelId, Units, VersionNumber, Voucher, VOUCHER_DOMAIN};

use frame_system::pallet_prelude::BlockNumberFor;

/// Balance type of the configured currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Account type of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;

/// A compute provider's offer to serve a model.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Offer<T: Config> {
	/// The provider's fee per unit, paid on top of the model's price.
	pub fee_per_unit: BalanceOf<T>,
	/// Where and how to reach the provider (e.g. an HTTPS URL), for clients.
	pub endpoint: BoundedVec<u8, T::MaxEndpointLength>,
	/// Deposit held from the provider for this record.
	pub deposit: BalanceOf<T>,
}

/// Usage of a model, counted at every paid invocation.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
#[cfg_attr(feature = "std", serde(bound(serialize = "Balance: core::fmt::Display")))]
pub struct ModelUsage<Balance> {
	/// Invocations paid.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub invocations: u64,
	/// Units paid.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub units: u128,
	/// What the model's price earned (royalties and protocol fee; provider fees excluded).
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub revenue: Balance,
}

/// Every amount of one invocation.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "std", serde(bound(serialize = "Balance: core::fmt::Display")))]
pub struct Quote<Balance> {
	/// Model price × units, less the protocol fee: paid along the version's route.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub royalty: Balance,
	/// The protocol's part of the model price, owed to the treasury.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub protocol_fee: Balance,
	/// Provider fee × units.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub provider_fee: Balance,
	/// Everything the payer pays.
	#[cfg_attr(feature = "std", serde(serialize_with = "tributary_primitives::json::decimal"))]
	pub total: Balance,
}

/// A voucher to settle on a channel, with the consumer's signature: an item of `settle_batch`.
pub type SignedVoucher<T> =
	(ChannelId, Voucher<<T as frame_system::Config>::Hash>, <T as Config>::OffchainSignature);

/// An open payment channel: a consumer's deposit, from which a provider is paid for metered
/// off-chain calls of one model version at terms fixed when it opened.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Channel<T: Config> {
	/// Who pays, and signs vouchers.
	pub consumer: AccountIdOf<T>,
	/// Who serves the calls and settles vouchers.
	pub provider: AccountIdOf<T>,
	/// The model served.
	pub model: ModelId,
	/// The version of the model served, fixed at opening.
	pub version: VersionNumber,
	/// The model's price per unit, fixed at opening.
	pub price_per_unit: BalanceOf<T>,
	/// The provider's fee per unit, fixed at opening.
	pub fee_per_unit: BalanceOf<T>,
	/// Drawn when the channel opens (from the parent block's hash, the time and the channel's
	/// id) and signed into every voucher: a relaunched chain whose channel ids restart never
	/// draws the same nonce, so no voucher of an earlier launch verifies.
	pub nonce: T::Hash,
	/// What is left of the consumer's deposit, held until paid out or released.
	pub deposit: BalanceOf<T>,
	/// Everything the consumer has put into the deposit: the opening deposit and every top-up.
	/// What settlements paid out is this less `deposit`: the cost of `settled_units` at the
	/// channel's terms, which the invariants check.
	pub deposited: BalanceOf<T>,
	/// Deposit held from the consumer for this record.
	pub record_deposit: BalanceOf<T>,
	/// Units settled so far (the cumulative units of the last settled voucher).
	pub settled_units: Units,
	/// From this block anyone may close the channel.
	pub expires_at: BlockNumberFor<T>,
	/// When the consumer asked to close: the end of the provider's last chance to settle.
	pub closes_at: Option<BlockNumberFor<T>>,
}
