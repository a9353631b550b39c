//! `tributary-voucher`: sign a payment-channel voucher from the command line.
//!
//! ```text
//! tributary-voucher --suri //Alice --genesis 0x… --channel 0 --units 1000 [--scheme ed25519]
//! ```
//!
//! Prints the consumer account, the signed payload, and the signature as the SCALE encoding of
//! a `MultiSignature` (what `settle` takes) and as raw bytes.

use codec::Encode;
use sp_core::{crypto::Ss58Codec, H256};
use std::process::ExitCode;
use tributary_vouchers::{from_hex, to_hex, voucher, Scheme, VoucherSigner};

const USAGE: &str = "usage: tributary-voucher --suri <secret> --genesis <0x hash> --channel <id> \
	--units <cumulative units> [--scheme sr25519|ed25519]";

fn run(args: &[String]) -> Result<String, String> {
	let mut suri = None;
	let mut genesis = None;
	let mut channel = None;
	let mut units = None;
	let mut scheme = Scheme::Sr25519;
	let mut rest = args.iter();
	while let Some(flag) = rest.next() {
		let value = rest.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
		match flag.as_str() {
			"--suri" => suri = Some(value.clone()),
			"--genesis" => {
				let bytes = from_hex(value)?;
				let array: [u8; 32] =
					bytes.try_into().map_err(|_| "the genesis hash has 32 bytes".to_string())?;
				genesis = Some(H256::from(array));
			}
			"--channel" => {
				channel = Some(value.parse::<u64>().map_err(|e| format!("--channel: {e}"))?)
			}
			"--units" => units = Some(value.parse::<u64>().map_err(|e| format!("--units: {e}"))?),
			"--scheme" => scheme = value.parse()?,
			other => return Err(format!("unknown option {other}\n{USAGE}")),
		}
	}
	let missing = |name: &str| format!("missing {name}\n{USAGE}");
	let signer = VoucherSigner::from_suri(scheme, &suri.ok_or_else(|| missing("--suri"))?)?;
	let voucher = voucher(
		genesis.ok_or_else(|| missing("--genesis"))?,
		channel.ok_or_else(|| missing("--channel"))?,
		units.ok_or_else(|| missing("--units"))?,
	);
	let signature = signer.sign(&voucher);
	let raw: &[u8] = match &signature {
		sp_runtime::MultiSignature::Sr25519(s) => s.as_ref(),
		sp_runtime::MultiSignature::Ed25519(s) => s.as_ref(),
		sp_runtime::MultiSignature::Ecdsa(s) => s.as_ref(),
		sp_runtime::MultiSignature::Eth(s) => s.as_ref(),
	};
	Ok(format!(
		"consumer: {}\npayload: {}\nsignature (MultiSignature, SCALE): {}\nsignature (raw): {}\n",
		signer.account().to_ss58check(),
		to_hex(&voucher.signing_payload()),
		to_hex(&signature.encode()),
		to_hex(raw),
	))
}

fn main() -> ExitCode {
	let args: Vec<String> = std::env::args().skip(1).collect();
	match run(&args) {
		Ok(output) => {
			print!("{output}");
			ExitCode::SUCCESS
		}
		Err(error) => {
			eprintln!("{error}");
			ExitCode::FAILURE
		}
	}
}
