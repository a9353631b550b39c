//! The voucher test vector every signer of the project agrees on (`tests/vectors/voucher-v2.json`):
//! this library checks it here, the JavaScript signer of the end-to-end tests in
//! `e2e/test/voucher-vector.test.mjs`, the gateway's JavaScript client in `clients/js`. Fixed inputs; the payload the runtime verifies; an ed25519
//! signature (deterministic, so compared byte for byte) and an sr25519 signature (randomised, so
//! verified) by `//Alice`.
//!
//! `TRIBUTARY_UPDATE_VECTORS=1 cargo test -p tributary-vouchers --test vector` rewrites the file,
//! after a deliberate change of the payload format.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use codec::Encode;
use sp_core::{crypto::ByteArray, H256};
use sp_runtime::{AccountId32, MultiSignature};
use tributary_vouchers::{ChannelBinding, Scheme, VoucherSigner, VOUCHER_DOMAIN};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/voucher-v2.json");

fn hex(bytes: &[u8]) -> String {
	format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&bytes))
}

fn unhex(text: &serde_json::Value) -> Vec<u8> {
	let text = text.as_str().expect("a hex string");
	let digits = text.strip_prefix("0x").expect("0x-prefixed");
	(0..digits.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex digits"))
		.collect()
}

/// The vector's inputs: a channel of Bob's, its nonce, a chain, the units.
fn inputs() -> (sp_core::H256, u64, ChannelBinding, u64) {
	let provider = VoucherSigner::from_suri(Scheme::Sr25519, "//Bob").unwrap().account();
	(H256::repeat_byte(0x42), 7, ChannelBinding { provider, nonce: H256::repeat_byte(0x11) }, 1_000)
}

fn signature_bytes(signature: &MultiSignature) -> Vec<u8> {
	match signature {
		MultiSignature::Sr25519(s) => s.to_raw_vec(),
		MultiSignature::Ed25519(s) => s.to_raw_vec(),
		other => panic!("only sr25519 and ed25519 in the vector, not {other:?}"),
	}
}

/// The vector as this library computes it now (with a fresh sr25519 signature).
fn computed() -> serde_json::Value {
	let (genesis_hash, channel, binding, units) = inputs();
	let voucher = tributary_vouchers::voucher(genesis_hash, channel, units);
	let payload = voucher.signing_payload(&binding.provider, &binding.nonce);
	let signer = |scheme| {
		let key = VoucherSigner::from_suri(scheme, "//Alice").unwrap();
		let signature = key.sign(&voucher, &binding);
		let mut entry = serde_json::json!({
			"suri": "//Alice",
			"account": hex(key.account().as_ref()),
			"signature": hex(&signature_bytes(&signature)),
		});
		// The gateway's credential header; only deterministic signatures make a stable one.
		if scheme == Scheme::Ed25519 {
			entry["header"] = tributary_vouchers::header::encode(&voucher, &signature).into();
		}
		entry
	};
	serde_json::json!({
		"domain": String::from_utf8(VOUCHER_DOMAIN.to_vec()).unwrap(),
		"genesisHash": hex(genesis_hash.as_bytes()),
		"channel": channel,
		"nonce": hex(binding.nonce.as_bytes()),
		"provider": hex(binding.provider.as_ref()),
		"cumulativeUnits": units,
		"voucher": hex(&voucher.encode()),
		"payload": hex(&payload),
		"sr25519": signer(Scheme::Sr25519),
		"ed25519": signer(Scheme::Ed25519),
	})
}

#[test]
fn the_shared_voucher_vector_holds() {
	let fresh = computed();
	if std::env::var_os("TRIBUTARY_UPDATE_VECTORS").is_some() {
		std::fs::write(PATH, serde_json::to_string_pretty(&fresh).unwrap() + "\n").unwrap();
	}
	let stored: serde_json::Value =
		serde_json::from_str(&std::fs::read_to_string(PATH).expect("the vector file")).unwrap();
	// Everything deterministic is equal, byte for byte.
	for field in ["domain", "genesisHash", "channel", "nonce", "provider", "cumulativeUnits"] {
		assert_eq!(stored[field], fresh[field], "{field}");
	}
	for field in ["voucher", "payload"] {
		assert_eq!(stored[field], fresh[field], "{field}: the format changed");
	}
	assert_eq!(stored["ed25519"], fresh["ed25519"], "ed25519 signatures are deterministic");
	let header = stored["ed25519"]["header"].as_str().expect("the ed25519 header");
	let (in_header, _) = tributary_vouchers::header::decode(header).unwrap();
	assert_eq!(hex(&in_header.encode()), stored["voucher"]);
	assert_eq!(stored["sr25519"]["account"], fresh["sr25519"]["account"]);
	// The stored sr25519 signature verifies as the runtime verifies it; a changed byte does not.
	let (genesis_hash, channel, binding, units) = inputs();
	let voucher = tributary_vouchers::voucher(genesis_hash, channel, units);
	let alice = AccountId32::from_slice(&unhex(&stored["sr25519"]["account"])).unwrap();
	let mut bytes: [u8; 64] = unhex(&stored["sr25519"]["signature"]).try_into().unwrap();
	let signature = MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw(bytes));
	assert!(tributary_vouchers::verify(&voucher, &binding, &signature, &alice));
	bytes[0] ^= 1;
	let forged = MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw(bytes));
	assert!(!tributary_vouchers::verify(&voucher, &binding, &forged, &alice));
}
