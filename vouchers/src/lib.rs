//! Payment-channel vouchers for off-chain services.
//!
//! A consumer that calls models through a provider's metered API signs, after each call, a
//! voucher for the units it has consumed on the channel so far. The provider keeps the latest
//! and settles it on chain whenever it likes. This crate builds those vouchers and signs them
//! with sr25519 or ed25519 keys, using the runtime's own [`Voucher`] type and signing payload,
//! so a signature made here is exactly what `InvocationMetering::settle` verifies.
//!
//! A signature binds the voucher to its channel's provider and nonce ([`ChannelBinding`]),
//! which the consumer reads from the channel (the `ChannelOpened` event, the channel's
//! storage, or the `tributary_channel` RPC): a provider cannot settle it on another channel,
//! nor on a channel with the same id on a relaunched chain.
//!
//! ```
//! use tributary_vouchers::{ChannelBinding, Scheme, VoucherSigner};
//! let consumer = VoucherSigner::from_suri(Scheme::Sr25519, "//Alice").unwrap();
//! let provider = VoucherSigner::from_suri(Scheme::Sr25519, "//Bob").unwrap().account();
//! let channel = ChannelBinding { provider, nonce: [9u8; 32].into() };
//! let voucher = tributary_vouchers::voucher([7u8; 32].into(), 0, 1_000);
//! let signature = consumer.sign(&voucher, &channel);
//! assert!(tributary_vouchers::verify(&voucher, &channel, &signature, &consumer.account()));
//! ```

#[cfg(feature = "http-client")]
pub mod client;
pub mod header;

use sp_core::{ed25519, sr25519, Pair, H256};
use sp_runtime::{traits::IdentifyAccount, AccountId32, MultiSignature, MultiSigner};
pub use tributary_primitives::{ChannelId, Units, Voucher, LEGACY_VOUCHER_DOMAIN, VOUCHER_DOMAIN};

/// What a voucher's signature binds besides the voucher itself: the channel's provider and
/// nonce, as the channel's record on chain holds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelBinding {
	/// The channel's provider, the only account that may settle the voucher.
	pub provider: AccountId32,
	/// The nonce drawn when the channel opened.
	pub nonce: H256,
}

/// The signature schemes a consumer's key may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
	/// Schnorrkel (the default of polkadot.js and Substrate keys).
	Sr25519,
	/// Edwards (e.g. keys from hardware or other ecosystems).
	Ed25519,
}

impl core::str::FromStr for Scheme {
	type Err = String;
	fn from_str(name: &str) -> Result<Self, String> {
		match name {
			"sr25519" => Ok(Scheme::Sr25519),
			"ed25519" => Ok(Scheme::Ed25519),
			other => Err(format!("unknown scheme {other:?}: use sr25519 or ed25519")),
		}
	}
}

/// A consumer's key, able to sign vouchers.
pub enum VoucherSigner {
	/// An sr25519 key.
	Sr25519(Box<sr25519::Pair>),
	/// An ed25519 key.
	Ed25519(Box<ed25519::Pair>),
}

impl VoucherSigner {
	/// A key from a secret URI: a mnemonic, a hex seed, or a derivation such as `//Alice`.
	pub fn from_suri(scheme: Scheme, suri: &str) -> Result<Self, String> {
		let error = |e| format!("invalid secret URI: {e:?}");
		Ok(match scheme {
			Scheme::Sr25519 => {
				Self::Sr25519(Box::new(sr25519::Pair::from_string(suri, None).map_err(error)?))
			}
			Scheme::Ed25519 => {
				Self::Ed25519(Box::new(ed25519::Pair::from_string(suri, None).map_err(error)?))
			}
		})
	}

	/// The on-chain account of the key: the channel's consumer.
	pub fn account(&self) -> AccountId32 {
		match self {
			Self::Sr25519(pair) => MultiSigner::from(pair.public()).into_account(),
			Self::Ed25519(pair) => MultiSigner::from(pair.public()).into_account(),
		}
	}

