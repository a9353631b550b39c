//! Payment-channel vouchers: what a consumer signs off chain and a provider settles on chain.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{ChannelId, Units};

/// The domain tag that starts every signed voucher, so that a voucher signature can never be
/// mistaken for a signature of anything else. Version 2 binds the channel's provider and nonce.
pub const VOUCHER_DOMAIN: [u8; 20] = *b"tributary/voucher/v2";

/// The domain tag of the first voucher format, which bound only the chain, the channel and the
/// units: after a relaunch of a chain with a fixed genesis, channel ids repeat and such a voucher
/// would verify again. The runtime recognises it only to refuse it by name.
pub const LEGACY_VOUCHER_DOMAIN: [u8; 20] = *b"tributary/voucher/v1";

/// A consumer's promise to pay for `cumulative_units` units in total on a channel: the provider
/// settles the latest one and is paid only for the units not settled before. The signature
/// also covers the channel's provider and nonce (see [`Voucher::signing_payload`]), which the
/// runtime takes from the channel's record.
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
	/// channel, channel nonce, provider, cumulative units)`. The nonce is drawn when the channel
	/// opens and never repeats, even on a relaunched chain whose ids restart; the provider binds
	/// the voucher to the one account that may settle it.
	pub fn signing_payload<AccountId: Encode>(
		&self,
		provider: &AccountId,
		nonce: &Hash,
	) -> alloc::vec::Vec<u8> {
		(VOUCHER_DOMAIN, &self.genesis_hash, self.channel, nonce, provider, self.cumulative_units)
			.encode()
	}

	/// The bytes a consumer signed in the first format, `(LEGACY_VOUCHER_DOMAIN, genesis hash,
	/// channel, cumulative units)`.
	pub fn legacy_signing_payload(&self) -> alloc::vec::Vec<u8> {
		(LEGACY_VOUCHER_DOMAIN, &self.genesis_hash, self.channel, self.cumulative_units).encode()
	}

	/// Whether `signature` is `signer`'s signature of this voucher on the channel with this
	/// provider and nonce.
	pub fn is_signed_by<S: sp_runtime::traits::Verify>(
		&self,
		signature: &S,
		signer: &<S::Signer as sp_runtime::traits::IdentifyAccount>::AccountId,
		provider: &impl Encode,
		nonce: &Hash,
	) -> bool {
		signature.verify(&self.signing_payload(provider, nonce)[..], signer)
	}

	/// Whether `signature` is `signer`'s signature of this voucher in the first format.
	pub fn is_legacy_signed_by<S: sp_runtime::traits::Verify>(
		&self,
		signature: &S,
		signer: &<S::Signer as sp_runtime::traits::IdentifyAccount>::AccountId,
	) -> bool {
		signature.verify(&self.legacy_signing_payload()[..], signer)
	}
}
