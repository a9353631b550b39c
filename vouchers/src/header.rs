//! The credential a caller sends the gateway with every request: the HTTP header
//! `X-Tributary-Voucher: 0x<hex>`, the hex of the SCALE encoding of `(Voucher, MultiSignature)`
//! — the voucher and its signature exactly as `settle` takes them, so the gateway settles the
//! bytes it was given.

use codec::{Decode, Encode};
use sp_core::H256;
use sp_runtime::MultiSignature;
use tributary_primitives::Voucher;

/// The header's name.
pub const NAME: &str = "x-tributary-voucher";

/// The header's value for `voucher` signed with `signature`.
pub fn encode(voucher: &Voucher<H256>, signature: &MultiSignature) -> String {
	format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&(voucher, signature).encode()))
}

/// A voucher and its signature from a header's value; an error says what is wrong with it.
pub fn decode(value: &str) -> Result<(Voucher<H256>, MultiSignature), String> {
	let digits = value.trim().strip_prefix("0x").ok_or("the voucher is not 0x-prefixed hex")?;
	let bytes = sp_core::bytes::from_hex(digits).map_err(|_| "the voucher is not hex")?;
	let mut input = bytes.as_slice();
	let decoded = <(Voucher<H256>, MultiSignature)>::decode(&mut input)
		.map_err(|_| "the voucher does not decode as (Voucher, MultiSignature)")?;
	if !input.is_empty() {
		return Err("the voucher has trailing bytes".into());
	}
	Ok(decoded)
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	#[test]
	fn a_header_decodes_to_what_was_encoded_and_nothing_else_does() {
		let voucher = crate::voucher(H256::repeat_byte(1), 9, 77);
		let signature = MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw([5; 64]));
		let header = encode(&voucher, &signature);
		assert_eq!(header.len(), 2 + 2 * (32 + 8 + 8 + 1 + 64));
		assert_eq!(decode(&header).unwrap(), (voucher, signature));
		for (bad, why) in [
			(header.trim_start_matches("0x").to_string(), "0x-prefixed"),
			(format!("{header}00"), "trailing bytes"),
			(header.get(..header.len() - 2).unwrap().to_string(), "does not decode"),
			("0xzz".to_string(), "not hex"),
		] {
			assert!(decode(&bad).unwrap_err().contains(why), "{bad}: {why}");
		}
	}
}
