//! The command signs what the library (and so the runtime) verifies.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use codec::Decode;
use sp_core::bytes::from_hex;
use sp_core::{crypto::Ss58Codec, H256};
use sp_runtime::{AccountId32, MultiSignature};
use std::process::Command;
use tributary_vouchers::{verify, voucher, ChannelBinding, Scheme, VoucherSigner};

fn field<'a>(output: &'a str, name: &str) -> &'a str {
	output
		.lines()
		.find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(": ")))
		.unwrap_or_else(|| panic!("no {name} in {output}"))
}

#[test]
fn the_command_signs_a_voucher_the_runtime_accepts() {
	let genesis = H256::repeat_byte(0x11);
	let provider = VoucherSigner::from_suri(Scheme::Sr25519, "//Dave").unwrap().account();
	let binding = ChannelBinding { provider: provider.clone(), nonce: H256::repeat_byte(0x22) };
	for scheme in ["sr25519", "ed25519"] {
		let output = Command::new(env!("CARGO_BIN_EXE_tributary-voucher"))
			.args([
				"--suri",
				"//Charlie",
				"--channel",
				"7",
				"--units",
				"123456",
				"--scheme",
				scheme,
			])
			.args(["--genesis", &format!("{genesis:?}")])
			.args(["--provider", &provider.to_ss58check()])
			.args(["--nonce", &format!("{:?}", binding.nonce)])
			.output()
			.unwrap();
		assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
		let output = String::from_utf8(output.stdout).unwrap();
		let consumer = AccountId32::from_ss58check(field(&output, "consumer")).unwrap();
		let encoded = from_hex(field(&output, "signature (MultiSignature, SCALE)")).unwrap();
		let signature = MultiSignature::decode(&mut &encoded[..]).unwrap();
		assert!(verify(&voucher(genesis, 7, 123_456), &binding, &signature, &consumer), "{scheme}");
		assert!(!verify(&voucher(genesis, 7, 123_457), &binding, &signature, &consumer));
		let relaunched = ChannelBinding { nonce: H256::repeat_byte(0x23), ..binding.clone() };
		assert!(!verify(&voucher(genesis, 7, 123_456), &relaunched, &signature, &consumer));
	}
}

#[test]
fn the_command_explains_what_is_missing() {
	let output = Command::new(env!("CARGO_BIN_EXE_tributary-voucher"))
		.args(["--suri", "//Charlie", "--channel", "7"])
		.output()
		.unwrap();
	assert!(!output.status.success());
	let stderr = String::from_utf8(output.stderr).unwrap();
	assert!(stderr.contains("required arguments were not provided"), "{stderr}");
	for missing in
		["--genesis <GENESIS>", "--provider <PROVIDER>", "--nonce <NONCE>", "--units <UNITS>"]
	{
		assert!(stderr.contains(missing), "names {missing}: {stderr}");
	}
}
