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

/// Block number type of the runtime.
pub type BlockNumberOf<T> = frame_system::pallet_prelude::BlockNumberFor<T>;

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

/// Identifier of a payment channel. Ids are never reused.
pub type ChannelId = u64;

/// The domain tag that starts every signed voucher, so that a voucher signature can never be
/// mistaken for a signature of anything else.
pub const VOUCHER_DOMAIN: [u8; 20] = *b"tributary/voucher/v1";

/// A consumer's promise to pay for `cumulative_units` units in total on a channel: the provider
/// settles the latest one and is paid only for the units not settled before.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Voucher<Hash> {
	/// The genesis hash of the chain the voucher is for.
	pub genesis_hash: Hash,
	/// The channel.
	pub channel: ChannelId,
	/// Units consumed on the channel since it opened.
	pub cumulative_units: Units,
}

impl<Hash: Encode> Voucher<Hash> {
	/// The bytes the consumer signs: the SCALE encoding of `(VOUCHER_DOMAIN, genesis hash,
	/// channel, cumulative units)`.
	pub fn signing_payload(&self) -> alloc::vec::Vec<u8> {
		(VOUCHER_DOMAIN, &self.genesis_hash, self.channel, self.cumulative_units).encode()
	}

	/// Whether `signature` is `signer`'s signature of this voucher.
	pub fn is_signed_by<S: sp_runtime::traits::Verify>(
		&self,
		signature: &S,
		signer: &<S::Signer as sp_runtime::traits::IdentifyAccount>::AccountId,
	) -> bool {
		signature.verify(&self.signing_payload()[..], signer)
	}
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
	/// The model version served.
	pub model: ModelId,
	/// The model version served.
	pub version: VersionNumber,
	/// The model's price per unit, fixed at opening.
	pub price_per_unit: BalanceOf<T>,
	/// The provider's fee per unit, fixed at opening.
	pub fee_per_unit: BalanceOf<T>,
	/// What is left of the consumer's deposit, held until paid out or released.
	pub deposit: BalanceOf<T>,
	/// Deposit held from the consumer for this record.
	pub record_deposit: BalanceOf<T>,
	/// Units settled so far (the cumulative units of the last settled voucher).
	pub settled_units: Units,
	/// From this block anyone may close the channel.
	pub expires_at: BlockNumberOf<T>,
	/// When the consumer asked to close: the end of the provider's last chance to settle.
	pub closes_at: Option<BlockNumberOf<T>>,
}
