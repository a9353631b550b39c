//! Types stored by the pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, traits::fungible::Inspect, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use scale_info::TypeInfo;

use crate::Config;
pub use pallet_model_registry::{ModelId, VersionNumber};
pub use pallet_royalty_distribution::Units;

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
pub struct ModelUsage<Balance> {
	/// Invocations paid.
	pub invocations: u64,
	/// Units paid.
	pub units: u128,
	/// What the model's price earned (royalties and protocol fee; provider fees excluded).
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
pub struct Quote<Balance> {
	/// Model price × units, less the protocol fee: paid along the version's route.
	pub royalty: Balance,
	/// The protocol's part of the model price, owed to the treasury.
	pub protocol_fee: Balance,
	/// Provider fee × units.
	pub provider_fee: Balance,
	/// Everything the payer pays.
	pub total: Balance,
}
