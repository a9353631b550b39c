//! Payment-channel vouchers: what a consumer signs off chain and a provider settles on chain.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{ChannelId, Units};

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