	/// Signs a voucher on the channel `binding` describes.
	pub fn sign(&self, voucher: &Voucher<H256>, binding: &ChannelBinding) -> MultiSignature {
		let payload = voucher.signing_payload(&binding.provider, &binding.nonce);
		match self {
			Self::Sr25519(pair) => pair.sign(&payload).into(),
			Self::Ed25519(pair) => pair.sign(&payload).into(),
		}
	}
}

/// The voucher for `cumulative_units` on `channel` of the chain with `genesis_hash`.
pub fn voucher(genesis_hash: H256, channel: ChannelId, cumulative_units: Units) -> Voucher<H256> {
	Voucher { genesis_hash, channel, cumulative_units }
}

/// Whether `signature` is `consumer`'s signature of `voucher` on the channel `binding`
/// describes — the runtime's own check.
pub fn verify(
	voucher: &Voucher<H256>,
	binding: &ChannelBinding,
	signature: &MultiSignature,
	consumer: &AccountId32,
) -> bool {
	voucher.is_signed_by(signature, consumer, &binding.provider, &binding.nonce)
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;
	use codec::Encode;

	fn genesis() -> H256 {
		H256::repeat_byte(0x42)
	}

	fn account(suri: &str) -> AccountId32 {
		VoucherSigner::from_suri(Scheme::Sr25519, suri).unwrap().account()
	}

	fn binding() -> ChannelBinding {
		ChannelBinding { provider: account("//Bob"), nonce: H256::repeat_byte(0x11) }
	}

	#[test]
	fn both_schemes_sign_what_the_runtime_verifies() {
		for scheme in [Scheme::Sr25519, Scheme::Ed25519] {
			let consumer = VoucherSigner::from_suri(scheme, "//Alice").unwrap();
			let v = voucher(genesis(), 3, 1_000_000);
			let signature = consumer.sign(&v, &binding());
			assert!(verify(&v, &binding(), &signature, &consumer.account()), "{scheme:?}");
			// Any other channel, chain, unit count, provider, nonce or signer fails.
			for other in [
				voucher(genesis(), 4, 1_000_000),
				voucher(H256::repeat_byte(0x43), 3, 1_000_000),
				voucher(genesis(), 3, 999_999),
			] {
				assert!(!verify(&other, &binding(), &signature, &consumer.account()), "{other:?}");
			}
			let other_provider = ChannelBinding { provider: account("//Charlie"), ..binding() };
			assert!(!verify(&v, &other_provider, &signature, &consumer.account()));
			let relaunched = ChannelBinding { nonce: H256::repeat_byte(0x12), ..binding() };
			assert!(!verify(&v, &relaunched, &signature, &consumer.account()));
			let bob = VoucherSigner::from_suri(scheme, "//Bob").unwrap();
			assert!(!verify(&v, &binding(), &signature, &bob.account()));
		}
	}

	#[test]
	fn the_payload_is_the_documented_scale_encoding() {
		let v = voucher(genesis(), 0x0102, 0x0a0b);
		let b = binding();
		let mut expected = b"tributary/voucher/v2".to_vec();
		expected.extend_from_slice(genesis().as_bytes());
		expected.extend_from_slice(&0x0102u64.to_le_bytes());
		expected.extend_from_slice(b.nonce.as_bytes());
		expected.extend_from_slice(b.provider.as_ref());
		expected.extend_from_slice(&0x0a0bu64.to_le_bytes());
		assert_eq!(v.signing_payload(&b.provider, &b.nonce), expected);
		assert_eq!(
			v.signing_payload(&b.provider, &b.nonce),
			(VOUCHER_DOMAIN, genesis(), 0x0102u64, b.nonce, b.provider, 0x0a0bu64).encode()
		);
	}

	#[test]
	fn unknown_schemes_are_refused() {
		assert_eq!("ed25519".parse::<Scheme>(), Ok(Scheme::Ed25519));
		assert!("rsa".parse::<Scheme>().is_err());
	}
}
